import type { DesiredState } from '../../src/model/desired.js';
import type { LiveState } from '../../src/model/live.js';
import { groupKey, managedPolicyArn, permissionSetKey, userKey } from '../../src/model/keys.js';
import {
  account,
  at,
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
  provisioned,
  rule,
  settings,
  user,
} from './builders.js';

// A small organisation and a config/live pair that exercises every kind of change, used by
// the golden rendering tests and handy for anyone who needs a realistic plan.

export const NOW = new Date('2026-06-01T00:00:00Z');

export const scenarioOrganization = organization(
  [
    account('111111111111', 'management', '/Root'),
    account('222222222222', 'prod-core', '/Root/Workloads/Prod', { tags: { env: 'prod' } }),
    account('222222222223', 'prod-data', '/Root/Workloads/Prod/Data', { tags: { env: 'prod', team: 'data' } }),
    account('333333333333', 'staging', '/Root/Workloads', { tags: { env: 'staging' } }),
    account('444444444444', 'sandbox', '/Root/Sandbox', { tags: { env: 'dev' } }),
  ],
  { managementAccountId: '111111111111' },
);

const denyLeave = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
};

const admin = permissionSet('AdministratorAccess', {
  description: 'Full access',
  sessionDuration: 'PT4H',
  managedPolicies: [managedPolicyArn('AdministratorAccess')],
  inlinePolicy: JSON.stringify(denyLeave, null, 2),
  tags: { owner: 'platform' },
});
const readOnly = permissionSet('ReadOnly', {
  description: 'Read everything',
  managedPolicies: [managedPolicyArn('ReadOnlyAccess'), managedPolicyArn('job-function/ViewOnlyAccess')],
  customerManagedPolicies: [{ name: 'acme-deny-secrets', path: '/' }],
  inlinePolicy: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'DenySecrets', Effect: 'Deny', Action: ['secretsmanager:GetSecretValue', 'ssm:GetParameter'], Resource: '*' },
    ],
  }),
});
const billing = permissionSet('Billing', { description: 'Billing console', managedPolicies: [managedPolicyArn('job-function/Billing')] });
const sandboxPower = permissionSet('SandboxPower', { managedPolicies: [managedPolicyArn('PowerUserAccess')] });
const deploy = permissionSet('Deploy', {
  description: 'CI deploy role',
  managedPolicies: [managedPolicyArn('PowerUserAccess')],
  permissionsBoundary: { customerManagedPolicy: { name: 'acme-boundary', path: '/boundaries/' } },
});

export const scenarioDesired: DesiredState = desiredState({
  settings: settings({ ownership: { users: 'keep' }, ignore: { permissionSets: ['AWSReserved*'] } }),
  users: [
    user('alice@acme.example', { displayName: 'Alice Liddell', givenName: 'Alice', familyName: 'Liddell', email: 'alice@acme.example', title: 'Staff Engineer' }),
    user('bob@acme.example', { displayName: 'Bob Builder', givenName: 'Bob', familyName: 'Builder', email: 'bob@acme.example' }),
    user('dana@acme.example', { displayName: 'Dana Scully', givenName: 'Dana', familyName: 'Scully', email: 'dana@acme.example' }),
  ],
  groups: [group('platform-admins', { description: 'Platform on-call' }), group('auditors', { description: 'Read-only auditors' })],
  memberships: [
    { groupName: 'platform-admins', userName: 'alice@acme.example' },
    { groupName: 'platform-admins', userName: 'dana@acme.example' },
    { groupName: 'auditors', userName: 'bob@acme.example' },
  ],
  permissionSets: [admin, readOnly, deploy, billing],
  permissionSetRenames: { LegacyBilling: 'Billing' },
  assignments: [
    rule({
      groups: ['platform-admins'],
      permissionSets: ['AdministratorAccess'],
      ous: [{ path: '/Root/Workloads/Prod', recursive: true }],
      source: at('assignments.yaml', 2),
    }),
    rule({
      groups: ['auditors'],
      permissionSets: ['ReadOnly'],
      accountTags: { env: 'prod' },
      exclude: { accounts: ['prod-data'], ous: [] },
      source: at('assignments.yaml', 8),
    }),
    rule({
      groups: ['auditors'],
      permissionSets: ['Billing'],
      accounts: ['prod-core'],
      source: at('assignments.yaml', 12),
    }),
    rule({
      users: ['bob@acme.example'],
      permissionSets: ['Deploy'],
      accounts: ['staging'],
      expires: '2026-12-31T00:00:00Z',
      reason: 'INC-4711 vendor debugging',
      source: at('assignments.yaml', 15),
    }),
    rule({
      users: ['dana@acme.example'],
      permissionSets: ['ReadOnly'],
      accounts: ['sandbox'],
      expires: '2026-01-31T00:00:00Z',
      reason: 'temporary investigation',
      source: at('assignments.yaml', 22),
    }),
    rule({
      users: ['alice@acme.example'],
      permissionSets: ['ReadOnly'],
      accounts: ['prod-legacy'],
      source: at('assignments.yaml', 29),
    }),
  ],
  sources: new Map([
    [userKey('alice@acme.example'), at('users.yaml', 2)],
    [groupKey('platform-admins'), at('groups.yaml', 2)],
    [permissionSetKey('AdministratorAccess'), at('permission-sets.yaml', 2)],
  ]),
});

export const scenarioLive: LiveState = liveState({
  organization: scenarioOrganization,
  users: [
    liveUser(user('alice@acme.example', { displayName: 'Alice L.', givenName: 'Alice', familyName: 'Liddell', email: 'alice@acme.example', title: 'Engineer' })),
    liveUser(user('bob@acme.example', { displayName: 'Bob Builder', givenName: 'Bob', familyName: 'Builder', email: 'bob@acme.example' })),
    liveUser(user('carol@acme.example', { displayName: 'Carol Danvers', givenName: 'Carol', familyName: 'Danvers' })),
  ],
  groups: [
    liveGroup(group('platform-admins', { description: 'On call' })),
    liveGroup(group('auditors', { description: 'Read-only auditors' })),
    liveGroup(group('old-team', { description: 'Disbanded' })),
  ],
  memberships: [
    liveMembership('platform-admins', 'alice@acme.example'),
    liveMembership('platform-admins', 'bob@acme.example'),
    liveMembership('old-team', 'carol@acme.example'),
  ],
  permissionSets: [
    livePermissionSet({
      ...admin,
      sessionDuration: 'PT1H',
      managedPolicies: [managedPolicyArn('AdministratorAccess'), managedPolicyArn('ReadOnlyAccess')],
      customerManagedPolicies: [{ name: 'acme-legacy', path: '/' }],
      inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
      tags: { owner: 'security', tier: '0' },
    }),
    livePermissionSet({ ...readOnly, inlinePolicy: JSON.stringify(JSON.parse(readOnly.inlinePolicy!), null, 4) }),
    livePermissionSet(sandboxPower),
    livePermissionSet(permissionSet('AWSReservedSSO_Internal')),
    livePermissionSet(permissionSet('LegacyBilling', { managedPolicies: [managedPolicyArn('job-function/Billing')] })),
  ],
  assignments: [
    liveAssignment('GROUP', 'platform-admins', 'AdministratorAccess', '222222222222'),
    liveAssignment('GROUP', 'auditors', 'ReadOnly', '222222222222'),
    liveAssignment('USER', 'dana@acme.example', 'ReadOnly', '444444444444', 'u-dana'),
    liveAssignment('USER', undefined, 'ReadOnly', '333333333333', 'u-deleted-0001'),
    liveAssignment('USER', 'carol@acme.example', 'ReadOnly', '333333333333'),
    liveAssignment('USER', 'carol@acme.example', 'SandboxPower', '444444444444'),
    liveAssignment('GROUP', 'auditors', 'LegacyBilling', '222222222222'),
    liveAssignment('GROUP', 'auditors', 'AWSReservedSSO_Internal', '222222222222'),
  ],
  provisioning: [
    provisioned('AdministratorAccess', '222222222222'),
    provisioned('ReadOnly', '222222222222', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'),
    provisioned('ReadOnly', '444444444444'),
    provisioned('ReadOnly', '333333333333'),
    provisioned('SandboxPower', '444444444444'),
    provisioned('LegacyBilling', '222222222222'),
  ],
});
