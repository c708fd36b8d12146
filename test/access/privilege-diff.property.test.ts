import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deltaBetween, deltaOfChanges, type AccessSide, type PrivilegeChange, privilegeChanges, privilegeDiff } from '../../src/access/privilege-diff.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import type { Change } from '../../src/diff/change.js';
import type { AssignmentTuple, Membership, Organization, PermissionSetSpec } from '../../src/model/entities.js';
import { compareStrings, managedPolicyArn } from '../../src/model/keys.js';
import { levelRank, PRIVILEGE_LEVELS } from '../../src/privilege/classify.js';
import { assignmentsOf, membershipsOf } from './access-arbitraries.js';

// The privilege diff evaluates only the (user, account) pairs a delta touches. Checked here
// against a brute-force reference that computes every user's level in every account on both
// sides from scratch and compares them all: the incremental answer must be the same, whether
// the delta comes from two whole sides (access --base) or from a plan's changes.

const model = privilegeModel();
const USERS = ['ann', 'bob', 'cid', 'dee', 'eve'];
const GROUPS = ['g1', 'g2', 'g3'];
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const PS = ['Alpha', 'Beta', 'Gamma', 'Delta'];
const organization: Organization = {
  managementAccountId: ACCOUNTS[0]!,
  ous: [],
  accounts: ACCOUNTS.map((id, i) => ({ id, name: i === 2 ? 'prod-x' : `acct-${i}`, ouPath: '/Root', tags: i === 2 ? { env: 'prod' } : ({} as Record<string, string>) })),
};

const spec = (name: string, content: number): PermissionSetSpec => ({
  name,
  sessionDuration: 'PT1H',
  managedPolicies: [
    [],
    [managedPolicyArn('ReadOnlyAccess')],
    [managedPolicyArn('AdministratorAccess')],
    [managedPolicyArn('IAMFullAccess')],
    [],
  ][content]!,
  customerManagedPolicies: [],
  ...(content === 4 ? { inlinePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}' } : {}),
  tags: {},
});

const names = { users: USERS, groups: GROUPS, permissionSets: PS, accounts: ACCOUNTS };
const side: fc.Arbitrary<AccessSide> = fc
  .record({
    assignments: assignmentsOf(names, 14),
    memberships: membershipsOf(names, 10),
    // Content per permission set; 5 leaves it undefined on this side.
    contents: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: PS.length, maxLength: PS.length }),
  })
  .map(({ assignments, memberships, contents }) => ({
    assignments: assignments.map(({ line: _line, ...t }): AssignmentTuple => t),
    memberships,
    permissionSets: PS.flatMap((name, i) => (contents[i]! === 5 ? [] : [spec(name, contents[i]!)])),
  }));

/** Every user's level in every account, per side, compared pair by pair. */
function reference(before: AccessSide, after: AccessSide): unknown[] {
  const standing = (s: AccessSide, user: string, account: string): { rank: number; ps: string } | undefined => {
    const specs = new Map(s.permissionSets.map((p) => [p.name, p]));
    const groups = s.memberships.filter((m) => m.userName === user).map((m) => m.groupName);
    let best: { rank: number; ps: string } | undefined;
    for (const t of s.assignments) {
      if (t.accountId !== account) continue;
      if (!(t.principalType === 'USER' ? t.principalName === user : groups.includes(t.principalName))) continue;
      const p = specs.get(t.permissionSetName);
      const rank = p ? levelRank(model.of(p).classification.level) : 0;
      if (!best || rank > best.rank || (rank === best.rank && compareStrings(t.permissionSetName, best.ps) < 0)) best = { rank, ps: t.permissionSetName };
    }
    return best;
  };
  const buckets = new Map<string, { direction: string; from: string; to: string; through: string; users: Set<string>; accounts: Set<string> }>();
  for (const user of USERS) {
    for (const account of ACCOUNTS) {
      const b = standing(before, user, account);
      const a = standing(after, user, account);
      const f = b?.rank ?? 0;
      const t = a?.rank ?? 0;
      if (f === t) continue;
      const direction = t > f ? 'gain' : 'loss';
      const through = direction === 'gain' ? a!.ps : b!.ps;
      const key = `${direction}|${f}|${t}|${through}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = { direction, from: PRIVILEGE_LEVELS[f]!, to: PRIVILEGE_LEVELS[t]!, through, users: new Set(), accounts: new Set() }));
      bucket.users.add(user);
      bucket.accounts.add(account);
    }
  }
  return [...buckets.values()]
    .map((b) => ({ direction: b.direction, from: b.from, to: b.to, through: b.through, users: [...b.users].sort(), accounts: [...b.accounts].sort() }))
    .sort((x, y) => compareStrings(JSON.stringify(x), JSON.stringify(y)));
}

const comparable = (found: readonly PrivilegeChange[]) =>
  found
    .map((c) => ({ direction: c.direction, from: c.from, to: c.to, through: c.through, users: [...c.users], accounts: [...c.accounts] }))
    .sort((x, y) => compareStrings(JSON.stringify(x), JSON.stringify(y)));

/** The changes a plan would hold to take `before` to `after`. */
function changesBetween(before: AccessSide, after: AccessSide): Change[] {
  const key = (t: AssignmentTuple) => `${t.principalType}|${t.principalName}|${t.permissionSetName}|${t.accountId}`;
  const mkey = (m: Membership) => `${m.groupName}|${m.userName}`;
  const bt = new Set(before.assignments.map(key));
  const at = new Set(after.assignments.map(key));
  const bm = new Set(before.memberships.map(mkey));
  const am = new Set(after.memberships.map(mkey));
  const bs = new Map(before.permissionSets.map((p) => [p.name, p]));
  const as = new Map(after.permissionSets.map((p) => [p.name, p]));
  return [
    ...after.permissionSets.flatMap((p): Change[] => {
      const was = bs.get(p.name);
      if (!was) return [{ kind: 'permissionSet.create', after: p }];
      return JSON.stringify(was) === JSON.stringify(p) ? [] : [{ kind: 'permissionSet.update', before: was, after: p, fields: ['managedPolicies'] }];
    }),
    ...after.memberships.filter((m) => !bm.has(mkey(m))).map((m): Change => ({ kind: 'membership.add', ...m })),
    ...after.assignments.filter((t) => !bt.has(key(t))).map((t): Change => ({ kind: 'assignment.create', assignment: t })),
    ...before.assignments.filter((t) => !at.has(key(t))).map((t): Change => ({ kind: 'assignment.delete', assignment: t })),
    ...before.memberships.filter((m) => !am.has(mkey(m))).map((m): Change => ({ kind: 'membership.remove', ...m })),
    ...before.permissionSets.filter((p) => !as.has(p.name)).map((p): Change => ({ kind: 'permissionSet.delete', before: p })),
  ];
}

describe('incremental privilege diff', () => {
  it('matches a brute-force comparison of every (user, account) pair, from two sides and from a plan’s changes', () => {
    fc.assert(
      fc.property(side, side, (before, after) => {
        const expected = reference(before, after);
        expect(comparable(privilegeDiff(model, before, after, organization))).toEqual(expected);
        expect(comparable(privilegeChanges(model, before, deltaOfChanges(changesBetween(before, after)), organization))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('walks pair by pair and account by account to the same answer, groups as member lists or as bit sets', () => {
    // The default picks the walk by the delta's size; each walk must agree with the reference
    // on any delta, and the sweep with every group swept either way.
    fc.assert(
      fc.property(side, side, fc.boolean(), (before, after, fromPlan) => {
        const expected = reference(before, after);
        const delta = fromPlan ? deltaOfChanges(changesBetween(before, after)) : deltaBetween(before, after);
        expect(comparable(privilegeChanges(model, before, delta, organization, { walk: 'pairs' }))).toEqual(expected);
        expect(comparable(privilegeChanges(model, before, delta, organization, { walk: 'accounts', bitSetFrom: 1 }))).toEqual(expected);
        expect(comparable(privilegeChanges(model, before, delta, organization, { walk: 'accounts', bitSetFrom: Infinity }))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('a first plan (nothing before) over more users than one bit-set word: every member gains once per account, a user in two groups at the better level', () => {
    const many = Array.from({ length: 70 }, (_, i) => `u${String(i).padStart(2, '0')}`);
    const after: AccessSide = {
      assignments: [
        { principalType: 'GROUP', principalName: 'everyone', permissionSetName: 'Beta', accountId: ACCOUNTS[0]! },
        { principalType: 'GROUP', principalName: 'everyone', permissionSetName: 'Beta', accountId: ACCOUNTS[2]! },
        { principalType: 'GROUP', principalName: 'admins', permissionSetName: 'Alpha', accountId: ACCOUNTS[2]! },
        { principalType: 'USER', principalName: 'u69', permissionSetName: 'Gamma', accountId: ACCOUNTS[1]! },
      ],
      memberships: [...many.map((userName) => ({ groupName: 'everyone', userName })), { groupName: 'admins', userName: 'u33' }, { groupName: 'admins', userName: 'u64' }],
      permissionSets: [spec('Alpha', 2), spec('Beta', 1), spec('Gamma', 3)],
    };
    const empty: AccessSide = { assignments: [], memberships: [], permissionSets: [] };
    const delta = deltaOfChanges(changesBetween(empty, after));
    const byWalk = [{ walk: 'pairs' as const }, { walk: 'accounts' as const, bitSetFrom: 1 }, { walk: 'accounts' as const, bitSetFrom: 1000 }].map((o) =>
      comparable(privilegeChanges(model, empty, delta, organization, o)),
    );
    expect(byWalk[1]).toEqual(byWalk[0]);
    expect(byWalk[2]).toEqual(byWalk[0]);
    const summary = Object.fromEntries(byWalk[0]!.map((c) => [`${c.from}→${c.to} ${c.through}`, [c.users.length, c.accounts.length]]));
    expect(summary).toEqual({
      'none→admin Alpha': [2, 1],
      'none→read-only Beta': [70, 2],
      [`none→${byWalk[0]!.find((c) => c.through === 'Gamma')!.to} Gamma`]: [1, 1],
    });
  });

  it('a delta that touches nothing costs nothing and finds nothing', () => {
    const before: AccessSide = { assignments: [{ principalType: 'GROUP', principalName: 'g1', permissionSetName: 'Alpha', accountId: ACCOUNTS[0]! }], memberships: [{ groupName: 'g1', userName: 'ann' }], permissionSets: [spec('Alpha', 2)] };
    // A description-only update keeps the content digest: no pair is touched.
    const renamed = { ...spec('Alpha', 2), description: 'now described' };
    expect(privilegeChanges(model, before, deltaOfChanges([{ kind: 'permissionSet.update', before: spec('Alpha', 2), after: renamed, fields: ['description'] }]), organization)).toEqual([]);
  });

  it('a content change reaches the users who hold the set through a group, with the reason and production accounts', () => {
    const before: AccessSide = {
      assignments: [{ principalType: 'GROUP', principalName: 'g1', permissionSetName: 'Beta', accountId: ACCOUNTS[2]! }],
      memberships: [{ groupName: 'g1', userName: 'ann' }, { groupName: 'g1', userName: 'bob' }],
      permissionSets: [spec('Beta', 1)],
    };
    const found = privilegeChanges(model, before, deltaOfChanges([{ kind: 'permissionSet.update', before: spec('Beta', 1), after: spec('Beta', 2), fields: ['managedPolicies'] }]), organization);
    expect(found).toEqual([
      {
        direction: 'gain',
        from: 'read-only',
        to: 'admin',
        through: 'Beta',
        why: 'managed policy AdministratorAccess added, managed policy ReadOnlyAccess removed',
        possibly: false,
        users: ['ann', 'bob'],
        accounts: [ACCOUNTS[2]],
        productionAccounts: [ACCOUNTS[2]],
      },
    ]);
  });
});
