import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { diffStates } from '../../src/diff/diff.js';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { LiveState } from '../../src/model/live.js';
import { describeChange } from '../../src/plan/describe-change.js';
import { parseFiles } from '../config/helpers.js';
import {
  account,
  desiredState,
  group,
  liveAssignment,
  liveGroup,
  liveMembership,
  livePermissionSet,
  liveState,
  liveUser,
  organization,
  permissionSet,
  rule,
  settings,
  user,
} from '../plan/builders.js';

// The planner models AWS, not our code (issue 9): Identity Store names fold case, renames are
// in place, account names are not unique, account State, blank descriptions, partitions and
// what Control Tower owns.

const NOW = new Date('2026-06-01T00:00:00Z');
const org = organization(
  [account('111111111111', 'management'), account('222222222222', 'prod', '/Root/Prod'), account('333333333333', 'dev', '/Root/Dev')],
  { managementAccountId: '111111111111' },
);

function diff(desired: DesiredState, live: LiveState) {
  const expansion = expandAssignments(desired.assignments, live.organization, NOW);
  const result = diffStates({ desired, live, expanded: expansion.tuples, expired: expansion.expired, now: NOW });
  return { ...result, diagnostics: [...expansion.diagnostics, ...result.diagnostics] };
}
const kinds = (changes: readonly Change[]) => changes.map((c) => c.kind).sort();
const errors = (r: { diagnostics: readonly { severity: string; message: string }[] }) =>
  r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);

const withAccess = (userName: string, groupName: string) => ({
  users: [liveUser(user(userName))],
  groups: [liveGroup(group(groupName))],
  memberships: [liveMembership(groupName, userName)],
  permissionSets: [livePermissionSet(permissionSet('ReadOnly'))],
  assignments: [
    liveAssignment('USER', userName, 'ReadOnly', '222222222222'),
    liveAssignment('GROUP', groupName, 'ReadOnly', '222222222222'),
  ],
  organization: org,
});

describe('Identity Store names are unique case-insensitively', () => {
  it('plans a case-only change of a user and a group as one in-place update, recreating nothing', () => {
    const desired = desiredState({
      users: [user('Alice@x', { displayName: 'alice Example', givenName: 'alice' })],
      groups: [group('Admins')],
      memberships: [{ groupName: 'Admins', userName: 'Alice@x' }],
      permissionSets: [permissionSet('ReadOnly')],
      assignments: [rule({ users: ['Alice@x'], groups: ['Admins'], permissionSets: ['ReadOnly'], accounts: ['prod'] })],
    });
    const r = diff(desired, liveState(withAccess('alice@x', 'admins')));
    expect(errors(r)).toEqual([]);
    expect(kinds(r.changes)).toEqual(['group.update', 'user.update']);
    expect(r.changes).toContainEqual(expect.objectContaining({ kind: 'user.update', fields: ['userName'] }));
    expect(r.changes).toContainEqual(expect.objectContaining({ kind: 'group.update', fields: ['displayName'] }));
  });

  it('with an external identity source, a case change coming from SCIM is the same principal, not a plan error', () => {
    const desired = desiredState({
      settings: settings({ identitySource: 'external' }),
      permissionSets: [permissionSet('ReadOnly')],
      referencedUsers: ['alice@x'],
      referencedGroups: ['admins'],
      assignments: [rule({ users: ['alice@x'], groups: ['admins'], permissionSets: ['ReadOnly'], accounts: ['prod'] })],
    });
    const r = diff(desired, liveState(withAccess('ALICE@x', 'Admins')));
    expect(errors(r)).toEqual([]);
    expect(r.changes).toEqual([]);
  });
});

describe('renamedFrom on users and groups', () => {
  const desired = desiredState({
    users: [user('alice.new@x', { displayName: 'alice Example', givenName: 'alice' })],
    userRenames: { 'alice@x': 'alice.new@x' },
    groups: [group('platform-admins')],
    groupRenames: { admins: 'platform-admins' },
    memberships: [{ groupName: 'platform-admins', userName: 'alice.new@x' }],
    permissionSets: [permissionSet('ReadOnly')],
    assignments: [rule({ users: ['alice.new@x'], groups: ['platform-admins'], permissionSets: ['ReadOnly'], accounts: ['prod'] })],
  });

  it('renames in place: no delete or create of the principal, its membership or its assignments', () => {
    const r = diff(desired, liveState(withAccess('alice@x', 'admins')));
    expect(errors(r)).toEqual([]);
    expect(r.changes).toEqual([
      {
        kind: 'user.update',
        before: user('alice@x'),
        after: user('alice.new@x', { displayName: 'alice Example', givenName: 'alice' }),
        fields: ['userName'],
      },
      { kind: 'group.update', before: group('admins'), after: group('platform-admins'), fields: ['displayName'] },
    ]);
  });

  it('shows a rename as one ~ line naming both names', () => {
    const r = diff(desired, liveState(withAccess('alice@x', 'admins')));
    const described = r.changes.map((c) => describeChange(c));
    expect(described.map((d) => `${d.action} ${d.title}`)).toEqual([
      'update user alice.new@x (renamed from alice@x)',
      'update group platform-admins (renamed from admins)',
    ]);
    expect(described[0]!.details).toEqual([{ text: 'userName: "alice@x" → "alice.new@x"', depth: 0 }]);
  });

  it('is settled once the live principal has the new name', () => {
    const renamedLive = liveState(withAccess('alice.new@x', 'platform-admins'));
    const r = diff(desired, { ...renamedLive, users: [liveUser(user('alice.new@x', { displayName: 'alice Example', givenName: 'alice' }))] });
    expect(r.changes).toEqual([]);
  });

  it('creates the principal when the old name is not live, and never takes a principal the config declares', () => {
    expect(kinds(diff(desired, liveState({ organization: org, permissionSets: [livePermissionSet(permissionSet('ReadOnly'))] })).changes)).toEqual([
      'assignment.create',
      'assignment.create',
      'group.create',
      'membership.add',
      'user.create',
    ]);
    const both = desiredState({ ...desired, groups: [group('platform-admins'), group('admins')], assignments: [] });
    const r = diff(both, liveState({ organization: org, groups: [liveGroup(group('admins'))] }));
    expect(r.changes.filter((c) => c.kind.startsWith('group.'))).toEqual([{ kind: 'group.create', after: group('platform-admins') }]);
  });
});

describe('users without a name', () => {
  it('is a plan error to create a user Identity Center would refuse, and no change for one that exists', () => {
    const bare = user('svc@x', { displayName: '', givenName: '', familyName: '' });
    const r = diff(desiredState({ users: [bare] }), liveState());
    expect(r.changes).toEqual([]);
    expect(errors(r)).toEqual([expect.stringContaining('Identity Center needs displayName, name.given and name.family')]);
    expect(diff(desiredState({ users: [bare] }), liveState({ users: [liveUser(bare)] })).changes).toEqual([]);
  });
});

describe('account names are not unique in AWS Organizations', () => {
  const twins = organization(
    [account('111111111111', 'management'), account('222222222222', 'sandbox', '/Root/Prod'), account('444444444444', 'sandbox', '/Root/Dev')],
    { managementAccountId: '111111111111' },
  );

  it('reports a name several accounts share as an error listing their ids, granting nothing', () => {
    const rules = [rule({ groups: ['ops'], permissionSets: ['Admin'], accounts: ['sandbox'] })];
    const expansion = expandAssignments(rules, twins, NOW);
    expect(expansion.tuples).toEqual([]);
    expect(expansion.diagnostics).toEqual([
      expect.objectContaining({
        severity: 'error',
        rule: 'ambiguous-account',
        message: 'Account name "sandbox" matches 2 accounts (222222222222, 444444444444); name the account by its 12-digit id.',
      }),
    ]);
  });

  it('still resolves a unique name and an id, and suggests the closest name for a typo', () => {
    const expansion = expandAssignments([rule({ groups: ['ops'], permissionSets: ['Admin'], accounts: ['444444444444', 'prodd'] })], org, NOW);
    expect(expansion.tuples.map((t) => t.accountId)).toEqual([]);
    expect(expansion.diagnostics.map((d) => d.message)).toEqual([
      'Account id 444444444444 is not in the organisation.',
      'Account "prodd" is not in the organisation; did you mean "prod"?',
    ]);
  });
});

describe('account State', () => {
  const states = organization(
    [
      account('111111111111', 'management'),
      account('222222222222', 'prod', '/Root/Prod'),
      account('555555555555', 'gone', '/Root/Prod', { status: 'CLOSED' }),
      account('666666666666', 'new', '/Root/Prod', { status: 'PENDING_ACTIVATION' }),
    ],
    { managementAccountId: '111111111111' },
  );

  it('never targets a closed or not yet active account, and neither prunes nor counts its live assignments', () => {
    const desired = desiredState({
      groups: [group('ops')],
      permissionSets: [permissionSet('ReadOnly')],
      assignments: [rule({ groups: ['ops'], permissionSets: ['ReadOnly'], ous: [{ path: '/Root/Prod', recursive: true }] })],
    });
    const live = liveState({
      organization: states,
      groups: [liveGroup(group('ops'))],
      permissionSets: [livePermissionSet(permissionSet('ReadOnly'))],
      assignments: [liveAssignment('GROUP', 'ops', 'ReadOnly', '222222222222'), liveAssignment('USER', 'eve', 'ReadOnly', '555555555555')],
      provisioning: [{ permissionSetName: 'ReadOnly', accountId: '555555555555', status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }],
    });
    const r = diff(desired, live);
    expect(r.changes).toEqual([]);
    expect(r.unmanaged).toEqual([]);
  });
});

describe('OU names may contain /', () => {
  const slashed = organization(
    [
      account('111111111111', 'management'),
      account('222222222222', 'in-a-slash-b', '/Root/A\\/B'),
      account('333333333333', 'in-b-under-a', '/Root/A/B'),
    ],
    { managementAccountId: '111111111111' },
  );
  const target = (path: string) =>
    expandAssignments([rule({ groups: ['ops'], permissionSets: ['Admin'], ous: [{ path, recursive: true }] })], slashed, NOW).tuples.map(
      (t) => t.accountId,
    );

  it('matches the OU named "A/B" only through its escaped path, never the OU B under A', () => {
    expect(target('/Root/A\\/B')).toEqual(['222222222222']);
    expect(target('/Root/A/B')).toEqual(['333333333333']);
    expect(target('/Root/A')).toEqual(['333333333333']);
  });
});

describe('blank description and relay state', () => {
  it('treats the blank AWS keeps after a clear as absent, so clearing settles', () => {
    const desired = desiredState({ permissionSets: [permissionSet('ReadOnly')] });
    const live = liveState({ permissionSets: [livePermissionSet(permissionSet('ReadOnly', { description: ' ', relayState: ' ' }))] });
    expect(diff(desired, live).changes).toEqual([]);
  });
});

describe('partitions', () => {
  it('expands short managed policy names to the partition of the instance region', () => {
    const config = (region: string) =>
      parseFiles({
        'gatehouse.yaml': `version: 1\ninstance: { region: ${region} }\n`,
        'permission-sets.yaml': 'permissionSets:\n  - name: Read\n    managedPolicies: [ReadOnlyAccess, job-function/ViewOnlyAccess]\n    permissionsBoundary: { managedPolicy: PowerUserAccess }\n',
      }).desired!.permissionSets[0]!;
    expect(config('us-gov-west-1')).toMatchObject({
      managedPolicies: ['arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess', 'arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess'],
      permissionsBoundary: { managedPolicyArn: 'arn:aws-us-gov:iam::aws:policy/PowerUserAccess' },
    });
    expect(config('cn-north-1').managedPolicies).toEqual([
      'arn:aws-cn:iam::aws:policy/ReadOnlyAccess',
      'arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess',
    ]);
    expect(config('eu-west-1').managedPolicies[0]).toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
  });
});

describe('what AWS Control Tower creates is left alone by default', () => {
  it('neither deletes nor prunes Control Tower permission sets, groups and their assignments', () => {
    const live = liveState({
      organization: org,
      groups: [liveGroup(group('AWSControlTowerAdmins')), liveGroup(group('AWSSecurityAuditors')), liveGroup(group('AWSLogArchiveViewers'))],
      permissionSets: ['AWSAdministratorAccess', 'AWSReadOnlyAccess', 'AWSPowerUserAccess', 'AWSOrganizationsFullAccess', 'AWSServiceCatalogEndUserAccess'].map((n) =>
        livePermissionSet(permissionSet(n)),
      ),
      assignments: [liveAssignment('GROUP', 'AWSControlTowerAdmins', 'AWSAdministratorAccess', '111111111111')],
    });
    const r = diff(desiredState({ settings: DEFAULT_SETTINGS }), live);
    expect(r.changes).toEqual([]);
  });

  it('protects the direct assignments of ignored users and groups, not only their memberships', () => {
    const s = settings({ ignore: { users: ['jit-*'], groups: ['jit-*'] } });
    const live = liveState({
      organization: org,
      users: [liveUser(user('jit-bot'))],
      groups: [liveGroup(group('jit-admins'))],
      permissionSets: [livePermissionSet(permissionSet('Admin'))],
      assignments: [liveAssignment('USER', 'jit-bot', 'Admin', '222222222222'), liveAssignment('GROUP', 'jit-admins', 'Admin', '222222222222')],
    });
    const r = diff(desiredState({ settings: s, permissionSets: [permissionSet('Admin')] }), live);
    expect(r.changes).toEqual([]);
  });
});

describe('session durations compare by value', () => {
  it('plans nothing when AWS holds PT60M for a config that says PT1H, and a change for a real one', () => {
    const live = liveState({ permissionSets: [livePermissionSet(permissionSet('ReadOnly', { sessionDuration: 'PT60M' }))] });
    expect(diff(desiredState({ permissionSets: [permissionSet('ReadOnly', { sessionDuration: 'PT1H' })] }), live).changes).toEqual([]);
    expect(
      diff(desiredState({ permissionSets: [permissionSet('ReadOnly', { sessionDuration: 'PT2H' })] }), live).changes.map((c) => c.kind),
    ).toContain('permissionSet.update');
  });
});

describe('renaming a permission set', () => {
  it('moves the assignments ownership keep leaves alone (create + move + delete), instead of deleting them', () => {
    const desired = desiredState({
      settings: settings({ ownership: { assignments: 'keep' } }),
      users: [user('bob')],
      permissionSets: [permissionSet('New')],
      permissionSetRenames: { Old: 'New' },
    });
    const live = liveState({
      organization: org,
      users: [liveUser(user('bob'))],
      permissionSets: [livePermissionSet(permissionSet('Old'))],
      assignments: [liveAssignment('USER', 'bob', 'Old', '222222222222')],
    });
    const r = diff(desired, live);
    expect(errors(r)).toEqual([]);
    expect(kinds(r.changes)).toEqual(['assignment.create', 'assignment.delete', 'permissionSet.create', 'permissionSet.delete']);
    expect(r.changes).toContainEqual(
      expect.objectContaining({
        kind: 'assignment.create',
        assignment: { principalType: 'USER', principalName: 'bob', permissionSetName: 'New', accountId: '222222222222' },
      }),
    );
  });
});
