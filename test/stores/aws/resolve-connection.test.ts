import { describe, expect, it } from 'vitest';
import { parseAwsIni, type AwsSharedFiles } from '../../../src/stores/aws/aws-profiles.js';
import { resolveConnection } from '../../../src/stores/aws/resolve-connection.js';
import { regionOfStoreUrl } from '../../../src/stores/open-store.js';

// The AWS CLI's order (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html:
// "AWS_REGION … If defined, this environment variable overrides the values in the environment
// variable AWS_DEFAULT_REGION and the profile setting region"), with instance.region from the
// config right after --region. The CLI end of it is test/cli/aws-region.test.ts.

const files = (config: string, credentials = ''): AwsSharedFiles => ({
  configFile: '/home/u/.aws/config',
  credentialsFile: '/home/u/.aws/credentials',
  config: parseAwsIni(config, 'config'),
  credentials: parseAwsIni(credentials, 'credentials'),
});

const shared = files(
  [
    '# comment',
    '[default]',
    'region = sa-east-1',
    '[profile dev]',
    'region=eu-north-1',
    's3 =',
    '  region = wrong-1',
    '[sso-session corp]',
    'region = us-west-2',
    '[profile  spaced ]',
    'output = json',
  ].join('\r\n'),
  '[ci]\naws_access_key_id = x\n',
);

describe('resolveConnection', () => {
  it('takes the first of --region, instance.region, AWS_REGION, AWS_DEFAULT_REGION, the profile', () => {
    const env = { AWS_REGION: 'eu-central-1', AWS_DEFAULT_REGION: 'us-west-1' };
    expect(resolveConnection({ region: 'ap-south-1', configRegion: 'eu-west-1' }, env, shared)).toEqual({ region: 'ap-south-1', regionSource: '--region' });
    expect(resolveConnection({ configRegion: 'eu-west-1' }, env, shared).region).toBe('eu-west-1');
    expect(resolveConnection({}, env, shared)).toEqual({ region: 'eu-central-1', regionSource: 'AWS_REGION' });
    expect(resolveConnection({}, { AWS_DEFAULT_REGION: 'us-west-1', AWS_REGION: ' ' }, shared).region).toBe('us-west-1');
    expect(resolveConnection({}, {}, shared)).toEqual({ region: 'sa-east-1', regionSource: 'the region of profile default in /home/u/.aws/config' });
    expect(resolveConnection({ profile: 'dev' }, {}, shared)).toEqual({ region: 'eu-north-1', regionSource: 'the region of profile dev in /home/u/.aws/config', profile: 'dev' });
    expect(resolveConnection({}, { AWS_PROFILE: 'dev' }, shared).profile).toBe('dev');
  });

  it('knows profiles of either file, never an sso-session or a nested key', () => {
    expect(resolveConnection({ profile: 'ci', region: 'eu-west-1' }, {}, shared).profile).toBe('ci');
    expect(resolveConnection({ profile: 'spaced', region: 'eu-west-1' }, {}, shared).profile).toBe('spaced');
    expect(() => resolveConnection({ profile: 'corp', region: 'eu-west-1' }, {}, shared)).toThrow('--profile corp: no such AWS profile in /home/u/.aws/config or /home/u/.aws/credentials');
    expect(() => resolveConnection({ profile: 'spaced' }, {}, shared)).toThrow(/^no AWS region: .*give profile spaced a region in \/home\/u\/\.aws\/config$/);
  });

  it('refuses a named profile that does not exist, and a region that is not one', () => {
    expect(() => resolveConnection({ region: 'eu-west-1' }, { AWS_PROFILE: 'gone' }, shared)).toThrow('AWS_PROFILE gone: no such AWS profile');
    expect(() => resolveConnection({}, {}, files(''))).toThrow(/^no AWS region: pass --region/);
    expect(() => resolveConnection({ region: 'https://example.com' }, {}, shared)).toThrow('--region: "https://example.com" is not an AWS region name');
    for (const region of ['us-gov-west-1', 'cn-north-1', 'eu-isoe-west-1', 'il-central-1']) expect(resolveConnection({ region }, {}, shared).region).toBe(region);
  });
});

describe('--store aws:REGION', () => {
  it('is --region, and may not contradict it', () => {
    expect(regionOfStoreUrl('aws:eu-west-1', undefined)).toBe('eu-west-1');
    expect(regionOfStoreUrl('aws:eu-west-1', 'eu-west-1')).toBe('eu-west-1');
    expect(regionOfStoreUrl('aws', 'eu-west-1')).toBe('eu-west-1');
    expect(() => regionOfStoreUrl('aws:eu-west-1', 'us-east-1')).toThrow('--store aws:eu-west-1 and --region us-east-1 name different regions');
    expect(() => regionOfStoreUrl('aws:', undefined)).toThrow('give a region after aws:');
  });
});
