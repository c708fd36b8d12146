import fc from 'fast-check';
import type { AssignmentRule, DesiredState, OuTarget } from '../../src/model/desired.js';
import type { GroupSpec, PermissionSetSpec, UserSpec } from '../../src/model/entities.js';
import type { LiveAssignment, LiveState } from '../../src/model/live.js';
import { managedPolicyArn } from '../../src/model/keys.js';
import {
  account,
  at,
  desiredState,
  liveAssignment,
  liveGroup,
  liveMembership,
  livePermissionSet,
  liveState,
  liveUser,
  organization,
  provisioned,
  settings,
} from './builders.js';

// Random desired/live pairs over small name pools, so that they overlap (updates, deletions,
// renames, expiry, orphans, ignore rules, both ownership modes) instead of being disjoint.

export const propertyOrganization = organization(
  [
    account('100000000000', 'management', '/Root', { tags: { env: 'prod' } }),
    account('200000000001', 'prod-a', '/Root/Workloads/Prod', { tags: { env: 'prod' } }),
    account('200000000002', 'prod-b', '/Root/Workloads/Prod/Data', { tags: { env: 'prod', team: 'data' } }),
    account('200000000003', 'staging', '/Root/Workloads', { tags: { env: 'staging' } }),
    account('300000000001', 'sandbox', '/Root/Sandbox', { tags: { env: 'dev' } }),
    account('300000000002', 'closed', '/Root/Sandbox', { status: 'SUSPENDED' }),
  ],
  { managementAccountId: '100000000000' },
);
const ACCOUNT_IDS = propertyOrganization.accounts.filter((a) => a.status === undefined).map((a) => a.id);
const ACCOUNT_REFS = ['management', 'prod-a', '200000000002', 'staging', 'sandbox', 'closed'];
const OU_PATHS = ['/Root', '/Root/Workloads', '/Root/Workloads/Prod', '/Root/Sandbox'];

const USERS = ['alice', 'bob', 'carol', 'dave'];
/** Matched by the ignore rules when they are on: owned by another tool (SCIM, JIT). */
const EXTERNAL_USERS = ['ext-erin'];
const GROUPS = ['admins', 'devs', 'ops'];
const EXTERNAL_GROUPS = ['ext-sync'];
const PERMISSION_SETS = ['Admin', 'ReadOnly', 'Deploy'];
const OTHER_PERMISSION_SETS = ['Old', 'AWSReservedSSO_x'];
const NOW = new Date('2026-06-01T00:00:00Z');
export const propertyNow = NOW;

const MANAGED = ['AdministratorAccess', 'ReadOnlyAccess', 'job-function/ViewOnlyAccess'].map((n) => managedPolicyArn(n));
const CUSTOMER = [
  { name: 'acme-deny', path: '/' },
  { name: 'acme-boundary', path: '/boundaries/' },
];
const POLICIES = [
  { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] },
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme/*' }] },
];
/** The same document in different layouts: formatting must never be a change. */
const inlinePolicyArb = fc
  .tuple(fc.constantFrom(...POLICIES), fc.constantFrom(0, 2, 4))
  .map(([doc, indent]) => JSON.stringify(doc, null, indent));

const userArb = (userName: string): fc.Arbitrary<UserSpec> =>
  fc
    .record({
      displayName: fc.constantFrom(`${userName} A`, `${userName} B`),
      familyName: fc.constantFrom('Smith', 'Jones'),
      email: fc.option(fc.constant(`${userName}@acme.example`), { nil: undefined }),
      title: fc.option(fc.constantFrom('Engineer', 'Manager'), { nil: undefined }),
    })
    .map((u) => ({
      userName,
      displayName: u.displayName,
      givenName: userName,
      familyName: u.familyName,
      ...(u.email ? { email: u.email } : {}),
      ...(u.title ? { title: u.title } : {}),
    }));

const groupArb = (displayName: string): fc.Arbitrary<GroupSpec> =>
  fc.option(fc.constantFrom('first', 'second'), { nil: undefined }).map((d) => ({ displayName, ...(d ? { description: d } : {}) }));

const permissionSetArb = (name: string): fc.Arbitrary<PermissionSetSpec> =>
  fc
    .record({
      description: fc.option(fc.constantFrom('First', 'Second'), { nil: undefined }),
      sessionDuration: fc.constantFrom('PT1H', 'PT4H'),
      relayState: fc.option(fc.constant('https://console.aws.amazon.com/'), { nil: undefined }),
      managedPolicies: fc.subarray(MANAGED),
      customerManagedPolicies: fc.subarray(CUSTOMER),
      inlinePolicy: fc.option(inlinePolicyArb, { nil: undefined }),
      permissionsBoundary: fc.option(fc.constantFrom({ managedPolicyArn: MANAGED[1]! }, { customerManagedPolicy: CUSTOMER[1]! }), {
        nil: undefined,
      }),
      tags: fc.constantFrom<Record<string, string>>({}, { owner: 'platform' }, { owner: 'security', tier: '1' }),
    })
    .map((p) => {
      const spec: PermissionSetSpec = {
        name,
        sessionDuration: p.sessionDuration,
        managedPolicies: p.managedPolicies,
        customerManagedPolicies: p.customerManagedPolicies,
        tags: p.tags,
        ...(p.description ? { description: p.description } : {}),
        ...(p.relayState ? { relayState: p.relayState } : {}),
        ...(p.inlinePolicy ? { inlinePolicy: p.inlinePolicy } : {}),
        ...(p.permissionsBoundary ? { permissionsBoundary: p.permissionsBoundary } : {}),
      };
      return spec;
    });

/** One spec per chosen name. */
function specs<T>(names: readonly string[], arb: (name: string) => fc.Arbitrary<T>): fc.Arbitrary<T[]> {
  return fc.subarray([...names]).chain((chosen) => (chosen.length === 0 ? fc.constant([]) : fc.tuple(...chosen.map(arb))));
}

const ouTargetArb: fc.Arbitrary<OuTarget> = fc.record({ path: fc.constantFrom(...OU_PATHS), recursive: fc.boolean() });

function ruleArb(users: readonly string[], groups: readonly string[], permissionSets: readonly string[], line: number): fc.Arbitrary<AssignmentRule> {
  return fc
    .record({
      users: fc.subarray([...users]),
      groups: fc.subarray([...groups]),
      permissionSets: fc.subarray([...permissionSets], { minLength: 1 }),
      accounts: fc.subarray(ACCOUNT_REFS, { maxLength: 2 }),
      ous: fc.array(ouTargetArb, { maxLength: 2 }),
      accountTags: fc.constantFrom<Record<string, string>>({}, { env: 'prod' }, { env: 'prod', team: 'data' }),
      exclude: fc.record({ accounts: fc.subarray(['prod-b', 'staging'], { maxLength: 1 }), ous: fc.array(ouTargetArb, { maxLength: 1 }) }),
      expires: fc.option(fc.constantFrom('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), { nil: undefined }),
      reason: fc.option(fc.constantFrom('INC-1', 'vendor'), { nil: undefined }),
    })
    .map(({ expires, reason, ...r }): AssignmentRule => ({
      ...r,
      ...(expires ? { expires } : {}),
      ...(reason ? { reason } : {}),
      source: at('assignments.yaml', line),
    }));
}

export const desiredStateArb: fc.Arbitrary<DesiredState> = fc
  .record({
    ownership: fc.record({
      users: fc.constantFrom('prune', 'keep'),
      groups: fc.constantFrom('prune', 'keep'),
      memberships: fc.constantFrom('prune', 'keep'),
      permissionSets: fc.constantFrom('prune', 'keep'),
      assignments: fc.constantFrom('prune', 'keep'),
    } as const),
    ignoreOn: fc.boolean(),
    users: specs(USERS, userArb),
    groups: specs(GROUPS, groupArb),
    permissionSets: specs(PERMISSION_SETS, permissionSetArb),
    rename: fc.boolean(),
    // Identity Store names fold case, and renames are in place: the same principals under a
    // case variant of their names, or renamed with renamedFrom; permission sets renamed too.
    principalNames: fc.constantFrom('as-is', 'case-variant', 'renamed'),
    renamePermissionSets: fc.boolean(),
  })
  .chain((d) => {
    const userNames = d.users.map((u) => u.userName);
    const groupNames = d.groups.map((g) => g.displayName);
    const psNames = d.permissionSets.map((p) => p.name);
    const pairs = groupNames.flatMap((groupName) => userNames.map((userName) => ({ groupName, userName })));
    const rules: fc.Arbitrary<AssignmentRule[]> =
      psNames.length === 0 || userNames.length + groupNames.length === 0
        ? fc.constant<AssignmentRule[]>([])
        : fc.integer({ min: 0, max: 4 }).chain((n): fc.Arbitrary<AssignmentRule[]> =>
            n === 0 ? fc.constant<AssignmentRule[]>([]) : fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(userNames, groupNames, psNames, i * 10 + 1))),
          );
    return fc.record({ memberships: fc.subarray(pairs), assignments: rules }).map(({ memberships, assignments }) =>
      withVariantNames(d.principalNames, d.renamePermissionSets, desiredState({
        settings: settings({
          ownership: d.ownership,
          ignore: d.ignoreOn
            ? { users: ['ext-*'], groups: ['ext-*'], permissionSets: ['AWSReserved*'], assignmentPrincipals: ['ext-*'] }
            : {},
        }),
        users: d.users,
        groups: d.groups,
        memberships,
        permissionSets: d.permissionSets,
        permissionSetRenames: d.rename && psNames.length > 0 ? { Old: psNames[0]! } : {},
        assignments,
      })),
    );
  });

const CASE_VARIANTS: Readonly<Record<string, string>> = { alice: 'Alice', bob: 'BOB', carol: 'Carol', dave: 'dAVE', admins: 'Admins', devs: 'DEVS', ops: 'Ops' };

/**
 * The state under other names: `case-variant` writes the pool's names in another case (the same
 * Identity Store principals), `renamed` gives every user and group a new name with renamedFrom,
 * and renamePermissionSets does the same for permission sets.
 */
function withVariantNames(mode: 'as-is' | 'case-variant' | 'renamed', renamePermissionSets: boolean, d: DesiredState): DesiredState {
  if (mode === 'as-is' && !renamePermissionSets) return d;
  const principal = (name: string): string =>
    mode === 'case-variant' ? (CASE_VARIANTS[name] ?? name) : mode === 'renamed' ? `${name}-new` : name;
  const ps = (name: string): string => (renamePermissionSets ? `${name}V2` : name);
  const renames = (names: readonly string[], rename: (n: string) => string): Record<string, string> =>
    Object.fromEntries(names.filter((n) => rename(n) !== n).map((n) => [n, rename(n)]));
  const byName = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  return {
    ...d,
    users: d.users.map((u) => ({ ...u, userName: principal(u.userName) })).sort(byName((u) => u.userName)),
    groups: d.groups.map((g) => ({ ...g, displayName: principal(g.displayName) })).sort(byName((g) => g.displayName)),
    memberships: d.memberships.map((m) => ({ groupName: principal(m.groupName), userName: principal(m.userName) })),
    permissionSets: d.permissionSets.map((p) => ({ ...p, name: ps(p.name) })).sort(byName((p) => p.name)),
    permissionSetRenames: renamePermissionSets ? renames(d.permissionSets.map((p) => p.name), ps) : d.permissionSetRenames,
    ...(mode === 'renamed' && {
      userRenames: renames(d.users.map((u) => u.userName), principal),
      groupRenames: renames(d.groups.map((g) => g.displayName), principal),
    }),
    assignments: d.assignments.map((r) => ({
      ...r,
      users: r.users.map(principal),
      groups: r.groups.map(principal),
      permissionSets: r.permissionSets.map(ps),
    })),
  };
}

export const liveStateArb: fc.Arbitrary<LiveState> = fc
  .record({
    users: specs([...USERS, ...EXTERNAL_USERS], userArb),
    groups: specs([...GROUPS, ...EXTERNAL_GROUPS], groupArb),
    permissionSets: specs([...PERMISSION_SETS, ...OTHER_PERMISSION_SETS], permissionSetArb),
    orphans: fc.subarray(['u-ghost-1', 'g-ghost-2']),
  })
  .chain((l) => {
    const userNames = l.users.map((u) => u.userName);
    const groupNames = l.groups.map((g) => g.displayName);
    const pairs = groupNames.flatMap((g) => userNames.map((u) => [g, u] as const));
    const principals: ['USER' | 'GROUP', string | undefined, string?][] = [
      ...userNames.map((u): ['USER', string] => ['USER', u]),
      ...groupNames.map((g): ['GROUP', string] => ['GROUP', g]),
      ...l.orphans.map((id): ['USER' | 'GROUP', undefined, string] => [id.startsWith('u-') ? 'USER' : 'GROUP', undefined, id]),
    ];
    const candidates: LiveAssignment[] = principals.flatMap(([type, name, id]) =>
      l.permissionSets.flatMap((p) => ACCOUNT_IDS.map((acct) => liveAssignment(type, name, p.name, acct, id))),
    );
    return fc
      .record({
        memberships: fc.subarray(pairs),
        assignments: fc.subarray(candidates, { maxLength: Math.min(30, candidates.length) }),
        behind: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      })
      .map(({ memberships, assignments, behind }) => {
        const provisioningKeys = [...new Set(assignments.map((a) => `${a.permissionSetName}|${a.accountId}`))];
        return liveState({
          organization: propertyOrganization,
          users: l.users.map(liveUser),
          groups: l.groups.map(liveGroup),
          memberships: memberships.map(([g, u]) => liveMembership(g, u)),
          permissionSets: l.permissionSets.map(livePermissionSet),
          assignments,
          provisioning: provisioningKeys.map((k, i) => {
            const [ps, acct] = k.split('|') as [string, string];
            return provisioned(ps, acct, behind[i % behind.length] ? 'LATEST_PERMISSION_SET_NOT_PROVISIONED' : 'LATEST_PERMISSION_SET_PROVISIONED');
          }),
        });
      });
  });

/** Same content, every array (and the rule list) in another order. */
export function shuffledDesired(d: DesiredState, order: (n: number) => number[]): DesiredState {
  const shuffle = <T>(xs: readonly T[]): T[] => order(xs.length).map((i) => xs[i]!);
  return {
    ...d,
    users: shuffle(d.users),
    groups: shuffle(d.groups),
    memberships: shuffle(d.memberships),
    permissionSets: shuffle(d.permissionSets.map((p) => ({ ...p, managedPolicies: shuffle(p.managedPolicies) }))),
    assignments: shuffle(d.assignments.map((r) => ({ ...r, users: shuffle(r.users), accounts: shuffle(r.accounts) }))),
    sources: new Map(shuffle([...d.sources])),
  };
}

export function shuffledLive(l: LiveState, order: (n: number) => number[]): LiveState {
  const shuffle = <T>(xs: readonly T[]): T[] => order(xs.length).map((i) => xs[i]!);
  return {
    ...l,
    organization: { ...l.organization, accounts: shuffle(l.organization.accounts), ous: shuffle(l.organization.ous) },
    users: shuffle(l.users),
    groups: shuffle(l.groups),
    memberships: shuffle(l.memberships),
    permissionSets: shuffle(l.permissionSets),
    assignments: shuffle(l.assignments),
    provisioning: shuffle(l.provisioning),
  };
}
