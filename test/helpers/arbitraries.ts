import fc from 'fast-check';
import type { AssignmentRule, DesiredState, Settings } from '../../src/model/desired.js';
import type { Organization, PermissionSetSpec, UserSpec } from '../../src/model/entities.js';
import { compareStrings, managedPolicyArn } from '../../src/model/keys.js';

// fast-check arbitraries for whole desired states over a small fixed organisation: small
// pools of names so that random states overlap (updates, renames of fields, deletions) instead
// of being disjoint.

export const smallOrganization: Organization = {
  managementAccountId: '100000000000',
  ous: [
    { id: 'ou-root-00000001', path: '/Root/Workloads', name: 'Workloads' },
    { id: 'ou-root-00000002', path: '/Root/Workloads/Prod', name: 'Prod' },
    { id: 'ou-root-00000003', path: '/Root/Sandbox', name: 'Sandbox' },
  ],
  accounts: [
    { id: '100000000000', name: 'management', ouPath: '/Root', tags: {} },
    { id: '200000000001', name: 'prod-a', ouPath: '/Root/Workloads/Prod', tags: { env: 'prod' } },
    { id: '200000000002', name: 'prod-b', ouPath: '/Root/Workloads/Prod', tags: { env: 'prod', team: 'data' } },
    { id: '200000000003', name: 'staging', ouPath: '/Root/Workloads', tags: { env: 'staging' } },
    { id: '300000000001', name: 'sandbox', ouPath: '/Root/Sandbox', tags: { env: 'dev' } },
  ],
};

const USER_NAMES = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const GROUP_NAMES = ['admins', 'devs', 'auditors', 'oncall'];
const PS_NAMES = ['Admin', 'ReadOnly', 'Billing', 'Deploy'];
const MANAGED = ['AdministratorAccess', 'ReadOnlyAccess', 'job-function/ViewOnlyAccess'].map((n) => managedPolicyArn(n));
const CUSTOMER = [
  { name: 'acme-deny-billing', path: '/' },
  { name: 'acme-boundary', path: '/boundaries/' },
];
const INLINE = [
  { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme/*' }] },
];

const settings: Settings = {
  version: 1,
  region: 'eu-west-1',
  identitySource: 'internal',
  ownership: { users: 'prune', groups: 'prune', memberships: 'prune', permissionSets: 'prune', assignments: 'prune' },
  ignore: { users: [], groups: [], permissionSets: [], assignmentPrincipals: [] },
  safety: { maxDeletes: 1_000_000, maxDeleteFraction: 1 },
  limits: { maxPoliciesPerPermissionSet: 20, maxFileBytes: 5 * 1024 * 1024 },
};

const sortedSubset = <T>(items: readonly T[], key: (t: T) => string) =>
  fc.subarray([...items]).map((xs) => [...xs].sort((a, b) => compareStrings(key(a), key(b))));

const userArb = (userName: string): fc.Arbitrary<UserSpec> =>
  fc.record({
    displayName: fc.constantFrom(`${userName} A`, `${userName} B`),
    familyName: fc.constantFrom('Smith', 'Jones'),
    email: fc.option(fc.constant(`${userName}@acme.example`), { nil: undefined }),
    title: fc.option(fc.constantFrom('Engineer', 'Manager'), { nil: undefined }),
  }).map((u) => ({
    userName,
    displayName: u.displayName,
    givenName: userName,
    familyName: u.familyName,
    ...(u.email ? { email: u.email } : {}),
    ...(u.title ? { title: u.title } : {}),
  }));

const permissionSetArb = (name: string): fc.Arbitrary<PermissionSetSpec> =>
  fc.record({
    description: fc.option(fc.constantFrom('First', 'Second'), { nil: undefined }),
    sessionDuration: fc.constantFrom('PT1H', 'PT4H'),
    relayState: fc.option(fc.constant('https://console.aws.amazon.com/'), { nil: undefined }),
    managedPolicies: sortedSubset(MANAGED, (x) => x),
    customerManagedPolicies: sortedSubset(CUSTOMER, (x) => `${x.path}${x.name}`),
    inline: fc.option(fc.constantFrom(...INLINE), { nil: undefined }),
    boundary: fc.option(fc.constantFrom({ managedPolicyArn: MANAGED[1]! }, { customerManagedPolicy: CUSTOMER[1]! }), { nil: undefined }),
    tags: fc.constantFrom({}, { owner: 'platform' }, { owner: 'security', tier: '1' }),
  }).map((p) => ({
    name,
    sessionDuration: p.sessionDuration,
    managedPolicies: p.managedPolicies,
    customerManagedPolicies: p.customerManagedPolicies,
    tags: p.tags,
    ...(p.description ? { description: p.description } : {}),
    ...(p.relayState ? { relayState: p.relayState } : {}),
    ...(p.inline ? { inlinePolicy: JSON.stringify(p.inline, null, 2) } : {}),
    ...(p.boundary ? { permissionsBoundary: p.boundary } : {}),
  }));

const source = { file: 'random.yaml', line: 1, col: 1 };

/** A random, valid desired state over `smallOrganization`. */
export const desiredStateArb: fc.Arbitrary<DesiredState> = fc
  .record({
    userNames: fc.subarray(USER_NAMES),
    groupNames: fc.subarray(GROUP_NAMES),
    psNames: fc.subarray(PS_NAMES),
  })
  .chain(({ userNames, groupNames, psNames }) =>
    fc.record({
      users: fc.tuple(...userNames.map(userArb)),
      groups: fc.tuple(
        ...groupNames.map((displayName) =>
          fc.option(fc.constantFrom('Team', 'On-call'), { nil: undefined }).map((description) => ({
            displayName,
            ...(description ? { description } : {}),
          })),
        ),
      ),
      memberships: fc.subarray(groupNames.flatMap((g) => userNames.map((u) => ({ groupName: g, userName: u })))),
      permissionSets: fc.tuple(...psNames.map(permissionSetArb)),
      assignments: psNames.length === 0 || userNames.length + groupNames.length === 0
        ? fc.constant([] as AssignmentRule[])
        : fc.array(
            fc.record({
              users: fc.subarray(userNames),
              groups: fc.subarray(groupNames),
              permissionSets: fc.subarray(psNames, { minLength: 1 }),
              accounts: fc.subarray(['prod-a', '200000000002', 'sandbox', 'management']),
              ous: fc.subarray([{ path: '/Root/Workloads', recursive: true }, { path: '/Root/Workloads', recursive: false }]),
              accountTags: fc.constantFrom({}, { env: 'prod' }),
            }).map((r): AssignmentRule => ({
              ...r,
              exclude: { accounts: [], ous: [] },
              source,
            })),
            { maxLength: 4 },
          ),
    }),
  )
  .map((s) => ({
    settings,
    users: s.users,
    groups: s.groups,
    memberships: s.memberships,
    permissionSets: s.permissionSets,
    permissionSetRenames: {},
    assignments: s.assignments,
    guardrails: [],
    referencedUsers: [],
    referencedGroups: [],
    sources: new Map(),
  }));
