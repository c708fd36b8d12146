import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOrganizationFile } from '../../src/config/organization-file.js';
import type { Organization } from '../../src/model/entities.js';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';

// Issue #4's promise end to end: the real CLI with --store aws, the real AWS SDK, the real AWS
// CLI, and the emulator on loopback standing in for IAM Identity Center.

const acme = path.join(repoRoot, 'examples', 'acme');
const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' };
const hasAws = spawnSync('aws', ['--version']).status === 0;

let organization: Organization;
let tmp: { dir: string; cleanup: () => void };

beforeAll(async () => {
  const read = await readOrganizationFile(path.join(acme, 'organization.yaml'));
  organization = read.organization!;
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

// Asynchronous on purpose: the emulator serves from this process, so a blocking spawn would
// leave nobody to answer the CLI's requests.
const run = (emulator: Emulator, args: string[], cwd: string) =>
  gatehouseAsync([...args, '--config', acme, '--store', 'aws', '--endpoint-url', emulator.url], { cwd, env }).done;

describe('gatehouse --store aws against the emulator', () => {
  let emulator: Emulator;
  const cwd = () => path.join(tmp.dir, 'throttled');

  beforeAll(async () => {
    emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'throttled.db'), organization, tps: 20 });
  });
  afterAll(async () => emulator?.close());

  it('applies examples/acme under the service rate limit with zero failed changes, then plans nothing', async () => {
    mkdirSync(cwd(), { recursive: true });
    const applied = await run(emulator, ['apply', '--auto-approve'], cwd());
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Apply complete! Changes: 82 added, 0 changed, 0 destroyed\./);
    expect(applied.stderr).not.toMatch(/failed/);
    const plan = await run(emulator, ['plan', '--detailed-exitcode'], cwd());
    expect(plan.code, plan.stderr).toBe(0);
    // Each assignment was created with exactly one call: the client-side limiter kept the burst
    // under the service's rate, so nothing had to be retried.
    // The plan apply printed lists each assignment it creates once, in the plan's words.
    const created = applied.stdout.split('\n').filter((l) => l.startsWith('  + assignment ')).length;
    expect(created).toBeGreaterThan(20);
    expect(emulator.callCounts()['sso-admin:CreateAccountAssignment']).toBe(created);
  });

  it.skipIf(!hasAws)('reports an assignment made by hand with the AWS CLI as drift (exit 2)', async () => {
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await promisify(execFile)('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], {
            env: { ...process.env, ...env, AWS_PAGER: '' },
          })
        ).stdout,
      ) as Record<string, any>;
    const instance = (await aws('sso-admin', 'list-instances')).Instances[0];
    const users = (await aws('identitystore', 'list-users', '--identity-store-id', instance.IdentityStoreId)).Users as { UserName: string; UserId: string }[];
    const sets = (await aws('sso-admin', 'list-permission-sets', '--instance-arn', instance.InstanceArn)).PermissionSets as string[];
    let adminArn = '';
    for (const arn of sets) {
      const ps = (await aws('sso-admin', 'describe-permission-set', '--instance-arn', instance.InstanceArn, '--permission-set-arn', arn)).PermissionSet;
      if (ps.Name === 'AdministratorAccess') adminArn = arn;
    }
    const someone = users.find((u) => u.UserName.startsWith('victor'))!;
    await aws('sso-admin', 'create-account-assignment', '--instance-arn', instance.InstanceArn, '--target-id', '444444444444', '--target-type', 'AWS_ACCOUNT',
      '--permission-set-arn', adminArn, '--principal-type', 'USER', '--principal-id', someone.UserId);

    const drift = await run(emulator, ['drift', '--format', 'json'], cwd());
    expect(drift.code, drift.stderr).toBe(2);
    expect(drift.stdout).toContain(someone.UserName);
    expect(drift.stdout).toContain('444444444444');
  });
});

describe('gatehouse --store aws when a fifth of the requests fail', () => {
  it('converges on a rerun', async () => {
    const emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'faulty.db'), organization, failRate: 0.2, seed: 42 });
    const cwd = path.join(tmp.dir, 'faulty');
    mkdirSync(cwd, { recursive: true });
    try {
      let code = -1;
      for (let attempt = 0; attempt < 3 && code !== 0; attempt++) code = (await run(emulator, ['apply', '--auto-approve'], cwd)).code;
      expect(code).toBe(0);
      expect((await run(emulator, ['plan', '--detailed-exitcode'], cwd)).code).toBe(0);
      const counts = emulator.callCounts();
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
    } finally {
      await emulator.close();
    }
  });
});
