import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// The profiles are read back by the real AWS CLI: it is the consumer whose parser counts.
// Debian's awscli (v2) has `configure list-profiles`; an older v1 earlier on PATH does not.
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
const awsCli = (args: string[], configFile: string) =>
  spawnSync(AWS, args, { encoding: 'utf8', env: { ...process.env, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' } });
const haveAwsCli = awsCli(['configure', 'list-profiles'], '/dev/null').status === 0;

const config = path.join(repoRoot, 'examples', 'acme');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

const own = ['# hand-written, must survive', '[default]', 'region = us-east-1', '', '[profile personal]', 'role_arn = arn:aws:iam::999999999999:role/Me', 'source_profile = default', ''].join('\n');

describe('gatehouse sso-config', () => {
  it('prints an sso-session and one profile per account and permission set of the user', () => {
    const r = gatehouse(['sso-config', '--user', 'alice@acme.example', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\[sso-session acme\]\nsso_start_url = https:\/\/acme\.awsapps\.com\/start\n/);
    expect(r.stdout).toContain('[profile prod-core.AdministratorAccess]\nsso_session = acme\nsso_account_id = 444444444444\nsso_role_name = AdministratorAccess\n');
  });

  it('an unknown user is an error, not an empty file', () => {
    const r = gatehouse(['sso-config', '--user', 'nobody@acme.example', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown user "nobody@acme.example"');
  });

  it.runIf(haveAwsCli || process.env.CI === 'true')('--write merges into AWS_CONFIG_FILE: the AWS CLI reads the profiles, other sections stay byte-identical, a rerun changes nothing', () => {
    const file = path.join(tmp.dir, 'aws-config');
    writeFileSync(file, own);
    const env = { AWS_CONFIG_FILE: file };
    const first = gatehouse(['sso-config', '--user', 'alice@acme.example', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`, '--write'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Wrote .*aws-config: \d+ sections added/);
    const written = readFileSync(file, 'utf8');
    expect(written.startsWith(own)).toBe(true);
    expect(readFileSync(`${file}.gatehouse-backup`, 'utf8')).toBe(own);

    const profiles = awsCli(['configure', 'list-profiles'], file);
    expect(profiles.status).toBe(0);
    expect(profiles.stdout.split('\n')).toEqual(expect.arrayContaining(['default', 'personal', 'prod-core.AdministratorAccess']));
    const id = awsCli(['configure', 'get', 'sso_account_id', '--profile', 'prod-core.AdministratorAccess'], file);
    expect(id.stdout.trim()).toBe('444444444444');
    const role = awsCli(['configure', 'get', 'sso_role_name', '--profile', 'prod-core.AdministratorAccess'], file);
    expect(role.stdout.trim()).toBe('AdministratorAccess');

    const second = gatehouse(['sso-config', '--user', 'alice@acme.example', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`, '--write', file]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('is up to date');
    expect(readFileSync(file, 'utf8')).toBe(written);
  });
});
