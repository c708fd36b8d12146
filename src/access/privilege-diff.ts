import type { Change } from '../diff/change.js';
import { productionReason } from '../drift/risk-signals.js';
import type { AssignmentTuple, Membership, Organization, PermissionSetSpec } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { levelRank, PRIVILEGE_LEVELS, type PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';

// Who gains or loses a privilege level, in which accounts, and through what. A user's level in
// an account is the highest level of the permission sets they hold there, directly or through
// any group; the level comes from each set's content, so a permission set that keeps its name
// and swaps ReadOnlyAccess for AdministratorAccess is a gain like any new assignment.
//
// Cost: one pass over each side's assignment tuples and memberships, per-group maxima per
// account, then per user a merge of their groups' maxima in a scratch array (a plan of 50,000
// tuples and 10,000 users stays in the tens of milliseconds). Each distinct permission set
// content is analysed once (the model caches by content digest).

export interface AccessSide {
  readonly assignments: readonly AssignmentTuple[];
  readonly memberships: readonly Membership[];
  readonly permissionSets: readonly PermissionSetSpec[];
}

export interface PrivilegeChange {
  readonly direction: 'gain' | 'loss';
  readonly from: PrivilegeLevel;
  readonly to: PrivilegeLevel;
  /** The permission set that gives `to` (gain) or gave `from` (loss). */
  readonly through: string;
  /** What changed: "managed policy AdministratorAccess added", "new assignment", … */
  readonly why: string;
  /** Whether `to` (gain) or `from` (loss) holds only under conditions or unknown content. */
  readonly possibly: boolean;
  readonly users: readonly string[];
  readonly accounts: readonly string[];
  readonly productionAccounts: readonly string[];
}

interface Best {
  rank: number;
  ps: number;
}

interface SideIndex {
  readonly psRank: Map<string, number>;
  readonly direct: Map<string, Best[]>;
  readonly groups: Map<string, Best[]>;
  readonly groupsOf: Map<string, string[]>;
  readonly specs: Map<string, PermissionSetSpec>;
}

export function privilegeDiff(model: PrivilegeModel, before: AccessSide, after: AccessSide, organization: Organization): PrivilegeChange[] {
  const accountIds: string[] = [];
  const accountIndex = new Map<string, number>();
  const accountOf = (id: string) => {
    let i = accountIndex.get(id);
    if (i === undefined) {
      i = accountIds.length;
      accountIds.push(id);
      accountIndex.set(id, i);
    }
    return i;
  };
  const psNames: string[] = [];
  const psIndex = new Map<string, number>();
  const psOf = (name: string) => {
    let i = psIndex.get(name);
    if (i === undefined) {
      i = psNames.length;
      psNames.push(name);
      psIndex.set(name, i);
    }
    return i;
  };

  const index = (side: AccessSide): SideIndex => {
    const specs = new Map(side.permissionSets.map((p) => [p.name, p]));
    const psRank = new Map<string, number>();
    const rankOf = (name: string) => {
      let r = psRank.get(name);
      if (r === undefined) {
        const spec = specs.get(name);
        // An assignment of a permission set this side does not define grants what we cannot see.
        r = spec ? levelRank(model.of(spec).classification.level) : 0;
        psRank.set(name, r);
      }
      return r;
    };
    // Per principal, per account: the highest rank (first permission set by name on a tie).
    const raw = new Map<string, Map<number, Best>>();
    for (const t of side.assignments) {
      const key = `${t.principalType === 'USER' ? 'U' : 'G'}${t.principalName}`;
      let byAccount = raw.get(key);
      if (!byAccount) raw.set(key, (byAccount = new Map()));
      const account = accountOf(t.accountId);
      const rank = rankOf(t.permissionSetName);
      const ps = psOf(t.permissionSetName);
      const seen = byAccount.get(account);
      if (!seen || rank > seen.rank || (rank === seen.rank && compareStrings(t.permissionSetName, psNames[seen.ps]!) < 0)) {
        byAccount.set(account, { rank, ps });
      }
    }
    const direct = new Map<string, Best[]>();
    const groups = new Map<string, Best[]>();
    for (const [key, byAccount] of raw) {
      const list: Best[] = [];
      for (const [account, best] of byAccount) list[account] = best;
      (key.startsWith('U') ? direct : groups).set(key.slice(1), list);
    }
    const groupsOf = new Map<string, string[]>();
    for (const m of side.memberships) {
      const list = groupsOf.get(m.userName);
      if (list) list.push(m.groupName);
      else groupsOf.set(m.userName, [m.groupName]);
    }
    return { psRank, direct, groups, groupsOf, specs };
  };

  const b = index(before);
  const a = index(after);
  const users = new Set<string>([...b.direct.keys(), ...a.direct.keys(), ...b.groupsOf.keys(), ...a.groupsOf.keys()]);

  const n = accountIds.length;
  const rankB = new Int8Array(n).fill(-1);
  const psB = new Int32Array(n);
  const rankA = new Int8Array(n).fill(-1);
  const psA = new Int32Array(n);
  const merge = (list: Best[] | undefined, rank: Int8Array, ps: Int32Array, touched: number[]) => {
    if (!list) return;
    list.forEach((best, account) => {
      const current = rank[account]!;
      if (current < 0) touched.push(account);
      if (best.rank > current || (best.rank === current && compareStrings(psNames[best.ps]!, psNames[ps[account]!]!) < 0)) {
        rank[account] = best.rank;
        ps[account] = best.ps;
      }
    });
  };

  interface Bucket {
    direction: 'gain' | 'loss';
    from: number;
    to: number;
    ps: number;
    users: Set<string>;
    accounts: Set<number>;
  }
  const buckets = new Map<string, Bucket>();
  const touched: number[] = [];
  for (const user of users) {
    touched.length = 0;
    merge(b.direct.get(user), rankB, psB, touched);
    for (const g of b.groupsOf.get(user) ?? []) merge(b.groups.get(g), rankB, psB, touched);
    merge(a.direct.get(user), rankA, psA, touched);
    for (const g of a.groupsOf.get(user) ?? []) merge(a.groups.get(g), rankA, psA, touched);
    // -1: the user does not reach the account on that side (the same as level none).
    for (const account of touched) {
      const from = rankB[account]!;
      const to = rankA[account]!;
      if (from >= 0 || to >= 0) {
        const f = Math.max(0, from);
        const t = Math.max(0, to);
        if (f !== t) {
          const direction = t > f ? 'gain' : 'loss';
          const ps = direction === 'gain' ? psA[account]! : psB[account]!;
          const key = `${direction}|${f}|${t}|${ps}`;
          let bucket = buckets.get(key);
          if (!bucket) buckets.set(key, (bucket = { direction, from: f, to: t, ps, users: new Set(), accounts: new Set() }));
          bucket.users.add(user);
          bucket.accounts.add(account);
        }
      }
      rankB[account] = -1;
      rankA[account] = -1;
    }
  }

  const accounts = new Map(organization.accounts.map((acc) => [acc.id, acc]));
  const isProduction = (id: string) => productionReason(accounts.get(id)) !== undefined;
  return [...buckets.values()]
    .map((bucket): PrivilegeChange => {
      const through = psNames[bucket.ps]!;
      const level = bucket.direction === 'gain' ? bucket.to : bucket.from;
      const spec = (bucket.direction === 'gain' ? a : b).specs.get(through);
      const ids = [...bucket.accounts].map((i) => accountIds[i]!).sort(compareStrings);
      return {
        direction: bucket.direction,
        from: PRIVILEGE_LEVELS[bucket.from]!,
        to: PRIVILEGE_LEVELS[bucket.to]!,
        through,
        why: whyChanged(model, b.specs.get(through), a.specs.get(through), bucket.direction),
        possibly: spec !== undefined && levelRank(model.of(spec).classification.certainLevel) < level,
        users: [...bucket.users].sort(compareStrings),
        accounts: ids,
        productionAccounts: ids.filter(isProduction),
      };
    })
    .sort(
      (x, y) =>
        Number(x.direction === 'loss') - Number(y.direction === 'loss') ||
        Math.max(levelRank(y.to), levelRank(y.from)) - Math.max(levelRank(x.to), levelRank(x.from)) ||
        y.productionAccounts.length - x.productionAccounts.length ||
        y.users.length - x.users.length ||
        compareStrings(x.through, y.through),
    );
}

const policyName = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** What about the permission set changed, as a reviewer would say it. */
function whyChanged(model: PrivilegeModel, before: PermissionSetSpec | undefined, after: PermissionSetSpec | undefined, direction: 'gain' | 'loss'): string {
  if (!before || !after || model.contentDigest(before) === model.contentDigest(after)) {
    return direction === 'gain' ? 'newly granted' : 'no longer granted';
  }
  const parts: string[] = [];
  const had = new Set(before.managedPolicies);
  const has = new Set(after.managedPolicies);
  for (const arn of after.managedPolicies) if (!had.has(arn)) parts.push(`managed policy ${policyName(arn)} added`);
  for (const arn of before.managedPolicies) if (!has.has(arn)) parts.push(`managed policy ${policyName(arn)} removed`);
  const cmp = (r: { name: string; path: string }) => `${r.path}${r.name}`;
  const hadC = new Set(before.customerManagedPolicies.map(cmp));
  const hasC = new Set(after.customerManagedPolicies.map(cmp));
  for (const r of after.customerManagedPolicies) if (!hadC.has(cmp(r))) parts.push(`customer managed policy ${r.name} added`);
  for (const r of before.customerManagedPolicies) if (!hasC.has(cmp(r))) parts.push(`customer managed policy ${r.name} removed`);
  if ((before.inlinePolicy ?? '') !== (after.inlinePolicy ?? '')) {
    parts.push(before.inlinePolicy === undefined ? 'inline policy added' : after.inlinePolicy === undefined ? 'inline policy removed' : 'inline policy changed');
  }
  if (JSON.stringify(before.permissionsBoundary ?? null) !== JSON.stringify(after.permissionsBoundary ?? null)) {
    parts.push(after.permissionsBoundary === undefined ? 'permissions boundary removed' : before.permissionsBoundary === undefined ? 'permissions boundary added' : 'permissions boundary changed');
  }
  return parts.length > 0 ? parts.join(', ') : 'policies changed';
}

/** The live store's assignments, memberships and permission sets by name (orphans dropped). */
export function liveAccessSide(live: LiveState): AccessSide {
  const memberships: Membership[] = [];
  for (const m of live.memberships) if (m.groupName !== undefined && m.userName !== undefined) memberships.push({ groupName: m.groupName, userName: m.userName });
  const assignments: AssignmentTuple[] = [];
  for (const a of live.assignments) {
    if (a.principalName !== undefined) assignments.push({ principalType: a.principalType, principalName: a.principalName, permissionSetName: a.permissionSetName, accountId: a.accountId });
  }
  return { assignments, memberships, permissionSets: live.permissionSets };
}

/** What the live store holds once the changes are applied: the plan's "after" for the privilege diff. */
export function accessSideAfter(before: AccessSide, changes: readonly Change[]): AccessSide {
  const tupleKey = (t: AssignmentTuple) => `${t.principalType}|${t.principalName}|${t.permissionSetName}|${t.accountId}`;
  const memberKey = (m: Membership) => `${m.groupName}|${m.userName}`;
  const removedTuples = new Set<string>();
  const addedTuples: AssignmentTuple[] = [];
  const removedMembers = new Set<string>();
  const addedMembers: Membership[] = [];
  const specs = new Map(before.permissionSets.map((p) => [p.name, p]));
  for (const c of changes) {
    if (c.kind === 'assignment.delete') removedTuples.add(tupleKey(c.assignment));
    else if (c.kind === 'assignment.create') addedTuples.push(c.assignment);
    else if (c.kind === 'membership.remove') removedMembers.add(memberKey(c));
    else if (c.kind === 'membership.add') addedMembers.push({ groupName: c.groupName, userName: c.userName });
    else if (c.kind === 'permissionSet.create' || c.kind === 'permissionSet.update') specs.set(c.after.name, c.after);
    else if (c.kind === 'permissionSet.delete') specs.delete(c.before.name);
  }
  return {
    assignments: [...before.assignments.filter((t) => !removedTuples.has(tupleKey(t))), ...addedTuples],
    memberships: [...before.memberships.filter((m) => !removedMembers.has(memberKey(m))), ...addedMembers],
    permissionSets: [...specs.values()],
  };
}
