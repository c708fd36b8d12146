import { describe, expect, it } from 'vitest';
import { MANAGED_MARKER, mergeAwsConfig } from '../../src/sso-config/merge-aws-config.js';
import { sectionsOf, ssoProfilesFor, type SsoConfig } from '../../src/sso-config/sso-profiles.js';

const config = (profiles: SsoConfig['profiles']): SsoConfig => ({
  sessionName: 'acme',
  startUrl: 'https://acme.awsapps.com/start',
  ssoRegion: 'eu-west-1',
  profiles,
});
const prod = { name: 'prod.Admin', accountId: '111111111111', accountName: 'prod', permissionSetName: 'Admin', region: 'eu-west-1' };
const dev = { name: 'dev.ReadOnly', accountId: '222222222222', accountName: 'dev', permissionSetName: 'ReadOnly', region: 'eu-west-1' };

const userFile = [
  '# my own notes',
  '[default]',
  'region = us-east-1',
  'output = json',
  '',
  '[profile personal]',
  'aws_access_key_id_from = somewhere  ; odd spacing kept',
  '',
].join('\n');

describe('mergeAwsConfig', () => {
  it('keeps every line of the sections it does not write, byte for byte', () => {
    const merged = mergeAwsConfig(userFile, sectionsOf(config([prod, dev]))).text;
    expect(merged.startsWith(userFile)).toBe(true);
    expect(merged).toContain('[profile prod.Admin]\n' + MANAGED_MARKER + '\nsso_session = acme\nsso_account_id = 111111111111\n');
    expect(merged).toContain('[sso-session acme]');
  });

  it('is idempotent: a second merge of the same sections changes nothing', () => {
    const once = mergeAwsConfig(userFile, sectionsOf(config([prod, dev]))).text;
    const twice = mergeAwsConfig(once, sectionsOf(config([prod, dev])));
    expect(twice.text).toBe(once);
    expect(twice).toMatchObject({ added: 0, replaced: 3, removed: 0 });
  });

  it('replaces its sections in place and removes the profile of access that is gone', () => {
    const once = mergeAwsConfig(userFile + '\n[profile after]\nregion = x\n', sectionsOf(config([prod, dev]))).text;
    const next = mergeAwsConfig(once, sectionsOf(config([{ ...prod, region: 'us-west-2' }])));
    expect(next.removed).toBe(1);
    expect(next.text).not.toContain('dev.ReadOnly');
    expect(next.text).toContain('[profile after]\nregion = x\n');
    expect(next.text).toContain('region = us-west-2');
  });

  it('keeps CRLF line ends', () => {
    const crlf = userFile.replace(/\n/g, '\r\n');
    const merged = mergeAwsConfig(crlf, sectionsOf(config([prod]))).text;
    expect(merged.startsWith(crlf)).toBe(true);
    expect(merged.replace(/\r\n/g, '')).not.toContain('\n');
  });
});

describe('ssoProfilesFor', () => {
  const accounts = new Map([
    ['111111111111', { id: '111111111111', name: 'sandbox', ouPath: '/Root', tags: {} }],
    ['222222222222', { id: '222222222222', name: 'sandbox', ouPath: '/Root', tags: {} }],
    ['333333333333', { id: '333333333333', name: 'prod core', ouPath: '/Root', tags: {} }],
  ]);
  const grant = (accountId: string, permissionSetName: string) => ({ userName: 'alice', accountId, permissionSetName, paths: [] });

  it('names profiles account.permission-set, and gives same-named accounts their ids', () => {
    const profiles = ssoProfilesFor({
      userName: 'alice',
      grants: [grant('111111111111', 'Admin'), grant('222222222222', 'Admin'), grant('333333333333', 'ReadOnly'), { ...grant('333333333333', 'X'), userName: 'bob' }],
      accounts,
      region: 'eu-west-1',
    });
    expect(profiles.map((p) => p.name)).toEqual(['prod-core.ReadOnly', 'sandbox.Admin.111111111111', 'sandbox.Admin.222222222222']);
  });

  it('keeps characters that would break a section header out of profile names', () => {
    const evil = new Map([['111111111111', { id: '111111111111', name: 'a]\n[profile x', ouPath: '/Root', tags: {} }]]);
    const [p] = ssoProfilesFor({ userName: 'alice', grants: [grant('111111111111', 'Admin')], accounts: evil, region: 'eu-west-1', template: '{account_name}-{account_id}' });
    expect(p!.name).toBe('a-profile-x-111111111111');
  });
});
