import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdentityCenterEngine } from '../../../src/stores/identity-center/engine.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

const RESOURCE_ID = /^[0-9a-f]{10}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

let fx: EngineFixture;
afterEach(() => fx?.engine.close());

const assign = (principalId: string, permissionSetArn: string, accountId = '222222222222', principalType = 'USER') => ({
  TargetId: accountId,
  TargetType: 'AWS_ACCOUNT',
  PermissionSetArn: permissionSetArn,
  PrincipalType: principalType,
  PrincipalId: principalId,
});

type Status = { Status: string; RequestId: string; FailureReason?: string };

describe('ids and ARNs', () => {
  it('are in AWS formats, one instance per database', () => {
    fx = engineFixture();
    expect(fx.instanceArn).toMatch(/^arn:aws:sso:::instance\/ssoins-[0-9a-f]{16}$/);
    expect(fx.identityStoreId).toMatch(/^d-[0-9a-f]{10}$/);
    expect(fx.createUser('alice')).toMatch(RESOURCE_ID);
    expect(fx.createGroup('admins')).toMatch(RESOURCE_ID);
    const arn = fx.createPermissionSet('Admin');
    expect(arn).toMatch(new RegExp(`^arn:aws:sso:::permissionSet/${fx.instanceArn.split('/')[1]}/ps-[0-9a-f]{16}$`));
    expect(fx.sso('ListInstances').Instances).toEqual([
      expect.objectContaining({ InstanceArn: fx.instanceArn, IdentityStoreId: fx.identityStoreId, OwnerAccountId: '111111111111', Status: 'ACTIVE' }),
    ]);
  });

  it('are reproducible with injected randomness', () => {
    const seeded = () => {
      let x = 42;
      return () => ((x = (x * 16807) % 2147483647) / 2147483647);
    };
    const a = IdentityCenterEngine.open(':memory:', { random: seeded() });
    const b = IdentityCenterEngine.open(':memory:', { random: seeded() });
    expect(a.instance.instanceArn).toBe(b.instance.instanceArn);
    a.close();
    b.close();
  });
});

describe('asynchronous requests', () => {
  it('report IN_PROGRESS, then SUCCEEDED on the first status call, with the effect already committed', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    const started = fx.sso('CreateAccountAssignment', assign(user, ps)).AccountAssignmentCreationStatus as Status;
    expect(started).toMatchObject({ Status: 'IN_PROGRESS', TargetId: '222222222222', PrincipalId: user, PermissionSetArn: ps });
    expect(started.RequestId).toMatch(UUID);
    expect(fx.sso('ListAccountAssignments', { AccountId: '222222222222', PermissionSetArn: ps }).AccountAssignments).toHaveLength(1);
    expect(fx.sso('ListAccountAssignmentCreationStatus').AccountAssignmentsCreationStatus).toEqual([
      { Status: 'IN_PROGRESS', RequestId: started.RequestId, CreatedDate: expect.any(Number) },
    ]);
    const done = fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: started.RequestId }).AccountAssignmentCreationStatus;
    expect(done).toMatchObject({ Status: 'SUCCEEDED', RequestId: started.RequestId });
    expect(fx.sso('ListAccountAssignmentCreationStatus', { Filter: { Status: 'SUCCEEDED' } }).AccountAssignmentsCreationStatus).toHaveLength(1);
    expect(fx.sso('ListPermissionSetsProvisionedToAccount', { AccountId: '222222222222' }).PermissionSets).toEqual([ps]);
  });

  it('end FAILED with a reason for an unknown principal or an account outside the organisation, and change nothing', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    const user = fx.createUser('alice');
    const ghost = '0123456789-01234567-89ab-4cde-8f01-23456789abcd';
    for (const input of [assign(ghost, ps), assign(user, ps, '999999999999')]) {
      const { RequestId } = fx.sso('CreateAccountAssignment', input).AccountAssignmentCreationStatus as Status;
      const status = fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: RequestId }).AccountAssignmentCreationStatus as Status;
      expect(status.Status).toBe('FAILED');
      expect(status.FailureReason).toMatch(/does not exist|not a member/);
    }
    expect(fx.sso('ListAccountAssignmentsForPrincipal', { PrincipalId: user, PrincipalType: 'USER' }).AccountAssignments).toEqual([]);
    expect(fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps }).AccountIds).toEqual([]);
  });

  it('accept an identical assignment again (idempotent) and fail deleting one that does not exist', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    for (let i = 0; i < 2; i++) {
      const { RequestId } = fx.sso('CreateAccountAssignment', assign(user, ps)).AccountAssignmentCreationStatus as Status;
      expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'SUCCEEDED' });
    }
    expect(fx.sso('ListAccountAssignments', { AccountId: '222222222222', PermissionSetArn: ps }).AccountAssignments).toHaveLength(1);
    const missing = fx.sso('DeleteAccountAssignment', assign(user, ps, '333333333333')).AccountAssignmentDeletionStatus as Status;
    expect(fx.sso('DescribeAccountAssignmentDeletionStatus', { AccountAssignmentDeletionRequestId: missing.RequestId }).AccountAssignmentDeletionStatus).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringMatching(/No such account assignment/),
    });
  });

  it('settle by themselves after a while when nobody polls', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    fx.sso('ProvisionPermissionSet', { PermissionSetArn: ps, TargetType: 'AWS_ACCOUNT', TargetId: '222222222222' });
    expect(fx.sso('ListPermissionSetProvisioningStatus', { Filter: { Status: 'IN_PROGRESS' } }).PermissionSetsProvisioningStatus).toHaveLength(1);
    fx.advance(2000);
    expect(fx.sso('ListPermissionSetProvisioningStatus', { Filter: { Status: 'IN_PROGRESS' } }).PermissionSetsProvisioningStatus).toHaveLength(0);
    expect(fx.sso('ListPermissionSetProvisioningStatus', { Filter: { Status: 'SUCCEEDED' } }).PermissionSetsProvisioningStatus).toHaveLength(1);
  });

  it('allow at most 15 outstanding assignment creations (ThrottlingException), freed as they finish', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    const users = Array.from({ length: 16 }, (_, i) => fx.createUser(`user${i}`));
    const started = users.slice(0, 15).map((u) => (fx.sso('CreateAccountAssignment', assign(u, ps)).AccountAssignmentCreationStatus as Status).RequestId);
    expect(fx.errorOf('sso-admin', 'CreateAccountAssignment', { InstanceArn: fx.instanceArn, ...assign(users[15]!, ps) })).toBe('ThrottlingException');
    fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: started[0] });
    expect(fx.errorOf('sso-admin', 'CreateAccountAssignment', { InstanceArn: fx.instanceArn, ...assign(users[15]!, ps) })).toBeUndefined();
  });

  it('allow one provisioning at a time per permission set and account (ConflictException)', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    const input = { InstanceArn: fx.instanceArn, PermissionSetArn: ps, TargetType: 'AWS_ACCOUNT', TargetId: '222222222222' };
    const first = fx.sso('ProvisionPermissionSet', input).PermissionSetProvisioningStatus as Status;
    expect(fx.errorOf('sso-admin', 'ProvisionPermissionSet', input)).toBe('ConflictException');
    expect(fx.errorOf('sso-admin', 'ProvisionPermissionSet', { ...input, TargetId: '333333333333' })).toBeUndefined();
    fx.sso('DescribePermissionSetProvisioningStatus', { ProvisionPermissionSetRequestId: first.RequestId });
    expect(fx.errorOf('sso-admin', 'ProvisionPermissionSet', input)).toBeUndefined();
  });
});

describe('provisioning status', () => {
  it('falls behind on any content change but not on tags, and catches up with ALL_PROVISIONED_ACCOUNTS', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    for (const account of ['222222222222', '333333333333']) fx.sso('CreateAccountAssignment', assign(user, ps, account));
    const behind = () => fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps, ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }).AccountIds;
    fx.sso('TagResource', { ResourceArn: ps, Tags: [{ Key: 'owner', Value: 'platform' }] });
    expect(behind()).toEqual([]);
    const changes: [string, Record<string, unknown>][] = [
      ['UpdatePermissionSet', { SessionDuration: 'PT2H' }],
      ['AttachManagedPolicyToPermissionSet', { ManagedPolicyArn: ADMIN }],
      ['AttachCustomerManagedPolicyReferenceToPermissionSet', { CustomerManagedPolicyReference: { Name: 'guard' } }],
      ['PutInlinePolicyToPermissionSet', { InlinePolicy: '{"Version":"2012-10-17","Statement":[]}' }],
      ['PutPermissionsBoundaryToPermissionSet', { PermissionsBoundary: { ManagedPolicyArn: ADMIN } }],
      ['DeletePermissionsBoundaryFromPermissionSet', {}],
    ];
    for (const [operation, input] of changes) {
      fx.sso('ProvisionPermissionSet', { PermissionSetArn: ps, TargetType: 'ALL_PROVISIONED_ACCOUNTS' });
      fx.advance(2000);
      expect(behind()).toEqual([]);
      fx.sso(operation, { PermissionSetArn: ps, ...input });
      expect(behind(), operation).toEqual(['222222222222', '333333333333']);
    }
    expect(fx.sso('ListPermissionSetsProvisionedToAccount', { AccountId: '222222222222', ProvisioningStatus: 'LATEST_PERMISSION_SET_PROVISIONED' }).PermissionSets).toEqual([]);
  });

  it('is removed from an account with its last assignment, a while later (permission-set-fidelity.test.ts has the details)', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    fx.sso('CreateAccountAssignment', assign(user, ps));
    fx.sso('DeleteAccountAssignment', assign(user, ps));
    fx.advance(1000);
    expect(fx.sso('ListPermissionSetsProvisionedToAccount', { AccountId: '222222222222' }).PermissionSets).toEqual([]);
  });
});

describe('errors as AWS names them', () => {
  it('answers not found, validation, conflict, quota and unknown operation', () => {
    fx = engineFixture({ limits: { maxPoliciesPerPermissionSet: 2 } });
    const user = fx.createUser('alice');
    const group = fx.createGroup('admins');
    const ps = fx.createPermissionSet('Admin');
    const missingId = '0123456789-01234567-89ab-4cde-8f01-23456789abcd';
    const I = { IdentityStoreId: fx.identityStoreId };
    const S = { InstanceArn: fx.instanceArn };
    expect(fx.errorOf('identitystore', 'DescribeUser', { ...I, UserId: missingId })).toBe('ResourceNotFoundException');
    expect(fx.errorOf('identitystore', 'DescribeUser', { ...I, UserId: 'not-an-id' })).toBe('ValidationException');
    expect(fx.errorOf('identitystore', 'DescribeUser', { ...I })).toBe('ValidationException');
    expect(fx.errorOf('identitystore', 'CreateUser', { ...I, UserName: 'ALICE', DisplayName: 'A' })).toBe('ConflictException');
    expect(fx.errorOf('identitystore', 'CreateGroup', { ...I, DisplayName: 'admins' })).toBe('ConflictException');
    expect(fx.errorOf('identitystore', 'CreateUser', { ...I, UserName: 'Administrator', DisplayName: 'A' })).toBe('ValidationException');
    fx.ids('CreateGroupMembership', { GroupId: group, MemberId: { UserId: user } });
    expect(fx.errorOf('identitystore', 'CreateGroupMembership', { ...I, GroupId: group, MemberId: { UserId: user } })).toBe('ConflictException');
    expect(fx.errorOf('identitystore', 'GetUserId', { ...I, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'bob' } } })).toBe('ResourceNotFoundException');
    expect(fx.errorOf('identitystore', 'ListUsers', { IdentityStoreId: 'd-0000000000' })).toBe('ResourceNotFoundException');
    expect(fx.errorOf('sso-admin', 'CreatePermissionSet', { ...S, Name: 'Admin' })).toBe('ConflictException');
    expect(fx.errorOf('sso-admin', 'CreatePermissionSet', { ...S, Name: 'Long', SessionDuration: 'PT13H' })).toBe('ValidationException');
    expect(fx.errorOf('sso-admin', 'DescribePermissionSet', { ...S, PermissionSetArn: ps.replace(/ps-.*/, 'ps-0000000000000000') })).toBe('ResourceNotFoundException');
    expect(fx.errorOf('sso-admin', 'DescribePermissionSet', { ...S, PermissionSetArn: 'arn:aws:sso:::permissionSet/x' })).toBe('ValidationException');
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: ADMIN });
    expect(fx.errorOf('sso-admin', 'AttachManagedPolicyToPermissionSet', { ...S, PermissionSetArn: ps, ManagedPolicyArn: ADMIN })).toBe('ConflictException');
    fx.sso('AttachCustomerManagedPolicyReferenceToPermissionSet', { PermissionSetArn: ps, CustomerManagedPolicyReference: { Name: 'a' } });
    expect(fx.errorOf('sso-admin', 'AttachCustomerManagedPolicyReferenceToPermissionSet', { ...S, PermissionSetArn: ps, CustomerManagedPolicyReference: { Name: 'b' } })).toBe(
      'ServiceQuotaExceededException',
    );
    expect(fx.errorOf('sso-admin', 'DetachManagedPolicyFromPermissionSet', { ...S, PermissionSetArn: ps, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })).toBe(
      'ResourceNotFoundException',
    );
    const tooBig = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'x'.repeat(33000) }] });
    expect(fx.errorOf('sso-admin', 'PutInlinePolicyToPermissionSet', { ...S, PermissionSetArn: ps, InlinePolicy: tooBig })).toBe('ValidationException');
    expect(fx.errorOf('sso-admin', 'PutInlinePolicyToPermissionSet', { ...S, PermissionSetArn: ps, InlinePolicy: '{not json' })).toBe('ValidationException');
    fx.sso('CreateAccountAssignment', assign(user, ps));
    expect(fx.errorOf('sso-admin', 'DeletePermissionSet', { ...S, PermissionSetArn: ps })).toBe('ConflictException');
    expect(fx.errorOf('organizations', 'DescribeAccount', { AccountId: '999999999999' })).toBe('AccountNotFoundException');
    expect(fx.errorOf('sso-admin', 'CreateAccount', {})).toBe('UnknownOperationException');
  });
});

describe('transactions', () => {
  it('leave nothing behind when a call fails halfway', () => {
    fx = engineFixture();
    const tags = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    // The permission set row is inserted before the tag quota is checked; the failure rolls it back.
    expect(fx.errorOf('sso-admin', 'CreatePermissionSet', { InstanceArn: fx.instanceArn, Name: 'Tagged', Tags: tags })).toBe('ServiceQuotaExceededException');
    expect(fx.sso('ListPermissionSets').PermissionSets).toEqual([]);
    expect(fx.engine.db.prepare('SELECT count(*) AS n FROM sso_tags').get()).toEqual({ n: 0 });
  });

  it('let two engines share one file: one instance, each sees the other\'s writes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-engine-'));
    try {
      const file = path.join(dir, 'live.db');
      const a = IdentityCenterEngine.open(file);
      const b = IdentityCenterEngine.open(file);
      expect(b.instance).toEqual(a.instance);
      const I = { IdentityStoreId: a.instance.identityStoreId };
      for (let i = 0; i < 20; i++) {
        (i % 2 ? a : b).call('identitystore', 'CreateUser', { ...I, UserName: `u${i}`, DisplayName: `U ${i}` });
      }
      const listed = (e: IdentityCenterEngine) => (e.call('identitystore', 'ListUsers', { ...I, MaxResults: 100 }).Users as { UserName: string }[]).length;
      expect([listed(a), listed(b)]).toEqual([20, 20]);
      expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
      a.close();
      b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('let another engine on the file see a polled request finished after the poller writes again or closes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-engine-'));
    try {
      const file = path.join(dir, 'live.db');
      const clock = () => new Date('2026-11-29T12:00:00Z');
      fx = engineFixture({ clock }, file);
      const other = IdentityCenterEngine.open(file, { clock });
      const succeeded = () =>
        other.call('sso-admin', 'ListAccountAssignmentCreationStatus', { InstanceArn: fx.instanceArn, Filter: { Status: 'SUCCEEDED' } })
          .AccountAssignmentsCreationStatus as Status[];
      const ps = fx.createPermissionSet('Admin');
      const poll = (user: string) => {
        const { RequestId } = fx.sso('CreateAccountAssignment', assign(user, ps)).AccountAssignmentCreationStatus as Status;
        expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'SUCCEEDED' });
        // The poller itself never sees it in progress again.
        expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'SUCCEEDED' });
        return RequestId;
      };
      const first = poll(fx.createUser('alice'));
      fx.createUser('bob');
      expect(succeeded().map((s) => s.RequestId)).toEqual([first]);
      const second = poll(fx.ids('GetUserId', { AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'bob' } } }).UserId as string);
      fx.engine.close();
      expect(succeeded().map((s) => s.RequestId)).toEqual([first, second]);
      other.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('pagination', () => {
  it('pages with MaxResults and an opaque NextToken, 50 users by default', () => {
    fx = engineFixture();
    for (let i = 0; i < 120; i++) fx.createUser(`user${String(i).padStart(3, '0')}`);
    const pages: number[] = [];
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = fx.ids('ListUsers', token ? { NextToken: token } : {});
      const users = page.Users as { UserName: string }[];
      pages.push(users.length);
      names.push(...users.map((u) => u.UserName));
      token = page.NextToken as string | undefined;
      if (token) expect(token).toMatch(/^[-a-zA-Z0-9+=/_]+$/);
    } while (token);
    expect(pages).toEqual([50, 50, 20]);
    expect(new Set(names).size).toBe(120);
    const small = fx.ids('ListUsers', { MaxResults: 7 });
    expect((small.Users as unknown[]).length).toBe(7);
    expect(fx.errorOf('identitystore', 'ListUsers', { IdentityStoreId: fx.identityStoreId, NextToken: 'garbage' })).toBe('ValidationException');
    expect(fx.errorOf('identitystore', 'ListGroups', { IdentityStoreId: fx.identityStoreId, NextToken: small.NextToken })).toBe('ValidationException');
    expect(fx.errorOf('identitystore', 'ListUsers', { IdentityStoreId: fx.identityStoreId, MaxResults: 101 })).toBe('ValidationException');
  });

  it('pages organisation listings by 20', () => {
    fx = engineFixture();
    fx.engine.loadOrganization({
      managementAccountId: '100000000000',
      ous: [],
      accounts: Array.from({ length: 45 }, (_, i) => ({ id: String(100000000000 + i), name: `a${i}`, ouPath: '/Root', tags: {} })),
    });
    const first = fx.org('ListAccounts');
    expect((first.Accounts as unknown[]).length).toBe(20);
    const second = fx.org('ListAccounts', { NextToken: first.NextToken });
    const third = fx.org('ListAccounts', { NextToken: second.NextToken });
    expect((third.Accounts as unknown[]).length).toBe(5);
    expect(third.NextToken).toBeUndefined();
  });
});

describe('identity store', () => {
  it('updates attributes by path and removes optional ones without a value', () => {
    fx = engineFixture();
    const id = String(fx.ids('CreateUser', { UserName: 'alice', DisplayName: 'Alice', Name: { GivenName: 'Alice', FamilyName: 'L' }, Title: 'Eng', Emails: [{ Value: 'a@x.example', Type: 'work', Primary: true }] }).UserId);
    fx.ids('UpdateUser', {
      UserId: id,
      Operations: [
        { AttributePath: 'displayName', AttributeValue: 'Alice L' },
        { AttributePath: 'name.familyName', AttributeValue: 'Liddell' },
        { AttributePath: 'emails', AttributeValue: [{ value: 'alice@x.example', type: 'work', primary: true }] },
        { AttributePath: 'title' },
      ],
    });
    expect(fx.ids('DescribeUser', { UserId: id })).toMatchObject({
      UserName: 'alice',
      DisplayName: 'Alice L',
      Name: { GivenName: 'Alice', FamilyName: 'Liddell' },
      Emails: [{ Value: 'alice@x.example', Type: 'work', Primary: true }],
      UserStatus: 'ENABLED',
    });
    expect(fx.ids('DescribeUser', { UserId: id }).Title).toBeUndefined();
    expect(fx.ids('GetUserId', { AlternateIdentifier: { UniqueAttribute: { AttributePath: 'emails.value', AttributeValue: 'alice@x.example' } } }).UserId).toBe(id);
    expect(fx.ids('ListUsers', { Filters: [{ AttributePath: 'UserName', AttributeValue: 'ALICE' }] }).Users).toHaveLength(1);
  });

  it('deletes memberships with their user or group, but keeps account assignments as orphans', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const group = fx.createGroup('admins');
    const ps = fx.createPermissionSet('Admin');
    const { MembershipId } = fx.ids('CreateGroupMembership', { GroupId: group, MemberId: { UserId: user } });
    expect(fx.ids('IsMemberInGroups', { MemberId: { UserId: user }, GroupIds: [group] }).Results).toEqual([
      { GroupId: group, MemberId: { UserId: user }, MembershipExists: true },
    ]);
    expect(fx.ids('GetGroupMembershipId', { GroupId: group, MemberId: { UserId: user } }).MembershipId).toBe(MembershipId);
    fx.sso('CreateAccountAssignment', assign(user, ps));
    fx.sso('CreateAccountAssignment', assign(group, ps, '222222222222', 'GROUP'));
    fx.ids('DeleteUser', { UserId: user });
    fx.ids('DeleteGroup', { GroupId: group });
    expect(fx.errorOf('identitystore', 'DescribeGroupMembership', { IdentityStoreId: fx.identityStoreId, MembershipId })).toBe('ResourceNotFoundException');
    expect(fx.sso('ListAccountAssignments', { AccountId: '222222222222', PermissionSetArn: ps }).AccountAssignments).toHaveLength(2);
  });
});

describe('organizations', () => {
  it('answers the tree of roots, OUs and accounts with tags', () => {
    fx = engineFixture();
    const [root] = fx.org('ListRoots').Roots as { Id: string; Arn: string }[];
    expect(root!.Id).toMatch(/^r-[0-9a-z]{4}$/);
    const ous = fx.org('ListOrganizationalUnitsForParent', { ParentId: root!.Id }).OrganizationalUnits as { Id: string; Name: string }[];
    expect(ous.map((o) => o.Name)).toEqual(['Prod', 'Sandbox']);
    expect((fx.org('ListAccountsForParent', { ParentId: 'ou-ab12-prod0001' }).Accounts as { Id: string }[]).map((a) => a.Id)).toEqual(['222222222222', '333333333333']);
    expect(fx.org('ListChildren', { ParentId: root!.Id, ChildType: 'ACCOUNT' }).Children).toEqual([{ Id: '111111111111', Type: 'ACCOUNT' }]);
    expect(fx.org('ListParents', { ChildId: '333333333333' }).Parents).toEqual([{ Id: 'ou-ab12-prod0001', Type: 'ORGANIZATIONAL_UNIT' }]);
    expect(fx.org('ListTagsForResource', { ResourceId: '333333333333' }).Tags).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'data' },
    ]);
    expect(fx.org('DescribeOrganization').Organization).toMatchObject({ MasterAccountId: '111111111111', FeatureSet: 'ALL' });
    expect(fx.org('DescribeAccount', { AccountId: '222222222222' }).Account).toMatchObject({ Name: 'prod-core', Email: 'prod-core@acme.example', Status: 'ACTIVE' });
    expect(fx.errorOf('organizations', 'ListChildren', { ParentId: 'ou-zzzz-zzzzzzzz', ChildType: 'ACCOUNT' })).toBe('ParentNotFoundException');
  });

  it('refuses an organisation whose accounts sit in unknown OUs, keeping the one loaded', () => {
    fx = engineFixture();
    expect(() => fx.engine.loadOrganization({ managementAccountId: '1', ous: [], accounts: [{ id: '555555555555', name: 'x', ouPath: '/Root/Nope', tags: {} }] })).toThrow(/unknown OU/);
    expect(fx.engine.organization()?.accounts).toHaveLength(4);
  });
});
