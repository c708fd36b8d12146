import { DescribeAccountCommand, ListAccountsForParentCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { TerminalError } from '../../src/diagnostics/errors.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { Organization, PermissionSetSpec } from '../../src/model/entities.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { isEmptyPlan } from '../../src/plan/plan.js';
import { openAwsStore, type AwsStore } from '../../src/stores/aws/aws-store.js';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { IdentityCenterEngine } from '../../src/stores/identity-center/engine.js';
import type { LiveStore } from '../../src/stores/live-store.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { desiredState, rule, user } from '../plan/builders.js';
import { awsJson } from './fixture.js';

// Permission sets through the AWS store, the real SDK and the emulator on 127.0.0.1, as AWS
// behaves (issue 9); the clearing case on the embedded store too. Sources are cited per case.

const FAKE_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
const savedEnv: Record<string, string | undefined> = {};
const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-ps-lifecycle-'));
beforeAll(() => {
  for (const [k, v] of Object.entries(FAKE_AWS_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-11-29T12:00:00Z');
const MEMBERS = Array.from({ length: 120 }, (_, i) => `5${String(i).padStart(11, '0')}`);
const ORGANIZATION: Organization = {
  managementAccountId: '111111111111',
  ous: [{ id: 'ou-ab12-prod0001', path: '/Root/Prod', name: 'Prod' }],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', tags: {} },
    { id: '222222222222', name: 'prod', ouPath: '/Root/Prod', tags: {} },
    { id: '333333333333', name: 'closed', ouPath: '/Root/Prod', status: 'CLOSED', tags: {} },
  ],
};
/** The organisation grown by 120 members, for paging (a snapshot reads every account's tags: kept out of the other cases). */
const LARGE_ORGANIZATION: Organization = {
  ...ORGANIZATION,
  accounts: [...ORGANIZATION.accounts, ...MEMBERS.map((id) => ({ id, name: `member-${id.slice(-3)}`, ouPath: '/Root', tags: {} }))],
};

const alice = user('alice');
const admin: PermissionSetSpec = {
  name: 'Admin',
  description: 'Full access',
  relayState: 'https://console.aws.amazon.com/',
  sessionDuration: 'PT1H',
  managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
  customerManagedPolicies: [{ name: 'guard', path: '/' }],
  tags: {},
};
const desired = (permissionSets: PermissionSetSpec[]): DesiredState =>
  desiredState({
    users: [alice],
    permissionSets,
    assignments: permissionSets.length > 0 ? [rule({ users: ['alice'], permissionSets: permissionSets.map((p) => p.name), accounts: ['prod'] })] : [],
  });

async function apply(store: LiveStore, state: DesiredState): Promise<void> {
  const plan = buildPlan({ desired: state, live: await store.snapshot(), now: NOW });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await applyPlan({ store, plan });
  expect(result.outcomes.filter((o) => o.status !== 'applied').map((o) => `${o.target}: ${o.error}`)).toEqual([]);
}

async function plansNothing(store: LiveStore, state: DesiredState): Promise<void> {
  const plan = buildPlan({ desired: state, live: await store.snapshot(), now: NOW });
  expect(isEmptyPlan(plan), JSON.stringify(plan.waves)).toBe(true);
}

describe('permission sets through the AWS store against the emulator', () => {
  let emulator: Emulator;
  let store: AwsStore;
  const dbPath = path.join(dir, 'aws.db');
  beforeAll(async () => {
    emulator = await startEmulator({ dbPath, organization: ORGANIZATION });
    store = await openAwsStore({ endpointUrl: emulator.url, region: 'us-east-1', maxRps: 200 });
  });
  afterAll(async () => {
    await store?.close();
    await emulator?.close();
  });
  const describeAdmin = async () => {
    const arn = (await store.snapshot()).permissionSets.find((p) => p.name === 'Admin')!.arn;
    return (await awsJson(emulator.url, 'sso-admin', 'DescribePermissionSet', { InstanceArn: emulator.instanceArn, PermissionSetArn: arn })).body.PermissionSet as Record<string, unknown>;
  };

  // sso-admin.service.json: PermissionSetDescription and RelayState have min length 1, so AWS
  // cannot remove them; Gatehouse writes a blank, AWS keeps and returns it, and the reader takes it as none.
  it('clears a description and relay state once, then plans nothing (AWS keeps the blank; model: min length 1)', async () => {
    await apply(store, desired([admin]));
    const { description: _d, relayState: _r, ...cleared } = admin;
    await apply(store, desired([cleared]));
    expect(await describeAdmin()).toMatchObject({ Description: ' ', RelayState: ' ' });
    const live = (await store.snapshot()).permissionSets.find((p) => p.name === 'Admin')!;
    expect('description' in live || 'relayState' in live).toBe(false);
    await plansNothing(store, desired([cleared]));
  });

  // "Delete permission sets" (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html):
  // remove it from all accounts first; the account is deprovisioned some time after its last
  // assignment (the emulator: 1 s), and DeletePermissionSet is refused meanwhile.
  it('deletes a permission set after its last assignment: waits for deprovisioning, one DeletePermissionSet, no policy detached', async () => {
    await apply(store, desired([admin]));
    emulator.resetCounts();
    const started = Date.now();
    await apply(store, desired([]));
    const counts = emulator.callCounts();
    expect(counts['sso-admin:DeletePermissionSet']).toBe(1);
    expect(counts['sso-admin:DetachManagedPolicyFromPermissionSet']).toBeUndefined();
    expect(counts['sso-admin:DetachCustomerManagedPolicyReferenceFromPermissionSet']).toBeUndefined();
    expect(counts['sso-admin:ListAccountsForProvisionedPermissionSet']).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await store.snapshot()).permissionSets).toEqual([]);
    await plansNothing(store, desired([]));
  });

  // Issue 9, as AWS answers it: ResourceNotFoundException "Policy does not exist with ARN …".
  it('fails, not retries, an attachment of a policy AWS does not have, with AWS\'s message', async () => {
    const error = await store
      .perform({ kind: 'permissionSet.create', after: { ...admin, name: 'Typo', managedPolicies: ['arn:aws:iam::aws:policy/AWSGlueConsolFullAccess'] } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toMatch(/ResourceNotFoundException: Policy does not exist with ARN arn:aws:iam::aws:policy\/AWSGlueConsolFullAccess/);
  });

  // organizations.service.json: its operations answer InvalidInputException (with a Reason), there
  // is no ValidationException; Account.State is read before the retired Account.Status.
  it('speaks Organizations\' errors and account states to the SDK (model: InvalidInputException, Account.State)', async () => {
    const client = new OrganizationsClient({ endpoint: emulator.url, region: 'us-east-1' });
    try {
      const error = await client.send(new ListAccountsForParentCommand({ ParentId: 'not-a-parent' })).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InvalidInputException', Reason: 'INVALID_PATTERN' });
      const closed = await client.send(new DescribeAccountCommand({ AccountId: '333333333333' }));
      expect(closed.Account).toMatchObject({ State: 'CLOSED', Status: 'SUSPENDED' });
    } finally {
      client.destroy();
    }
    expect((await store.organization()).accounts.find((a) => a.id === '333333333333')?.status).toBe('CLOSED');
  });

  // sso-admin.paginators.json: ListAccountsForProvisionedPermissionSet pages (result_key
  // AccountIds, MaxResults at most 100); the store reads every page.
  it('reads every page of ListAccountsForProvisionedPermissionSet: a set provisioned to 120 accounts (model paginator)', async () => {
    // Seeded through a second engine on the same file (faster than 120 requests over HTTP).
    const seeder = IdentityCenterEngine.open(dbPath);
    try {
      seeder.loadOrganization(LARGE_ORGANIZATION);
      const call = (op: string, input: Record<string, unknown>) => seeder.call('sso-admin', op, { InstanceArn: seeder.instance.instanceArn, ...input });
      const arn = String((call('CreatePermissionSet', { Name: 'Everywhere' }).PermissionSet as { PermissionSetArn: string }).PermissionSetArn);
      const userId = String(seeder.call('identitystore', 'CreateUser', { IdentityStoreId: seeder.instance.identityStoreId, UserName: 'wanderer', DisplayName: 'W', Name: { GivenName: 'W', FamilyName: 'W' } }).UserId);
      for (const accountId of MEMBERS) {
        const status = call('CreateAccountAssignment', { TargetId: accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: arn, PrincipalType: 'USER', PrincipalId: userId }).AccountAssignmentCreationStatus as { RequestId: string };
        call('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: status.RequestId });
      }
    } finally {
      seeder.close();
    }
    emulator.resetCounts();
    const live = await store.snapshot();
    expect(live.provisioning.filter((p) => p.permissionSetName === 'Everywhere').map((p) => p.accountId).sort()).toEqual(MEMBERS);
    expect(live.assignments.filter((a) => a.permissionSetName === 'Everywhere')).toHaveLength(120);
    // Every provisioned account, then the ones behind: two pages and one; one listing for each
    // other set, provisioned nowhere.
    expect(emulator.callCounts()['sso-admin:ListAccountsForProvisionedPermissionSet']).toBe(3 + live.permissionSets.length - 1);
  });
});

describe('clearing on the embedded store', () => {
  it('clears a description and relay state once, then plans nothing (the engine keeps the blank, the reader takes it as none)', async () => {
    const store = await openSqliteStore(path.join(dir, 'embedded.db'), { organization: ORGANIZATION });
    try {
      await apply(store, desired([admin]));
      const { description: _d, relayState: _r, ...cleared } = admin;
      await apply(store, desired([cleared]));
      const arn = (await store.snapshot()).permissionSets[0]!.arn;
      expect(store.engine.call('sso-admin', 'DescribePermissionSet', { InstanceArn: store.engine.instance.instanceArn, PermissionSetArn: arn }).PermissionSet).toMatchObject({
        Description: ' ',
        RelayState: ' ',
      });
      await plansNothing(store, desired([cleared]));
    } finally {
      await store.close();
    }
  });
});
