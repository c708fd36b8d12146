import type { Organization, PermissionSetSpec } from '../../src/model/entities.js';
import type { AssignmentRule, DesiredState, Settings } from '../../src/model/desired.js';
import type { LiveAssignment, LivePermissionSet, LiveState } from '../../src/model/live.js';

// A small organisation with one production and one development account, and a config that
// the live state matches exactly; tests then change the live side by hand, as drift happens.

export const NOW = new Date('2025-06-01T00:00:00Z');

export const organization: Organization = {
  managementAccountId: '111111111111',
  ous: [
    { id: 'r-root', path: '/Root', name: 'Root' },
    { id: 'ou-work', path: '/Root/Workloads', name: 'Workloads' },
    { id: 'ou-prod', path: '/Root/Workloads/Prod', name: 'Prod' },
    { id: 'ou-dev', path: '/Root/Workloads/Dev', name: 'Dev' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', tags: {} },
    { id: '222222222222', name: 'prod-core', ouPath: '/Root/Workloads/Prod', tags: { env: 'prod' } },
    { id: '333333333333', name: 'dev-sandbox', ouPath: '/Root/Workloads/Dev', tags: { env: 'dev' } },
  ],
};

export const settings: Settings = {
  version: 1,
  region: 'eu-west-1',
  identitySource: 'internal',
  ownership: { users: 'prune', groups: 'prune', memberships: 'prune', permissionSets: 'prune', assignments: 'prune' },
  ignore: { users: [], groups: [], permissionSets: ['AWSReserved*'], assignmentPrincipals: [] },
  safety: { maxDeletes: 25, maxDeleteFraction: 0.25 },
  limits: { maxPoliciesPerPermissionSet: 20, maxFileBytes: 5_000_000 },
};

const admin: PermissionSetSpec = {
  name: 'AdministratorAccess',
  description: 'Full access',
  sessionDuration: 'PT1H',
  managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
  customerManagedPolicies: [],
  tags: {},
};
const readOnly: PermissionSetSpec = {
  name: 'ReadOnly',
  description: 'Read everything',
  sessionDuration: 'PT4H',
  managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  customerManagedPolicies: [],
  tags: {},
};

const rule = (r: Partial<AssignmentRule> & Pick<AssignmentRule, 'permissionSets'>, line: number): AssignmentRule => ({
  users: [],
  groups: [],
  accounts: [],
  ous: [],
  accountTags: {},
  exclude: { accounts: [], ous: [] },
  source: { file: 'assignments.yaml', line, col: 5 },
  ...r,
});

export const desired: DesiredState = {
  settings,
  users: ['alice', 'bob', 'carol'].map((u) => ({ userName: u, displayName: u, givenName: u, familyName: 'X', email: `${u}@acme.example` })),
  groups: [{ displayName: 'admins', description: 'Platform admins' }, { displayName: 'devs' }],
  memberships: [
    { groupName: 'admins', userName: 'alice' },
    { groupName: 'devs', userName: 'bob' },
    { groupName: 'devs', userName: 'carol' },
  ],
  permissionSets: [admin, readOnly],
  permissionSetRenames: {},
  assignments: [
    rule({ groups: ['admins'], permissionSets: ['AdministratorAccess'], ous: [{ path: '/Root/Workloads/Prod', recursive: true }] }, 2),
    rule({ groups: ['devs'], permissionSets: ['ReadOnly'], accounts: ['dev-sandbox'] }, 5),
    rule({ users: ['bob'], permissionSets: ['ReadOnly'], accounts: ['prod-core'], expires: '2025-01-31T00:00:00Z', reason: 'INC-1' }, 8),
  ],
  guardrails: [],
  referencedUsers: [],
  referencedGroups: [],
  sources: new Map(),
};

const liveAdmin: LivePermissionSet = { ...admin, arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-admin' };
const liveReadOnly: LivePermissionSet = { ...readOnly, arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-ro' };

export const assignment = (
  principalType: 'USER' | 'GROUP',
  principalName: string | undefined,
  permissionSetName: string,
  accountId: string,
): LiveAssignment => ({
  principalType,
  principalId: `id-${principalName ?? 'gone'}`,
  ...(principalName !== undefined ? { principalName } : {}),
  permissionSetArn: permissionSetName === 'ReadOnly' ? liveReadOnly.arn : liveAdmin.arn,
  permissionSetName,
  accountId,
});

/** The live state `desired` describes, as the store would report it. */
export const converged: LiveState = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1',
  identityStoreId: 'd-1',
  organization,
  users: desired.users.map((u) => ({ ...u, id: `id-${u.userName}` })),
  groups: desired.groups.map((g) => ({ ...g, id: `id-${g.displayName}` })),
  memberships: desired.memberships.map((m) => ({
    membershipId: `m-${m.groupName}-${m.userName}`,
    groupId: `id-${m.groupName}`,
    userId: `id-${m.userName}`,
    groupName: m.groupName,
    userName: m.userName,
  })),
  permissionSets: [liveAdmin, liveReadOnly],
  assignments: [assignment('GROUP', 'admins', 'AdministratorAccess', '222222222222'), assignment('GROUP', 'devs', 'ReadOnly', '333333333333')],
  provisioning: [
    { permissionSetName: 'AdministratorAccess', accountId: '222222222222', status: 'LATEST_PERMISSION_SET_PROVISIONED' },
    { permissionSetName: 'ReadOnly', accountId: '333333333333', status: 'LATEST_PERMISSION_SET_PROVISIONED' },
  ],
};
