import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';

// Gatehouse run from a delegated administrator account, as AWS recommends, against the emulator
// answering sts:GetCallerIdentity with a member account (POST /_emulator/caller). What such a
// caller may not do, from AWS's "Register a member account" page
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html):
// "Enabling or disabling user access in the management account" and "Managing permission sets
// provisioned in the management account"; and the sso-admin model on
// ListAccountAssignmentsForPrincipal: "This action must be called from the management account".
// The plan says so at the config's file:line; apply used to meet AccessDenied half-way.

const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
const MANAGEMENT = ORG.managementAccountId; // 111111111111
const DELEGATED = '333333333333';

let tmp: { dir: string; cleanup: () => void };
let emulator: Emulator;
let config: string;

// One user and one group (2 principals) over three provisioned pairs: listing by principal
// would be the cheaper read, which only the management account may do.
const BASE = `  - { groups: [admins], permissionSets: [Admin], accounts: [management, sandbox] }
  - { users: [alice@example.com], permissionSets: [ReadOnly], accounts: [prod] }
`;

function writeConfig(adminSession: string, extraAssignments = ''): void {
  writeFileSync(
    path.join(config, 'config.yaml'),
    `users:
  - { userName: alice@example.com, displayName: Alice, name: { given: Alice, family: A }, email: alice@example.com }
groups:
  - { name: admins, members: [alice@example.com] }
permissionSets:
  - { name: Admin, sessionDuration: ${adminSession}, managedPolicies: [AdministratorAccess] }
  - { name: ReadOnly, managedPolicies: [ReadOnlyAccess] }
assignments:
${BASE}${extraAssignments}`,
  );
}

const gatehouse = (args: string[]) =>
  gatehouseAsync([...args, '--config', config, '--store', 'aws', '--endpoint-url', emulator.url], { cwd: tmp.dir, env }).done;

const setCaller = async (account: string) => {
  const res = await fetch(`${emulator.url}/_emulator/caller`, { method: 'POST', body: JSON.stringify({ Account: account }) });
  expect(await res.json()).toEqual({ Account: account });
};

beforeAll(async () => {
  tmp = tempDir('gatehouse-aws-delegated-');
  config = path.join(tmp.dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'gatehouse.yaml'), 'version: 1\n');
  emulator = await startEmulator({ dbPath: path.join(tmp.dir, 'live.db'), organization: ORG });
  // The management account sets things up, including access in the management account itself.
  writeConfig('PT1H');
  const applied = await gatehouse(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
  await setCaller(DELEGATED);
}, 120_000);
afterAll(async () => {
  await emulator?.close();
  tmp.cleanup();
});

describe('gatehouse --store aws from a delegated administrator account', () => {
  it('reads without the management-only ListAccountAssignmentsForPrincipal, and plans nothing to do', async () => {
    const before = emulator.callCounts()['sso-admin:ListAccountAssignmentsForPrincipal'] ?? 0;
    const plan = await gatehouse(['plan', '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(emulator.callCounts()['sts:GetCallerIdentity']).toBeGreaterThan(0);
    expect(emulator.callCounts()['sso-admin:ListAccountAssignmentsForPrincipal'] ?? 0).toBe(before);
  }, 60_000);

  it('makes assigning in the management account and changing a permission set provisioned there plan errors at file:line; apply writes nothing', async () => {
    // Admin is provisioned in the management account; a ReadOnly grant there is new; a grant
    // in sandbox is allowed, and must not be applied half-way either.
    writeConfig('PT2H', '  - { users: [alice@example.com], permissionSets: [ReadOnly], accounts: [management, sandbox] }\n');
    const file = path.join(config, 'config.yaml');
    const plan = await gatehouse(['plan']);
    expect(plan.code).toBe(1);
    const errors = plan.stderr.split('\n').filter((l) => l.includes('[not-permitted]'));
    expect(errors).toEqual([
      `${file}:6:5: error [not-permitted] cannot change permission set Admin (sessionDuration): the credentials are of account ${DELEGATED}, a delegated administrator, not the management account ${MANAGEMENT}; AWS lets only the management account change a permission set provisioned in the management account; run Gatehouse with credentials of the management account`,
      `${file}:11:5: error [not-permitted] cannot assign ReadOnly to user alice@example.com in account ${MANAGEMENT}: the credentials are of account ${DELEGATED}, a delegated administrator, not the management account ${MANAGEMENT}; AWS lets only the management account manage access to itself; remove the account from this assignment, or run Gatehouse with credentials of the management account`,
    ]);
    expect(plan.stderr).not.toMatch(/AccessDenied|\n\s+at /);

    const writesBefore = writes();
    const applied = await gatehouse(['apply', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('[not-permitted]');
    expect(applied.stderr).not.toMatch(/AccessDenied/);
    expect(writes()).toEqual(writesBefore);
  }, 60_000);
});

/** Calls that change something, by operation. */
function writes(): Record<string, number> {
  return Object.fromEntries(Object.entries(emulator.callCounts()).filter(([op]) => /:(Create|Delete|Update|Attach|Detach|Put|Provision)/.test(op)));
}
