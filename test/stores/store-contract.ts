import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatehouseError, RetryableError, TerminalError } from '../../src/diagnostics/errors.js';
import type { Change } from '../../src/diff/change.js';
import type { AssignmentTuple, GroupSpec, Organization, PermissionSetSpec, UserSpec } from '../../src/model/entities.js';
import { compareStrings, managedPolicyArn } from '../../src/model/keys.js';
import type { LiveState } from '../../src/model/live.js';
import type { LiveStore } from '../../src/stores/live-store.js';

// The one suite every store must pass (sqlite in process; the aws store against the emulator
// over HTTP, and against moto). It performs each kind of change and checks the snapshot shows
// exactly its effect, as a user of `gatehouse apply` then `plan` would see it. makeStore must
// return an empty store whose organisation is CONTRACT_ORGANIZATION, or, where the endpoint
// picks the ids itself (moto), that organisation with its ids, returned as `organization`:
// accounts are addressed by name here, never by a literal id.

export const CONTRACT_ORGANIZATION: Organization = {
  managementAccountId: '111111111111',
  ous: [
    { id: 'ou-ab12-prod0001', path: '/Root/Prod', name: 'Prod' },
    { id: 'ou-ab12-sand0001', path: '/Root/Sandbox', name: 'Sandbox' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', email: 'aws-root@acme.example', status: 'ACTIVE', tags: {} },
    { id: '222222222222', name: 'prod-core', ouPath: '/Root/Prod', email: 'prod-core@acme.example', status: 'ACTIVE', tags: { env: 'prod' } },
    { id: '333333333333', name: 'prod-data', ouPath: '/Root/Prod', email: 'prod-data@acme.example', status: 'ACTIVE', tags: { env: 'prod', team: 'data' } },
    { id: '444444444444', name: 'sandbox', ouPath: '/Root/Sandbox', email: 'sandbox@acme.example', status: 'ACTIVE', tags: {} },
  ],
};

const RESOURCE_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const PERMISSION_SET_ARN = /^arn:aws:sso:::permissionSet\/ssoins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;

const alice: UserSpec = { userName: 'alice', displayName: 'Alice Liddell', givenName: 'Alice', familyName: 'Liddell', email: 'alice@acme.example', title: 'Engineer' };
const bob: UserSpec = { userName: 'bob', displayName: 'Bob Builder', givenName: 'Bob', familyName: 'Builder' };
const admins: GroupSpec = { displayName: 'platform-admins', description: 'Platform team' };
const auditors: GroupSpec = { displayName: 'auditors' };

const inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }, null, 2);

const admin: PermissionSetSpec = {
  name: 'Admin',
  description: 'Full access',
  sessionDuration: 'PT4H',
  relayState: 'https://console.aws.amazon.com/',
  managedPolicies: [managedPolicyArn('AdministratorAccess'), managedPolicyArn('job-function/ViewOnlyAccess')],
  customerManagedPolicies: [
    { name: 'acme-deny-billing', path: '/' },
    { name: 'acme-guard', path: '/guards/' },
  ],
  inlinePolicy: inline,
  permissionsBoundary: { customerManagedPolicy: { name: 'acme-boundary', path: '/boundaries/' } },
  tags: { owner: 'platform', tier: '0' },
};

const readOnly: PermissionSetSpec = {
  name: 'ReadOnly',
  sessionDuration: 'PT1H',
  managedPolicies: [managedPolicyArn('ReadOnlyAccess')],
  customerManagedPolicies: [],
  permissionsBoundary: { managedPolicyArn: managedPolicyArn('ReadOnlyAccess') },
  tags: {},
};

const assignment = (principalType: 'USER' | 'GROUP', principalName: string, permissionSetName: string, accountId: string): AssignmentTuple => ({
  principalType,
  principalName,
  permissionSetName,
  accountId,
});

const withoutArn = ({ arn: _arn, ...spec }: LiveState['permissionSets'][number]) => spec;

function expectSorted<T>(items: readonly T[], key: (t: T) => string): void {
  const keys = items.map(key);
  expect(keys).toEqual([...keys].sort(compareStrings));
}

export interface ContractStore {
  readonly store: LiveStore;
  cleanup(): Promise<void>;
  /** The organisation the store holds, when its ids differ from CONTRACT_ORGANIZATION's. */
  readonly organization?: Organization;
}

export interface ContractOptions {
  /**
   * A reason to skip the case of this name (printed with the skip), for an endpoint that does
   * not implement what the case needs; undefined runs it.
   */
  readonly skip?: (caseName: string) => string | undefined;
}

const byAssignmentKey = (a: { principalType: string; principalName?: string; permissionSetName: string; accountId: string }, b: typeof a) =>
  compareStrings(a.principalType, b.principalType) ||
  compareStrings(a.principalName ?? '', b.principalName ?? '') ||
  compareStrings(a.permissionSetName, b.permissionSetName) ||
  compareStrings(a.accountId, b.accountId);
const byProvisioningKey = (a: { permissionSetName: string; accountId: string }, b: typeof a) =>
  compareStrings(a.permissionSetName, b.permissionSetName) || compareStrings(a.accountId, b.accountId);

export function runStoreContract(name: string, makeStore: () => Promise<ContractStore>, options: ContractOptions = {}): void {
  describe(`store contract: ${name}`, () => {
    let store: LiveStore;
    let cleanup: (() => Promise<void>) | undefined;
    let organization: Organization;
    /** The contract organisation's member accounts, by name. */
    const account = { prodCore: '', prodData: '', sandbox: '' };

    beforeEach(async (ctx) => {
      cleanup = undefined;
      const reason = options.skip?.(ctx.task.name);
      if (reason !== undefined) ctx.skip(reason);
      const made = await makeStore();
      ({ store, cleanup } = made);
      organization = made.organization ?? CONTRACT_ORGANIZATION;
      const idOf = (n: string) => organization.accounts.find((a) => a.name === n)!.id;
      Object.assign(account, { prodCore: idOf('prod-core'), prodData: idOf('prod-data'), sandbox: idOf('sandbox') });
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const perform = (...changes: Change[]) => changes.reduce<Promise<unknown>>((p, c) => p.then(() => store.perform(c)), Promise.resolve());
    const createAll = () =>
      perform(
        { kind: 'user.create', after: alice },
        { kind: 'user.create', after: bob },
        { kind: 'group.create', after: admins },
        { kind: 'group.create', after: auditors },
        { kind: 'membership.add', groupName: 'platform-admins', userName: 'alice' },
        { kind: 'membership.add', groupName: 'auditors', userName: 'bob' },
        { kind: 'membership.add', groupName: 'auditors', userName: 'alice' },
        { kind: 'permissionSet.create', after: admin },
        { kind: 'permissionSet.create', after: readOnly },
        { kind: 'assignment.create', assignment: assignment('GROUP', 'platform-admins', 'Admin', account.prodCore) },
        { kind: 'assignment.create', assignment: assignment('GROUP', 'platform-admins', 'Admin', account.prodData) },
        { kind: 'assignment.create', assignment: assignment('USER', 'bob', 'ReadOnly', account.prodCore) },
        { kind: 'assignment.create', assignment: assignment('GROUP', 'auditors', 'ReadOnly', account.sandbox) },
      );

    it('reports the instance ARN and identity store id in the formats of the API models', async () => {
      const live = await store.snapshot();
      // sso-admin InstanceArn and identitystore IdentityStoreId patterns (reference/aws-api).
      expect(live.instanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[a-zA-Z0-9-.]{16}$/);
      expect(live.identityStoreId).toMatch(/^d-[0-9a-f]{10}$/);
    });

    it('shows an empty Identity Center with its instance and the organisation', async () => {
      const live = await store.snapshot();
      expect(live.instanceArn).toBeTruthy();
      expect(live.identityStoreId).toBeTruthy();
      expect([live.users, live.groups, live.memberships, live.permissionSets, live.assignments, live.provisioning]).toEqual([[], [], [], [], [], []]);
      const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => compareStrings(a.id, b.id));
      expect(live.organization.managementAccountId).toBe(organization.managementAccountId);
      expect(byId(live.organization.accounts)).toEqual(byId(organization.accounts));
      expect(byId(live.organization.ous)).toEqual(byId(organization.ous));
      expect(await store.organization()).toEqual(live.organization);
      expect(store.capabilities().write).toBe(true);
    });

    it('creates users, groups and memberships exactly as specified', async () => {
      await perform(
        { kind: 'user.create', after: alice },
        { kind: 'user.create', after: bob },
        { kind: 'group.create', after: admins },
        { kind: 'group.create', after: auditors },
        { kind: 'membership.add', groupName: 'platform-admins', userName: 'alice' },
        { kind: 'membership.add', groupName: 'auditors', userName: 'bob' },
      );
      const live = await store.snapshot();
      expect(live.users.map(({ id, ...u }) => (expect(id).toMatch(RESOURCE_ID), u))).toEqual([alice, bob]);
      expect(live.groups.map(({ id, ...g }) => (expect(id).toMatch(RESOURCE_ID), g))).toEqual([auditors, admins]);
      const idOf = (n: string) => live.users.find((u) => u.userName === n)?.id ?? live.groups.find((g) => g.displayName === n)?.id;
      expect(live.memberships).toEqual([
        { membershipId: expect.stringMatching(RESOURCE_ID), groupId: idOf('auditors'), userId: idOf('bob'), groupName: 'auditors', userName: 'bob' },
        { membershipId: expect.stringMatching(RESOURCE_ID), groupId: idOf('platform-admins'), userId: idOf('alice'), groupName: 'platform-admins', userName: 'alice' },
      ]);
    });

    it('updates user and group fields, including removing optional ones', async () => {
      await perform({ kind: 'user.create', after: alice }, { kind: 'group.create', after: admins });
      const alice2: UserSpec = { userName: 'alice', displayName: 'Alice L.', givenName: 'Alicia', familyName: 'Liddell', title: 'Principal Engineer' };
      await perform(
        { kind: 'user.update', before: alice, after: alice2, fields: ['displayName', 'givenName', 'email', 'title'] },
        { kind: 'group.update', before: admins, after: { displayName: 'platform-admins' }, fields: ['description'] },
      );
      let live = await store.snapshot();
      expect(live.users.map(({ id: _id, ...u }) => u)).toEqual([alice2]);
      expect(live.groups.map(({ id: _id, ...g }) => g)).toEqual([{ displayName: 'platform-admins' }]);
      await perform(
        { kind: 'user.update', before: alice2, after: alice, fields: ['displayName', 'givenName', 'email', 'title'] },
        { kind: 'group.update', before: { displayName: 'platform-admins' }, after: admins, fields: ['description'] },
      );
      live = await store.snapshot();
      expect(live.users.map(({ id: _id, ...u }) => u)).toEqual([alice]);
      expect(live.groups.map(({ id: _id, ...g }) => g)).toEqual([admins]);
    });

    it('removes memberships, and deleting a user or group removes its memberships', async () => {
      await createAll();
      await perform({ kind: 'membership.remove', groupName: 'auditors', userName: 'bob' });
      let live = await store.snapshot();
      expect(live.memberships.map((m) => `${m.groupName}|${m.userName}`)).toEqual(['auditors|alice', 'platform-admins|alice']);
      await perform({ kind: 'user.delete', before: alice });
      live = await store.snapshot();
      expect(live.users.map((u) => u.userName)).toEqual(['bob']);
      expect(live.memberships).toEqual([]);
      await perform({ kind: 'membership.add', groupName: 'auditors', userName: 'bob' }, { kind: 'group.delete', before: auditors });
      live = await store.snapshot();
      expect(live.groups.map((g) => g.displayName)).toEqual(['platform-admins']);
      expect(live.memberships).toEqual([]);
    });

    it('creates permission sets with every policy kind and tags', async () => {
      await perform({ kind: 'permissionSet.create', after: admin }, { kind: 'permissionSet.create', after: readOnly });
      const live = await store.snapshot();
      expect(live.permissionSets.map((p) => p.name)).toEqual(['Admin', 'ReadOnly']);
      for (const p of live.permissionSets) expect(p.arn).toMatch(PERMISSION_SET_ARN);
      expect(live.permissionSets.map(withoutArn)).toEqual([admin, readOnly]);
    });

    it('updates only what differs in a permission set, and removes policies, boundary, inline policy and tags', async () => {
      await perform({ kind: 'permissionSet.create', after: admin });
      const changed: PermissionSetSpec = {
        name: 'Admin',
        description: 'Power users',
        sessionDuration: 'PT8H',
        managedPolicies: [managedPolicyArn('PowerUserAccess')],
        customerManagedPolicies: [{ name: 'acme-guard', path: '/guards/' }],
        permissionsBoundary: { managedPolicyArn: managedPolicyArn('PowerUserAccess') },
        tags: { owner: 'security' },
      };
      await perform({
        kind: 'permissionSet.update',
        before: admin,
        after: changed,
        fields: ['description', 'sessionDuration', 'relayState', 'managedPolicies', 'customerManagedPolicies', 'inlinePolicy', 'permissionsBoundary', 'tags'],
      });
      let live = await store.snapshot();
      expect(live.permissionSets.map(withoutArn)).toEqual([changed]);
      await perform({ kind: 'permissionSet.update', before: changed, after: admin, fields: ['description', 'sessionDuration', 'relayState', 'managedPolicies', 'customerManagedPolicies', 'inlinePolicy', 'permissionsBoundary', 'tags'] });
      live = await store.snapshot();
      expect(live.permissionSets.map(withoutArn)).toEqual([admin]);
    });

    it('creates account assignments for users and groups, provisioned to their accounts', async () => {
      await createAll();
      const live = await store.snapshot();
      const arnOf = (n: string) => live.permissionSets.find((p) => p.name === n)!.arn;
      const idOf = (n: string) => live.users.find((u) => u.userName === n)?.id ?? live.groups.find((g) => g.displayName === n)!.id;
      expect(live.assignments).toEqual([
        { principalType: 'GROUP', principalId: idOf('auditors'), principalName: 'auditors', permissionSetArn: arnOf('ReadOnly'), permissionSetName: 'ReadOnly', accountId: account.sandbox },
        { principalType: 'GROUP', principalId: idOf('platform-admins'), principalName: 'platform-admins', permissionSetArn: arnOf('Admin'), permissionSetName: 'Admin', accountId: account.prodCore },
        { principalType: 'GROUP', principalId: idOf('platform-admins'), principalName: 'platform-admins', permissionSetArn: arnOf('Admin'), permissionSetName: 'Admin', accountId: account.prodData },
        { principalType: 'USER', principalId: idOf('bob'), principalName: 'bob', permissionSetArn: arnOf('ReadOnly'), permissionSetName: 'ReadOnly', accountId: account.prodCore },
      ].sort(byAssignmentKey));
      expect(live.provisioning).toEqual([
        { permissionSetName: 'Admin', accountId: account.prodCore, status: 'LATEST_PERMISSION_SET_PROVISIONED' },
        { permissionSetName: 'Admin', accountId: account.prodData, status: 'LATEST_PERMISSION_SET_PROVISIONED' },
        { permissionSetName: 'ReadOnly', accountId: account.prodCore, status: 'LATEST_PERMISSION_SET_PROVISIONED' },
        { permissionSetName: 'ReadOnly', accountId: account.sandbox, status: 'LATEST_PERMISSION_SET_PROVISIONED' },
      ].sort(byProvisioningKey));
    });

    it('reports the request ids of asynchronous changes and counts writes', async () => {
      await perform({ kind: 'user.create', after: bob }, { kind: 'permissionSet.create', after: readOnly });
      const result = await store.perform({ kind: 'assignment.create', assignment: assignment('USER', 'bob', 'ReadOnly', account.prodCore) });
      expect(result.requestIds).toHaveLength(1);
      expect(result.requestIds[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(result.writes).toBe(1);
    });

    it('marks accounts not provisioned after a content change, and provisioned again after provision', async () => {
      await createAll();
      const moreAdmin: PermissionSetSpec = { ...admin, managedPolicies: [managedPolicyArn('AdministratorAccess')] };
      await perform({ kind: 'permissionSet.update', before: admin, after: moreAdmin, fields: ['managedPolicies'] });
      let live = await store.snapshot();
      expect(live.provisioning.filter((p) => p.permissionSetName === 'Admin').map((p) => p.status)).toEqual([
        'LATEST_PERMISSION_SET_NOT_PROVISIONED',
        'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      ]);
      expect(live.provisioning.filter((p) => p.permissionSetName === 'ReadOnly').every((p) => p.status === 'LATEST_PERMISSION_SET_PROVISIONED')).toBe(true);

      const result = await store.perform({ kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: account.prodCore, reason: 'content-changed' });
      expect(result.requestIds).toHaveLength(1);
      live = await store.snapshot();
      expect(live.provisioning.filter((p) => p.permissionSetName === 'Admin')).toEqual([
        { permissionSetName: 'Admin', accountId: account.prodCore, status: 'LATEST_PERMISSION_SET_PROVISIONED' },
        { permissionSetName: 'Admin', accountId: account.prodData, status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' },
      ].sort(byProvisioningKey));
    });

    it('does not mark accounts behind for a tags-only change', async () => {
      await createAll();
      await perform({ kind: 'permissionSet.update', before: admin, after: { ...admin, tags: { owner: 'security' } }, fields: ['tags'] });
      const live = await store.snapshot();
      expect(live.provisioning.every((p) => p.status === 'LATEST_PERMISSION_SET_PROVISIONED')).toBe(true);
      expect(live.permissionSets.find((p) => p.name === 'Admin')!.tags).toEqual({ owner: 'security' });
    });

    it('refuses to delete a permission set that still has assignments, and changes nothing', async () => {
      await createAll();
      const before = await store.snapshot();
      const error = await store.perform({ kind: 'permissionSet.delete', before: admin }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GatehouseError);
      expect(error instanceof TerminalError || error instanceof RetryableError).toBe(true);
      expect((error as GatehouseError).message).toMatch(/assignment/i);
      expect(await store.snapshot()).toEqual(before);
    });

    it('deletes assignments, then the permission set', async () => {
      await createAll();
      await perform(
        { kind: 'assignment.delete', assignment: assignment('GROUP', 'platform-admins', 'Admin', account.prodCore) },
        { kind: 'assignment.delete', assignment: assignment('GROUP', 'platform-admins', 'Admin', account.prodData) },
        { kind: 'permissionSet.delete', before: admin },
      );
      const live = await store.snapshot();
      expect(live.permissionSets.map((p) => p.name)).toEqual(['ReadOnly']);
      expect(live.assignments.map((a) => a.permissionSetName)).toEqual(['ReadOnly', 'ReadOnly']);
      expect(live.provisioning.map((p) => p.permissionSetName)).toEqual(['ReadOnly', 'ReadOnly']);
    });

    it('keeps assignments of a deleted principal as orphans without a name, deletable by id', async () => {
      await createAll();
      const bobId = (await store.snapshot()).users.find((u) => u.userName === 'bob')!.id;
      await perform({ kind: 'user.delete', before: bob });
      let live = await store.snapshot();
      const orphans = live.assignments.filter((a) => a.principalName === undefined);
      expect(orphans).toHaveLength(1);
      expect(orphans[0]).toMatchObject({ principalType: 'USER', principalId: bobId, permissionSetName: 'ReadOnly', accountId: account.prodCore });
      expect('principalName' in orphans[0]!).toBe(false);
      await perform({
        kind: 'assignment.delete',
        assignment: assignment('USER', 'bob', 'ReadOnly', account.prodCore),
        principalId: bobId,
        cause: 'orphaned',
      });
      live = await store.snapshot();
      expect(live.assignments.filter((a) => a.principalName === undefined)).toEqual([]);
    });

    it('fails an assignment to a principal that does not exist with a terminal error', async () => {
      await perform({ kind: 'permissionSet.create', after: readOnly });
      await expect(store.perform({ kind: 'assignment.create', assignment: assignment('USER', 'nobody', 'ReadOnly', account.prodCore) })).rejects.toBeInstanceOf(
        TerminalError,
      );
      expect((await store.snapshot()).assignments).toEqual([]);
    });

    it('treats a repeated membership add and deletes of missing objects as done', async () => {
      await createAll();
      const before = await store.snapshot();
      await perform(
        { kind: 'membership.add', groupName: 'platform-admins', userName: 'alice' },
        { kind: 'assignment.create', assignment: assignment('USER', 'bob', 'ReadOnly', account.prodCore) },
      );
      expect(await store.snapshot()).toEqual(before);
      await perform({ kind: 'user.delete', before: { ...bob, userName: 'ghost' } }, { kind: 'membership.remove', groupName: 'auditors', userName: 'ghost' });
      expect(await store.snapshot()).toEqual(before);
    });

    it('sorts every snapshot array by natural key', async () => {
      await perform(
        { kind: 'user.create', after: { ...bob, userName: 'zed' } },
        { kind: 'user.create', after: { ...bob, userName: 'Yan' } },
        { kind: 'user.create', after: { ...bob, userName: 'amy' } },
        { kind: 'group.create', after: { displayName: 'zeta' } },
        { kind: 'group.create', after: { displayName: 'Alpha' } },
        { kind: 'group.create', after: { displayName: 'beta' } },
        { kind: 'permissionSet.create', after: { ...readOnly, name: 'Zulu' } },
        { kind: 'permissionSet.create', after: { ...readOnly, name: 'alpha' } },
        { kind: 'membership.add', groupName: 'zeta', userName: 'amy' },
        { kind: 'membership.add', groupName: 'Alpha', userName: 'zed' },
        { kind: 'membership.add', groupName: 'Alpha', userName: 'Yan' },
        { kind: 'assignment.create', assignment: assignment('USER', 'zed', 'alpha', account.sandbox) },
        { kind: 'assignment.create', assignment: assignment('USER', 'amy', 'Zulu', account.prodData) },
        { kind: 'assignment.create', assignment: assignment('GROUP', 'zeta', 'alpha', account.prodCore) },
        { kind: 'assignment.create', assignment: assignment('USER', 'amy', 'Zulu', account.prodCore) },
      );
      const live = await store.snapshot();
      expect(live.users.map((u) => u.userName)).toEqual(['Yan', 'amy', 'zed']);
      expectSorted(live.groups, (g) => g.displayName);
      expectSorted(live.permissionSets, (p) => p.name);
      expectSorted(live.memberships, (m) => `${m.groupName}\u0000${m.userName}`);
      expectSorted(live.assignments, (a) => `${a.principalType}\u0000${a.principalName}\u0000${a.permissionSetName}\u0000${a.accountId}`);
      expectSorted(live.provisioning, (p) => `${p.permissionSetName}\u0000${p.accountId}`);
      expect(live.assignments.map((a) => `${a.principalType}:${a.principalName}|${a.permissionSetName}|${a.accountId}`)).toEqual(
        [
          { principalType: 'GROUP', principalName: 'zeta', permissionSetName: 'alpha', accountId: account.prodCore },
          { principalType: 'USER', principalName: 'amy', permissionSetName: 'Zulu', accountId: account.prodCore },
          { principalType: 'USER', principalName: 'amy', permissionSetName: 'Zulu', accountId: account.prodData },
          { principalType: 'USER', principalName: 'zed', permissionSetName: 'alpha', accountId: account.sandbox },
        ]
          .sort(byAssignmentKey)
          .map((a) => `${a.principalType}:${a.principalName}|${a.permissionSetName}|${a.accountId}`),
      );
    });
  });
}
