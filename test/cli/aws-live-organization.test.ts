import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';

// With --store aws the organisation is AWS's: accounts and OUs the config names are checked
// against the live organisation (with validate's did-you-mean), and the organisation file that
// `import` wrote, possibly long ago, is not consulted, so it cannot block a plan (issue 9,
// "Organisations"). The live organisation here is ORG: management, prod (/Root/Prod) and
// sandbox (/Root/Sandbox); the file knows only the first two.

const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
let tmp: { dir: string; cleanup: () => void };
let emulator: Emulator;

const STALE_ORGANIZATION = `managementAccountId: "111111111111"
accounts:
  - { id: "111111111111", name: management }
ous:
  - name: Prod
    accounts:
      - { id: "222222222222", name: prod }
`;

function writeConfig(name: string, assignments: string): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\norganization: organization.yaml\n');
  writeFileSync(path.join(dir, 'organization.yaml'), STALE_ORGANIZATION);
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `users:
  - { userName: alice@example.com, displayName: Alice, name: { given: Alice, family: A }, email: alice@example.com }
permissionSets:
  - { name: ReadOnly, managedPolicies: [ReadOnlyAccess] }
assignments:
${assignments}`,
  );
  return dir;
}

beforeAll(async () => {
  tmp = tempDir('gatehouse-aws-live-org-');
  emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'live.db'), organization: ORG });
});
afterAll(async () => {
  await emulator?.close();
  tmp.cleanup();
});

const plan = (config: string, store = 'aws') =>
  gatehouseAsync(['plan', '--config', config, '--store', store, '--endpoint-url', emulator.url, '--format', 'json'], { cwd: tmp.dir, env }).done;

describe('gatehouse plan --store aws checks the config against the live organisation', () => {
  it('plans an account and an OU that exist live but not in a stale organisation file (was: blocked by validate)', async () => {
    const config = writeConfig(
      'stale',
      `  - { users: [alice@example.com], permissionSets: [ReadOnly], accounts: [sandbox] }
  - { users: [alice@example.com], permissionSets: [ReadOnly], ous: [/Root/Sandbox] }
`,
    );
    const run = await plan(config);
    expect(run.code, run.stderr).toBe(0);
    const planned = JSON.parse(run.stdout) as { changes: { kind: string; assignment?: { accountId: string } }[] };
    const granted = planned.changes.filter((c) => c.kind === 'assignment.create').map((c) => c.assignment!.accountId);
    expect(granted).toEqual(['333333333333']);
    // The embedded store, which serves the organisation file, still holds the config to it.
    const offline = await gatehouseAsync(['validate', '--config', config], { cwd: tmp.dir, env }).done;
    expect(offline.code).toBe(1);
    expect(offline.stdout + offline.stderr).toMatch(/account `sandbox` is not in the organisation/);
  }, 60_000);

  it('a misspelled account or OU is a located plan error with a did-you-mean from the live organisation (exit 1)', async () => {
    const config = writeConfig(
      'typo',
      `  - { users: [alice@example.com], permissionSets: [ReadOnly], accounts: [sandbx] }
  - { users: [alice@example.com], permissionSets: [ReadOnly], ous: [/Root/Sandbx] }
`,
    );
    const run = await plan(config);
    expect(run.code).toBe(1);
    const file = path.join(config, 'config.yaml');
    expect(run.stderr).toContain(`${file}:6:5: error [unknown-account] Account "sandbx" is not in the organisation; did you mean "sandbox"?`);
    expect(run.stderr).toContain(`${file}:7:5: error [unknown-ou] OU "/Root/Sandbx" is not in the organisation; did you mean "/Root/Sandbox"?`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
