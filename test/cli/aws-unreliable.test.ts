import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { hungEndpoint, lossyProxy } from '../stores/aws/loopback-proxy.js';
import { gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';
import { readOrganizationFile } from '../../src/config/organization-file.js';

// `gatehouse --store aws` against endpoints that misbehave as networks and AWS do: one that
// never answers, one that throttles at 2 requests per second, one that loses answers (issue 8).

const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
let tmp: { dir: string; cleanup: () => void };
let config: string;

beforeAll(() => {
  tmp = tempDir('gatehouse-aws-unreliable-');
  config = path.join(tmp.dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'gatehouse.yaml'), 'version: 1\n');
  writeFileSync(
    path.join(config, 'users.yaml'),
    `users:
  - { userName: alice@example.com, displayName: Alice, name: { given: Alice, family: A }, email: alice@example.com }
  - { userName: bob@example.com, displayName: Bob, name: { given: Bob, family: B }, email: bob@example.com }
`,
  );
  writeFileSync(path.join(config, 'groups.yaml'), 'groups:\n  - { name: admins, description: On call, members: [alice@example.com, bob@example.com] }\n');
  writeFileSync(path.join(config, 'permission-sets.yaml'), 'permissionSets:\n  - { name: Admin, sessionDuration: PT1H, managedPolicies: [AdministratorAccess] }\n');
  writeFileSync(
    path.join(config, 'assignments.yaml'),
    'assignments:\n  - { groups: [admins], permissionSets: [Admin], accounts: ["222222222222", "333333333333"] }\n  - { users: [bob@example.com], permissionSets: [Admin], accounts: ["333333333333"] }\n',
  );
});
afterAll(() => tmp.cleanup());

const run = (url: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) =>
  gatehouseAsync([...args, '--config', config, '--store', 'aws', '--endpoint-url', url], { cwd, env: { ...env, ...extraEnv } }).done;

describe('gatehouse --store aws against an endpoint that never answers', () => {
  it('plan ends within --timeout with a message naming the endpoint, exit 1', async () => {
    const hung = await hungEndpoint();
    try {
      const started = performance.now();
      const plan = await run(hung.url, ['plan', '--timeout', '1s'], tmp.dir);
      const elapsed = performance.now() - started;
      expect(plan.code).toBe(1);
      expect(plan.stderr).toContain(hung.url);
      expect(plan.stderr).toMatch(/no answer in time/);
      expect(plan.stderr).not.toMatch(/\n\s+at /); // no stack trace
      // Process start-up and the SDK's import take a few seconds on a loaded machine.
      expect(elapsed).toBeLessThan(10_000);
    } finally {
      await hung.close();
    }
  }, 30_000);

  it('GATEHOUSE_HTTP_TIMEOUT sets the same timeout', async () => {
    const hung = await hungEndpoint();
    try {
      const plan = await run(hung.url, ['plan'], tmp.dir, { GATEHOUSE_HTTP_TIMEOUT: '1s' });
      expect(plan.code).toBe(1);
      expect(plan.stderr).toMatch(/sso:ListInstances to http:\/\/127\.0\.0\.1:\d+: no answer in time \(gave up after 1 attempt in 1\.\d s\)/);
    } finally {
      await hung.close();
    }
  }, 30_000);
});

describe('gatehouse --store aws against an endpoint throttling at 2 requests per second', () => {
  it('apply completes, its verify read finishes, and the next plan has nothing to do', async () => {
    const emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'throttled.db'), organization: ORG, tps: 2 });
    const cwd = path.join(tmp.dir, 'throttled');
    mkdirSync(cwd, { recursive: true });
    try {
      const applied = await run(emulator.url, ['apply', '--auto-approve'], cwd);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete!/);
      const plan = await run(emulator.url, ['plan', '--detailed-exitcode'], cwd);
      expect(plan.code, plan.stderr).toBe(0);
    } finally {
      await emulator.close();
    }
  }, 240_000);
});

// Reading acme takes about a hundred requests, so at 2 per second this plan alone is 50–70 s:
// it runs in the nightly suite (GATEHOUSE_NIGHTLY=1, `npm run test:nightly`). Every run keeps
// the cheaper throttled case above (apply and verify of a small config at 2 requests/s).
const nightly = process.env.GATEHOUSE_NIGHTLY === '1';
if (!nightly) console.log('skipped: plan of examples/acme at 2 requests/s (50–70 s) runs only with GATEHOUSE_NIGHTLY=1');

describe.skipIf(!nightly)('gatehouse --store aws reading examples/acme at 2 requests per second (nightly)', () => {
  it('plan slows down and finishes (was: failed at the first read)', async () => {
    const acme = path.join(repoRoot, 'examples', 'acme');
    const organization = (await readOrganizationFile(path.join(acme, 'organization.yaml'))).organization!;
    const dbPath = path.join(tmp.dir, 'acme.db');
    const cwd = path.join(tmp.dir, 'acme');
    mkdirSync(cwd, { recursive: true });
    const full = await startEmulator({ dbPath, organization });
    try {
      const applied = await gatehouseAsync(['apply', '--auto-approve', '--config', acme, '--store', 'aws', '--endpoint-url', full.url], { cwd, env }).done;
      expect(applied.code, applied.stderr).toBe(0);
    } finally {
      await full.close();
    }
    const throttled = await startEmulator({ dbPath, tps: 2 });
    try {
      const started = performance.now();
      const plan = await gatehouseAsync(['plan', '--detailed-exitcode', '--config', acme, '--store', 'aws', '--endpoint-url', throttled.url], { cwd, env }).done;
      console.log(`plan of examples/acme at 2 requests/s: ${((performance.now() - started) / 1000).toFixed(0)} s, exit ${plan.code}`);
      expect(plan.code, plan.stderr).toBe(0);
    } finally {
      await throttled.close();
    }
  }, 400_000);
});

describe('gatehouse --store aws through a proxy that loses the first answer of every write', () => {
  it('apply converges in one run with no failed change, and the next plan has nothing to do', async () => {
    const emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'lossy.db'), organization: ORG });
    const writes = /^(Create|Delete|Update|Attach|Detach|Put|Provision|Tag|Untag)/;
    const proxy = await lossyProxy(emulator.url, (op) => writes.test(op));
    const cwd = path.join(tmp.dir, 'lossy');
    mkdirSync(cwd, { recursive: true });
    try {
      const applied = await run(proxy.url, ['apply', '--auto-approve'], cwd);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete!/);
      expect(applied.stderr).not.toMatch(/failed|FAILED/);
      expect(new Set(proxy.dropped)).toEqual(
        new Set(['CreateUser', 'CreateGroup', 'CreateGroupMembership', 'CreatePermissionSet', 'AttachManagedPolicyToPermissionSet', 'CreateAccountAssignment']),
      );
      const plan = await run(emulator.url, ['plan', '--detailed-exitcode'], cwd);
      expect(plan.code, plan.stderr + plan.stdout).toBe(0);
    } finally {
      await proxy.close();
      await emulator.close();
    }
  }, 120_000);
});
