import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { diffStates } from '../../src/diff/diff.js';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import type { DesiredState } from '../../src/model/desired.js';
import { groupKey, managedPolicyArn, userKey } from '../../src/model/keys.js';
import type { LiveState } from '../../src/model/live.js';
import {
  account,
  at,
  desiredState,
  group,
  liveAssignment,
  liveGroup,
  liveMatching,
  liveMembership,
  livePermissionSet,
  liveState,
  liveUser,
  organization,
  permissionSet,
  provisioned,
  rule,
  settings,
  user,
} from '../plan/builders.js';

const NOW = new Date('2026-06-01T00:00:00Z');
const org = organization(
  [account('111111111111', 'management'), account('222222222222', 'prod', '/Root/Prod'), account('333333333333', 'dev', '/Root/Dev')],
  { managementAccountId: '111111111111' },
);

function diff(desired: DesiredState, live: LiveState) {
  const expansion = expandAssignments(desired.assignments, live.organization, NOW);
  return diffStates({ desired, live, expanded: expansion.tuples, expired: expansion.expired, now: NOW });
}
const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind).sort();
const only = <K extends Change['kind']>(changes: readonly Change[], kind: K) =>
  changes.filter((c): c is Extract<Change, { kind: K }> => c.kind === kind);

describe('users and groups', () => {
  it('creates missing users and groups and changes nothing when equal', () => {
    const desired = desiredState({ users: [user('alice')], groups: [group('ops', { description: 'x' })] });
    expect(kinds(diff(desired, liveState()).changes)).toEqual(['group.create', 'user.create']);
    expect(diff(desired, liveMatching(desired)).changes).toEqual([]);
  });

  it('lists exactly the user fields that differ', () => {
    const desired = desiredState({ users: [user('alice', { displayName: 'Alice L', email: 'a@x', title: 'Boss' })] });
    const live = liveState({ users: [liveUser(user('alice', { displayName: 'Alice', email: 'a@x', familyName: 'Other' }))] });
    const [change] = diff(desired, live).changes;
    expect(change).toMatchObject({ kind: 'user.update', fields: ['displayName', 'familyName', 'title'] });
  });

  it('treats an empty optional string as absent', () => {
    const desired = desiredState({ users: [user('alice')], groups: [group('ops')] });
    const live = liveState({ users: [liveUser(user('alice', { title: '' }))], groups: [liveGroup(group('ops', { description: '' }))] });
    expect(diff(desired, live).changes).toEqual([]);
  });

  it('updates a group description', () => {
    const desired = desiredState({ groups: [group('ops', { description: 'new' })] });
    const live = liveState({ groups: [liveGroup(group('ops', { description: 'old' }))] });
    expect(diff(desired, live).changes).toMatchObject([{ kind: 'group.update', fields: ['description'] }]);
  });

  it('deletes undeclared users and groups under prune, lists them under keep', () => {
    const live = liveState({ users: [liveUser(user('carol'))], groups: [liveGroup(group('old'))] });
    expect(kinds(diff(desiredState(), live).changes)).toEqual(['group.delete', 'user.delete']);
    const keep = diff(desiredState({ settings: settings({ ownership: { users: 'keep', groups: 'keep' } }) }), live);
    expect(keep.changes).toEqual([]);
    expect(keep.unmanaged).toEqual([
      { kind: 'group', key: groupKey('old') },
      { kind: 'user', key: userKey('carol') },
    ]);
  });

  it('never touches or lists ignored principals, and warns when the config declares one', () => {
    const s = settings({ ignore: { users: ['*@contractor.example'], groups: ['AWSControlTower*'] } });
    const live = liveState({
      users: [liveUser(user('x@contractor.example'))],
      groups: [liveGroup(group('AWSControlTowerAdmins'))],
      memberships: [liveMembership('AWSControlTowerAdmins', 'x@contractor.example')],
    });
    expect(diff(desiredState({ settings: s }), live)).toMatchObject({ changes: [], unmanaged: [] });
    const declaring = diff(desiredState({ settings: s, users: [user('y@contractor.example', { displayName: 'Y' })] }), live);
    expect(declaring.changes).toEqual([]);
    expect(declaring.diagnostics).toMatchObject([{ severity: 'warning', rule: 'ignored-but-declared' }]);
  });
});

describe('memberships', () => {
  const base = desiredState({
    users: [user('alice'), user('bob')],
    groups: [group('ops')],
    memberships: [{ groupName: 'ops', userName: 'alice' }],
  });

  it('adds declared memberships and removes undeclared ones in managed groups', () => {
    const live = liveMatching(base, { memberships: [liveMembership('ops', 'bob')] });
    expect(diff(base, live).changes).toEqual([
      { kind: 'membership.remove', groupName: 'ops', userName: 'bob' },
      { kind: 'membership.add', groupName: 'ops', userName: 'alice' },
    ]);
  });

  it('lists undeclared memberships under keep', () => {
    const desired = { ...base, settings: settings({ ownership: { memberships: 'keep' } }) };
    const result = diff(desired, liveMatching(base, { memberships: [liveMembership('ops', 'alice'), liveMembership('ops', 'bob')] }));
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([{ kind: 'membership', key: 'membership:ops|bob' }]);
  });

  it('leaves the members of a kept, undeclared group alone', () => {
    const desired = { ...base, settings: settings({ ownership: { groups: 'keep' } }) };
    const live = liveMatching(base, {
      groups: [liveGroup(group('ops')), liveGroup(group('theirs'))],
      memberships: [liveMembership('ops', 'alice'), liveMembership('theirs', 'bob')],
    });
    const result = diff(desired, live);
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([{ kind: 'group', key: groupKey('theirs') }]);
  });

  it('removes an orphaned membership by its id', () => {
    const live = liveMatching(base, {
      memberships: [liveMembership('ops', 'alice'), { membershipId: 'm-9', groupId: 'g-ops', userId: 'u-gone', groupName: 'ops' }],
    });
    expect(diff(base, live).changes).toEqual([{ kind: 'membership.remove', groupName: 'ops', userName: 'u-gone', membershipId: 'm-9' }]);
  });

  it('reports a member that exists nowhere', () => {
    const desired = { ...base, memberships: [{ groupName: 'ops', userName: 'nobody' }], sources: new Map([['membership:ops|nobody', at('groups.yaml', 4, 7)]]) };
    const result = diff(desired, liveMatching(base));
    expect(only(result.changes, 'membership.add')).toEqual([]);
    expect(result.diagnostics).toMatchObject([{ severity: 'error', rule: 'unknown-member', source: at('groups.yaml', 4, 7) }]);
  });
});

describe('permission sets', () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }] };
  const ps = permissionSet('Admin', {
    description: 'd',
    managedPolicies: [managedPolicyArn('AdministratorAccess')],
    customerManagedPolicies: [{ name: 'deny', path: '/' }],
    inlinePolicy: JSON.stringify(policy, null, 2),
    permissionsBoundary: { managedPolicyArn: managedPolicyArn('PowerUserAccess') },
    tags: { owner: 'platform' },
  });

  it('does not see formatting or key order of the inline policy as a change', () => {
    const reordered = JSON.stringify({ Statement: [{ Resource: '*', Action: 'iam:*', Effect: 'Deny' }], Version: '2012-10-17' });
    const live = liveState({ permissionSets: [livePermissionSet({ ...ps, inlinePolicy: reordered })] });
    expect(diff(desiredState({ permissionSets: [ps] }), live).changes).toEqual([]);
  });

  it.each([
    ['description', { description: 'other' }],
    ['sessionDuration', { sessionDuration: 'PT8H' }],
    ['relayState', { relayState: 'https://console.aws.amazon.com/' }],
    ['managedPolicies', { managedPolicies: [managedPolicyArn('ReadOnlyAccess')] }],
    ['customerManagedPolicies', { customerManagedPolicies: [{ name: 'deny', path: '/other/' }] }],
    ['inlinePolicy', { inlinePolicy: JSON.stringify({ ...policy, Statement: [] }) }],
    ['permissionsBoundary', { permissionsBoundary: undefined }],
    ['tags', { tags: { owner: 'security' } }],
  ] as const)('notices a change of %s', (field, liveOverride) => {
    const live = liveState({ permissionSets: [livePermissionSet({ ...ps, ...liveOverride })] });
    expect(diff(desiredState({ permissionSets: [ps] }), live).changes).toMatchObject([{ kind: 'permissionSet.update', fields: [field] }]);
  });

  it('compares managed policies as a set', () => {
    const two = permissionSet('P', { managedPolicies: [managedPolicyArn('A'), managedPolicyArn('B')] });
    const live = liveState({ permissionSets: [livePermissionSet({ ...two, managedPolicies: [managedPolicyArn('B'), managedPolicyArn('A')] })] });
    expect(diff(desiredState({ permissionSets: [two] }), live).changes).toEqual([]);
  });

  it('prunes or keeps undeclared permission sets and never touches ignored ones', () => {
    const live = liveState({ permissionSets: [livePermissionSet(permissionSet('Extra')), livePermissionSet(permissionSet('AWSReservedSSO_x'))] });
    const ignore = { permissionSets: ['AWSReserved*'] };
    expect(diff(desiredState({ settings: settings({ ignore }) }), live).changes).toMatchObject([
      { kind: 'permissionSet.delete', before: { name: 'Extra' } },
    ]);
    const keep = diff(desiredState({ settings: settings({ ignore, ownership: { permissionSets: 'keep' } }) }), live);
    expect(keep.changes).toEqual([]);
    expect(keep.unmanaged).toEqual([{ kind: 'permissionSet', key: 'permissionSet:Extra' }]);
  });
});

describe('assignments', () => {
  const desired = desiredState({
    users: [user('alice')],
    groups: [group('ops')],
    permissionSets: [permissionSet('Admin'), permissionSet('ReadOnly')],
    assignments: [rule({ groups: ['ops'], permissionSets: ['Admin'], accounts: ['prod'], reason: 'on-call', source: at('a.yaml', 3) })],
  });
  const base = liveMatching(desired, { organization: org });

  it('creates missing assignments with their reason', () => {
    expect(diff(desired, base).changes).toEqual([
      {
        kind: 'assignment.create',
        assignment: { principalType: 'GROUP', principalName: 'ops', permissionSetName: 'Admin', accountId: '222222222222' },
        reason: 'on-call',
      },
    ]);
  });

  it('deletes undeclared assignments of managed permission sets under prune, lists them under keep', () => {
    const live = { ...base, assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', 'alice', 'ReadOnly', '333333333333')] };
    expect(diff(desired, live).changes).toMatchObject([{ kind: 'assignment.delete', cause: 'undeclared', assignment: { principalName: 'alice' } }]);
    const keep = diff({ ...desired, settings: settings({ ownership: { assignments: 'keep' } }) }, live);
    expect(keep.changes).toEqual([]);
    expect(keep.unmanaged).toEqual([{ kind: 'assignment', key: 'assignment:USER:alice|ReadOnly|333333333333' }]);
  });

  it('leaves assignments of kept, undeclared permission sets alone', () => {
    const live = {
      ...base,
      permissionSets: [...base.permissionSets, livePermissionSet(permissionSet('Theirs'))],
      assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', 'alice', 'Theirs', '333333333333')],
    };
    const result = diff({ ...desired, settings: settings({ ownership: { permissionSets: 'keep' } }) }, live);
    expect(result.changes).toEqual([]);
    expect(result.unmanaged.map((u) => u.key)).toEqual(['assignment:USER:alice|Theirs|333333333333', 'permissionSet:Theirs']);
  });

  it('deletes every assignment of a pruned permission set first, whatever assignment ownership says', () => {
    const live = {
      ...base,
      permissionSets: [...base.permissionSets, livePermissionSet(permissionSet('Old'))],
      assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', 'alice', 'Old', '333333333333')],
    };
    const result = diff({ ...desired, settings: settings({ ownership: { assignments: 'keep' } }) }, live);
    expect(kinds(result.changes)).toEqual(['assignment.delete', 'permissionSet.delete']);
  });

  it('protects assignments whose principal or permission set matches assignmentPrincipals', () => {
    const live = { ...base, assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', 'jit-alice', 'Admin', '333333333333')] };
    const result = diff({ ...desired, settings: settings({ ignore: { assignmentPrincipals: ['jit-*'] } }) }, live);
    expect(result).toMatchObject({ changes: [], unmanaged: [] });
  });

  it('deletes orphaned assignments by principal id when assignments are pruned', () => {
    const live = { ...base, assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', undefined, 'ReadOnly', '333333333333', 'u-123')] };
    expect(diff(desired, live).changes).toEqual([
      {
        kind: 'assignment.delete',
        assignment: { principalType: 'USER', principalName: 'u-123', permissionSetName: 'ReadOnly', accountId: '333333333333' },
        principalId: 'u-123',
        cause: 'orphaned',
      },
    ]);
    const keep = diff({ ...desired, settings: settings({ ownership: { assignments: 'keep' } }) }, live);
    expect(keep.changes).toEqual([]);
    expect(keep.unmanaged).toEqual([{ kind: 'assignment', key: 'assignment:USER:u-123|ReadOnly|333333333333' }]);
  });

  it('deletes expired assignments that are still live, even under keep', () => {
    const withExpired = {
      ...desired,
      settings: settings({ ownership: { assignments: 'keep' } }),
      assignments: [...desired.assignments, rule({ users: ['alice'], permissionSets: ['ReadOnly'], accounts: ['dev'], expires: '2026-05-01T00:00:00Z' })],
    };
    const live = { ...base, assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222'), liveAssignment('USER', 'alice', 'ReadOnly', '333333333333')] };
    expect(diff(withExpired, live).changes).toMatchObject([{ kind: 'assignment.delete', cause: 'expired', assignment: { principalName: 'alice' } }]);
  });

  it('reports an unknown permission set in an assignment at the rule', () => {
    const bad = { ...desired, assignments: [rule({ groups: ['ops'], permissionSets: ['Nope'], accounts: ['prod'], source: at('a.yaml', 9, 3) })] };
    const result = diff(bad, base);
    expect(result.changes).toEqual([]);
    expect(result.diagnostics).toMatchObject([{ severity: 'error', rule: 'unknown-permission-set', source: at('a.yaml', 9, 3) }]);
  });
});

describe('external identity source', () => {
  const external = desiredState({
    settings: settings({ identitySource: 'external' }),
    permissionSets: [permissionSet('Admin')],
    assignments: [
      rule({ groups: ['okta-admins', 'okta-missing'], permissionSets: ['Admin'], accounts: ['prod'], source: at('assignments.yaml', 5, 5) }),
    ],
    referencedGroups: ['okta-admins', 'okta-missing'],
    sources: new Map([[groupKey('okta-missing'), at('assignments.yaml', 6, 9)]]),
  });
  const live = liveState({
    organization: org,
    users: [liveUser(user('scim-user'))],
    groups: [liveGroup(group('okta-admins'))],
    memberships: [liveMembership('okta-admins', 'scim-user')],
    permissionSets: [livePermissionSet(permissionSet('Admin'))],
  });

  it('never creates, updates or deletes users, groups or memberships, nor lists them', () => {
    const result = diff(external, live);
    expect(kinds(result.changes)).toEqual(['assignment.create']);
    expect(result.unmanaged).toEqual([]);
  });

  it('reports a referenced principal missing from the identity store at file:line:col', () => {
    const result = diff(external, live);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'unknown-principal', source: at('assignments.yaml', 6, 9) }),
    ]);
    expect(result.diagnostics[0]?.message).toContain('okta-missing');
  });

  it('falls back to the assignment rule when the config has no location for the name', () => {
    const result = diff({ ...external, sources: new Map() }, live);
    expect(result.diagnostics[0]?.source).toEqual(at('assignments.yaml', 5, 5));
  });
});

describe('permission set renames', () => {
  const desired = desiredState({
    groups: [group('ops')],
    permissionSets: [permissionSet('Administrator')],
    permissionSetRenames: { Admin: 'Administrator' },
    settings: settings({ ownership: { permissionSets: 'keep', assignments: 'keep' } }),
    assignments: [rule({ groups: ['ops'], permissionSets: ['Administrator'], accounts: ['prod'] })],
  });
  const live = liveState({
    organization: org,
    groups: [liveGroup(group('ops'))],
    permissionSets: [livePermissionSet(permissionSet('Admin'))],
    assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222')],
    provisioning: [provisioned('Admin', '222222222222')],
  });

  it('creates the new one, moves assignments and deletes the old one even under keep', () => {
    const result = diff(desired, live);
    expect(kinds(result.changes)).toEqual(['assignment.create', 'assignment.delete', 'permissionSet.create', 'permissionSet.delete']);
    expect(only(result.changes, 'assignment.delete')[0]).toMatchObject({ cause: 'renamed', assignment: { permissionSetName: 'Admin' } });
    expect(only(result.changes, 'permissionSet.delete')[0]).toMatchObject({ before: { name: 'Admin' }, renamedTo: 'Administrator' });
    expect(only(result.changes, 'permissionSet.create')[0]).toMatchObject({ after: { name: 'Administrator' }, renamedFrom: 'Admin' });
  });

  it('does nothing more once the rename has been applied', () => {
    const after = liveMatching(desired, {
      organization: org,
      assignments: [liveAssignment('GROUP', 'ops', 'Administrator', '222222222222')],
    });
    expect(diff(desired, after).changes).toEqual([]);
  });
});

describe('re-provisioning', () => {
  const ps = permissionSet('Admin', { sessionDuration: 'PT4H' });
  const desired = desiredState({
    groups: [group('ops')],
    permissionSets: [ps],
    assignments: [rule({ groups: ['ops'], permissionSets: ['Admin'], accounts: ['prod', 'dev'] })],
  });
  const liveWith = (override: Partial<typeof ps>, provisioning: LiveState['provisioning'], accounts = ['222222222222']) =>
    liveState({
      organization: org,
      groups: [liveGroup(group('ops'))],
      permissionSets: [livePermissionSet({ ...ps, ...override })],
      assignments: accounts.map((a) => liveAssignment('GROUP', 'ops', 'Admin', a)),
      provisioning,
    });

  it('provisions a changed permission set to every account it is provisioned to and still assigned in', () => {
    const live = liveWith({ sessionDuration: 'PT1H' }, [provisioned('Admin', '222222222222'), provisioned('Admin', '444444444444')]);
    const result = diff(desired, live);
    // dev (333…) only gains an assignment, which provisions by itself; 444… keeps no assignment.
    expect(only(result.changes, 'permissionSet.provision')).toEqual([
      { kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: '222222222222', reason: 'content-changed' },
    ]);
  });

  it('does not re-provision for a tag-only change', () => {
    const live = liveWith({ tags: { owner: 'x' } }, [provisioned('Admin', '222222222222')], ['222222222222', '333333333333']);
    expect(kinds(diff(desired, live).changes)).toEqual(['permissionSet.update']);
  });

  it('provisions where the account is behind (not provisioned) even without a content change', () => {
    const live = liveWith({}, [provisioned('Admin', '222222222222', 'LATEST_PERMISSION_SET_NOT_PROVISIONED')], ['222222222222', '333333333333']);
    expect(diff(desired, live).changes).toEqual([
      { kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: '222222222222', reason: 'not-provisioned' },
    ]);
  });
});

describe('deletions that would fail or leave debris', () => {
  it('removes the assignments and memberships of a deleted principal before deleting it', () => {
    const desired = desiredState({ permissionSets: [permissionSet('Admin')], groups: [group('ops')] });
    const live = liveState({
      organization: org,
      users: [liveUser(user('leaver'))],
      groups: [liveGroup(group('ops'))],
      memberships: [liveMembership('ops', 'leaver')],
      permissionSets: [livePermissionSet(permissionSet('Admin'))],
      assignments: [liveAssignment('USER', 'leaver', 'Admin', '222222222222')],
    });
    const result = diff({ ...desired, settings: settings({ ownership: { assignments: 'keep', memberships: 'keep' } }) }, live);
    expect(kinds(result.changes)).toEqual(['assignment.delete', 'membership.remove', 'user.delete']);
  });

  it('keeps an undeclared permission set that ignored assignments still hold, with a warning', () => {
    const live = liveState({
      organization: org,
      users: [liveUser(user('jit-bob'))],
      permissionSets: [livePermissionSet(permissionSet('Breakglass'))],
      assignments: [liveAssignment('USER', 'jit-bob', 'Breakglass', '222222222222')],
    });
    const desired = desiredState({ settings: settings({ ignore: { users: ['jit-*'], assignmentPrincipals: ['jit-*'] } }) });
    const result = diff(desired, live);
    expect(result.changes).toEqual([]);
    expect(result.unmanaged).toEqual([{ kind: 'permissionSet', key: 'permissionSet:Breakglass' }]);
    expect(result.diagnostics).toMatchObject([{ severity: 'warning', rule: 'delete-blocked' }]);
  });
});

describe('inactive accounts', () => {
  it('leaves assignments in a suspended account alone instead of planning writes AWS refuses', () => {
    const suspendedOrg = organization(
      [account('111111111111', 'management'), account('222222222222', 'prod', '/Root/Prod', { status: 'SUSPENDED' })],
      { managementAccountId: '111111111111' },
    );
    const desired = desiredState({ groups: [group('ops')], permissionSets: [permissionSet('Admin', { sessionDuration: 'PT2H' })] });
    const live = liveState({
      organization: suspendedOrg,
      groups: [liveGroup(group('ops'))],
      permissionSets: [livePermissionSet(permissionSet('Admin'))],
      assignments: [liveAssignment('GROUP', 'ops', 'Admin', '222222222222')],
      provisioning: [provisioned('Admin', '222222222222')],
    });
    const result = diff(desired, live);
    expect(kinds(result.changes)).toEqual(['permissionSet.update']);
  });
});
