import type { Change } from '../diff/change.js';
import { productionReason } from '../drift/risk-signals.js';
import type { AssignmentTuple, Membership, Organization, PermissionSetSpec } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { levelRank, PRIVILEGE_LEVELS, type PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { type RawBucket, sweepByAccount, type Triples } from './privilege-sweep.js';

// Who gains or loses a privilege level, in which accounts, and through what. A user's level in
// an account is the highest level of the permission sets they hold there, directly or through
// any group (on a tie, the permission set first by name); the level comes from each set's
// content, so a permission set that keeps its name and swaps ReadOnlyAccess for
// AdministratorAccess is a gain like any new assignment.
//
// Incremental: the after side is the before side plus a delta (the plan's changes, or the
// difference between two configs). Only the (user, account) pairs the delta touches are
// evaluated: a changed assignment touches its principal's users in its account, a changed
// membership touches the user in the group's accounts, and a permission set whose content
// changed touches every pair that holds it. No other pair can change level. Each distinct
// permission set content is analysed once (the model caches by content digest).

export interface AccessSide {
  readonly assignments: readonly AssignmentTuple[];
  readonly memberships: readonly Membership[];
  readonly permissionSets: readonly PermissionSetSpec[];
}

/** The after side is the before side with these applied. */
export interface AccessDelta {
  readonly addedAssignments: readonly AssignmentTuple[];
  readonly removedAssignments: readonly AssignmentTuple[];
  readonly addedMemberships: readonly Membership[];
  readonly removedMemberships: readonly Membership[];
  /** Permission sets defined anew (their after spec) or removed (undefined). */
  readonly permissionSets: ReadonlyMap<string, PermissionSetSpec | undefined>;
}

export interface PrivilegeChange {
  readonly direction: 'gain' | 'loss';
  readonly from: PrivilegeLevel;
  readonly to: PrivilegeLevel;
  /** The permission set that gives `to` (gain) or gave `from` (loss). */
  readonly through: string;
  /** What changed: "managed policy AdministratorAccess added", "newly granted", … */
  readonly why: string;
  /** Whether `to` (gain) or `from` (loss) holds only under conditions or unknown content. */
  readonly possibly: boolean;
  readonly users: readonly string[];
  readonly accounts: readonly string[];
  readonly productionAccounts: readonly string[];
}

/** Who gains or loses a privilege level between two whole sides (e.g. two git refs). */
export function privilegeDiff(model: PrivilegeModel, before: AccessSide, after: AccessSide, organization: Organization): PrivilegeChange[] {
  return privilegeChanges(model, before, deltaBetween(before, after), organization);
}

const tupleKey = (t: AssignmentTuple) => `${t.principalType}|${t.principalName}|${t.permissionSetName}|${t.accountId}`;
const memberKey = (m: Membership) => `${m.groupName}|${m.userName}`;

/** The delta that takes `before` to `after`. */
export function deltaBetween(before: AccessSide, after: AccessSide): AccessDelta {
  const setDiff = <T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] => {
    const keys = new Set(b.map(key));
    return a.filter((x) => !keys.has(key(x)));
  };
  const beforeSpecs = new Map(before.permissionSets.map((p) => [p.name, p]));
  const afterSpecs = new Map(after.permissionSets.map((p) => [p.name, p]));
  const permissionSets = new Map<string, PermissionSetSpec | undefined>();
  // Content equality is the engine's to decide (by digest); here only what may differ.
  for (const [name, spec] of afterSpecs) if (beforeSpecs.get(name) !== spec) permissionSets.set(name, spec);
  for (const name of beforeSpecs.keys()) if (!afterSpecs.has(name)) permissionSets.set(name, undefined);
  return {
    addedAssignments: setDiff(after.assignments, before.assignments, tupleKey),
    removedAssignments: setDiff(before.assignments, after.assignments, tupleKey),
    addedMemberships: setDiff(after.memberships, before.memberships, memberKey),
    removedMemberships: setDiff(before.memberships, after.memberships, memberKey),
    permissionSets,
  };
}

/** The delta of a plan's changes (what the live store holds once they are applied). */
export function deltaOfChanges(changes: readonly Change[]): AccessDelta {
  const addedAssignments: AssignmentTuple[] = [];
  const removedAssignments: AssignmentTuple[] = [];
  const addedMemberships: Membership[] = [];
  const removedMemberships: Membership[] = [];
  const permissionSets = new Map<string, PermissionSetSpec | undefined>();
  for (const c of changes) {
    if (c.kind === 'assignment.delete') removedAssignments.push(c.assignment);
    else if (c.kind === 'assignment.create') addedAssignments.push(c.assignment);
    // The change is itself a Membership (groupName, userName): no copy of 50,000 of them.
    else if (c.kind === 'membership.remove') removedMemberships.push(c);
    else if (c.kind === 'membership.add') addedMemberships.push(c);
    else if (c.kind === 'permissionSet.create' || c.kind === 'permissionSet.update') permissionSets.set(c.after.name, c.after);
    else if (c.kind === 'permissionSet.delete' && !permissionSets.has(c.before.name)) permissionSets.set(c.before.name, undefined);
  }
  return { addedAssignments, removedAssignments, addedMemberships, removedMemberships, permissionSets };
}

// A user's standing in an account is one number, so "highest level, then first permission set
// by name" is a plain maximum: rank × 2^20 + (2^20 − 1 − the set's position in name order).
const SCALE = 1 << 20;
const MASK = SCALE - 1;

/** A principal's standing per account it reaches on one side (the best of its assignments there). */
interface Row {
  readonly accounts: Int32Array;
  readonly values: Int32Array;
}
const NO_ROW: Row = { accounts: new Int32Array(0), values: new Int32Array(0) };

/** Strings to dense ids (names are hashed once each; the loops below index arrays). */
class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  // Consecutive assignments mostly share their principal and permission set (one rule's
  // expansion): the last name answers without hashing.
  private last = '';
  private lastId = -1;
  id(name: string): number {
    if (name === this.last) return this.lastId;
    this.last = name;
    let i = this.ids.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.ids.set(name, i);
    }
    this.lastId = i;
    return i;
  }
  get size(): number {
    return this.names.length;
  }
}

/** Per id, a flat list of pairs (account, permission set). */
type Held = number[][];

function push(lists: number[][], i: number, value: number): void {
  const list = lists[i];
  if (list) list.push(value);
  else lists[i] = [value];
}

function push2(lists: number[][], i: number, a: number, b: number): void {
  const list = lists[i];
  if (list) list.push(a, b);
  else lists[i] = [a, b];
}

/** Test hooks: which walk to take (default: by the delta's size) and the sweep's bit-set threshold. */
export interface PrivilegeWalkOptions {
  readonly walk?: 'pairs' | 'accounts';
  readonly bitSetFrom?: number;
}

export function privilegeChanges(model: PrivilegeModel, before: AccessSide, delta: AccessDelta, organization: Organization, options: PrivilegeWalkOptions = {}): PrivilegeChange[] {
  const beforeSpecs = new Map(before.permissionSets.map((p) => [p.name, p]));
  const afterSpecs = new Map(beforeSpecs);
  for (const [name, spec] of delta.permissionSets) {
    if (spec) afterSpecs.set(name, spec);
    else afterSpecs.delete(name);
  }
  const contentChanged = new Set<string>();
  for (const name of delta.permissionSets.keys()) {
    const b = beforeSpecs.get(name);
    const a = afterSpecs.get(name);
    if (b === a) continue;
    if (!b || !a || model.contentDigest(b) !== model.contentDigest(a)) contentChanged.add(name);
  }
  if (
    delta.addedAssignments.length === 0 &&
    delta.removedAssignments.length === 0 &&
    delta.addedMemberships.length === 0 &&
    delta.removedMemberships.length === 0 &&
    contentChanged.size === 0
  ) {
    return [];
  }

  const accounts = new Interner();
  for (const a of organization.accounts) accounts.id(a.id);
  const sets = new Interner();
  const users = new Interner();
  const groups = new Interner();

  // A delta that adds at least as many assignments as the before side holds (a first plan) is
  // walked account by account; any other pair by pair, touching only what the delta touches.
  const byAccount = options.walk === 'accounts' || (options.walk !== 'pairs' && before.assignments.length <= delta.addedAssignments.length);

  // Assignments per user and per group (the pair walk), or as flat arrays (the sweep): the before
  // side, and what the delta adds and removes.
  const userHeld: Held = [];
  const groupHeld: Held = [];
  const userAdded: Held = [];
  const groupAdded: Held = [];
  const userRemoved: Set<number>[] = [];
  const groupRemoved: Set<number>[] = [];
  let flat: { readonly before: Triples; readonly added: Triples; readonly removed: Triples } | undefined;
  if (byAccount) {
    const triples = (list: readonly AssignmentTuple[]): Triples => {
      const account = new Int32Array(list.length);
      const principal = new Int32Array(list.length);
      const ps = new Int32Array(list.length);
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        account[i] = accounts.id(t.accountId);
        principal[i] = t.principalType === 'USER' ? users.id(t.principalName) : ~groups.id(t.principalName);
        ps[i] = sets.id(t.permissionSetName);
      }
      return { account, principal, ps, length: list.length };
    };
    flat = { before: triples(before.assignments), added: triples(delta.addedAssignments), removed: triples(delta.removedAssignments) };
  } else {
    for (const t of before.assignments) {
      if (t.principalType === 'USER') push2(userHeld, users.id(t.principalName), accounts.id(t.accountId), sets.id(t.permissionSetName));
      else push2(groupHeld, groups.id(t.principalName), accounts.id(t.accountId), sets.id(t.permissionSetName));
    }
    for (const t of delta.addedAssignments) {
      if (t.principalType === 'USER') push2(userAdded, users.id(t.principalName), accounts.id(t.accountId), sets.id(t.permissionSetName));
      else push2(groupAdded, groups.id(t.principalName), accounts.id(t.accountId), sets.id(t.permissionSetName));
    }
    for (const t of delta.removedAssignments) {
      const [removed, id] = t.principalType === 'USER' ? [userRemoved, users.id(t.principalName)] : [groupRemoved, groups.id(t.principalName)];
      (removed[id] ??= new Set()).add(accounts.id(t.accountId) * SCALE + sets.id(t.permissionSetName));
    }
  }
  for (const name of [...beforeSpecs.keys(), ...afterSpecs.keys()]) sets.id(name);

  // Memberships, both ways: before, and what the delta adds and removes.
  const groupsBefore: number[][] = [];
  const membersBefore: number[][] = [];
  for (const m of before.memberships) {
    const u = users.id(m.userName);
    const g = groups.id(m.groupName);
    push(groupsBefore, u, g);
    push(membersBefore, g, u);
  }
  const groupsAdded: number[][] = [];
  const membersAdded: number[][] = [];
  const groupsRemoved: Set<number>[] = [];
  for (const m of delta.addedMemberships) {
    const u = users.id(m.userName);
    const g = groups.id(m.groupName);
    push(groupsAdded, u, g);
    push(membersAdded, g, u);
  }
  for (const m of delta.removedMemberships) (groupsRemoved[users.id(m.userName)] ??= new Set()).add(groups.id(m.groupName));

  // Permission set order by name, for the tie-break; standings per side, analysed on first use.
  const psNames = sets.names;
  const byName = psNames.map((_, i) => i).sort((x, y) => compareStrings(psNames[x]!, psNames[y]!));
  const order = new Int32Array(psNames.length);
  byName.forEach((ps, position) => (order[ps] = position));
  const standing = (specs: ReadonlyMap<string, PermissionSetSpec>) => {
    const values = new Int32Array(psNames.length).fill(-1);
    return (ps: number): number => {
      let v = values[ps]!;
      if (v < 0) {
        const spec = specs.get(psNames[ps]!);
        // An assignment of a permission set this side does not define grants what we cannot see.
        v = (spec ? levelRank(model.of(spec).classification.level) : 0) * SCALE + (MASK - order[ps]!);
        values[ps] = v;
      }
      return v;
    };
  };
  const standingBefore = standing(beforeSpecs);
  const standingAfter = standing(afterSpecs);
  const groupsAfter = (u: number): readonly number[] => {
    const base = groupsBefore[u] ?? [];
    const gone = groupsRemoved[u];
    const plus = groupsAdded[u];
    if (!gone && !plus) return base;
    const kept = gone ? base.filter((g) => !gone.has(g)) : base;
    return plus ? [...kept, ...plus] : kept;
  };
  const n = accounts.size;

  const raw = flat ? sweepDelta(flat) : walkTouchedPairs();

  function sweepDelta(sides: NonNullable<typeof flat>): RawBucket[] {
    const U = users.size;
    // Principals as the sweep numbers them: users, then groups after them.
    const number = (side: Triples) => {
      const p = side.principal;
      for (let i = 0; i < side.length; i++) if (p[i]! < 0) p[i] = U + ~p[i]!;
      return side;
    };
    const beforeSide = number(sides.before);
    const added = number(sides.added);
    const removed = number(sides.removed);
    // The after side: the before side without what the delta removes, then what it adds.
    const S = psNames.length;
    const code = (side: Triples, i: number) => (side.principal[i]! * n + side.account[i]!) * S + side.ps[i]!;
    const gone = new Set<number>();
    for (let i = 0; i < removed.length; i++) gone.add(code(removed, i));
    const kept: number[] = [];
    for (let i = 0; i < beforeSide.length; i++) if (gone.size === 0 || !gone.has(code(beforeSide, i))) kept.push(i);
    const length = kept.length + added.length;
    const afterSide: Triples = { account: new Int32Array(length), principal: new Int32Array(length), ps: new Int32Array(length), length };
    kept.forEach((i, at) => {
      afterSide.account[at] = beforeSide.account[i]!;
      afterSide.principal[at] = beforeSide.principal[i]!;
      afterSide.ps[at] = beforeSide.ps[i]!;
    });
    afterSide.account.set(added.account, kept.length);
    afterSide.principal.set(added.principal, kept.length);
    afterSide.ps.set(added.ps, kept.length);
    const membersAfter: (readonly number[] | undefined)[] = [];
    return sweepByAccount({
      userCount: U,
      groupCount: groups.size,
      accountCount: n,
      byName,
      levels: PRIVILEGE_LEVELS.length,
      scale: SCALE,
      before: beforeSide,
      after: afterSide,
      standingBefore,
      standingAfter,
      membersBefore: (g) => membersBefore[g] ?? [],
      membersAfter: (g) =>
        (membersAfter[g] ??= [...(membersBefore[g] ?? []).filter((u) => !groupsRemoved[u]?.has(g)), ...(membersAdded[g] ?? [])]),
      groupsBefore: (u) => groupsBefore[u] ?? [],
      groupsAfter,
      ...(options.bitSetFrom !== undefined ? { bitSetFrom: options.bitSetFrom } : {}),
    });
  }

  function walkTouchedPairs(): RawBucket[] {
    const scratch = new Int32Array(n);
    const seen = new Int32Array(n);
    let generation = 0;
    const rowOf = (base: number[] | undefined, gone: Set<number> | undefined, plus: number[] | undefined, value: (ps: number) => number): Row => {
      if (!base && !plus) return NO_ROW;
      generation++;
      const list: number[] = [];
      const take = (held: number[], check: boolean) => {
        for (let i = 0; i < held.length; i += 2) {
          const account = held[i]!;
          if (check && gone?.has(account * SCALE + held[i + 1]!)) continue;
          const v = value(held[i + 1]!);
          if (seen[account] !== generation) {
            seen[account] = generation;
            scratch[account] = v;
            list.push(account);
          } else if (v > scratch[account]!) scratch[account] = v;
        }
      };
      if (base) take(base, gone !== undefined);
      if (plus) take(plus, false);
      if (list.length === 0) return NO_ROW;
      return { accounts: Int32Array.from(list), values: Int32Array.from(list, (a) => scratch[a]!) };
    };
    const rows = (held: Held, added: Held, removed: Set<number>[]) => {
      const rowsBefore: (Row | undefined)[] = [];
      const rowsAfter: (Row | undefined)[] = [];
      return {
        before: (id: number): Row => (rowsBefore[id] ??= rowOf(held[id], undefined, undefined, standingBefore)),
        after: (id: number): Row => (rowsAfter[id] ??= rowOf(held[id], removed[id], added[id], standingAfter)),
      };
    };
    const userRows = rows(userHeld, userAdded, userRemoved);
    const groupRows = rows(groupHeld, groupAdded, groupRemoved);

    // What the delta touches: accounts per user (their own assignments), accounts per group
    // (its assignments, or the content of the sets it holds). A changed membership touches the
    // user wherever the group reaches, on either side.
    const userTouches: Set<number>[] = [];
    const groupTouchSets: Set<number>[] = [];
    const touchHeld = (lists: Held, touches: Set<number>[], filter?: (ps: number) => boolean) =>
      lists.forEach((held, id) => {
        for (let i = 0; i < held.length; i += 2) if (!filter || filter(held[i + 1]!)) (touches[id] ??= new Set()).add(held[i]!);
      });
    touchHeld(userAdded, userTouches);
    touchHeld(groupAdded, groupTouchSets);
    for (const [removed, touches] of [[userRemoved, userTouches], [groupRemoved, groupTouchSets]] as const) {
      removed.forEach((codes, id) => {
        for (const code of codes) (touches[id] ??= new Set()).add(Math.floor(code / SCALE));
      });
    }
    if (contentChanged.size > 0) {
      const changed = new Uint8Array(psNames.length);
      for (const name of contentChanged) changed[sets.id(name)] = 1;
      touchHeld(userHeld, userTouches, (ps) => changed[ps] === 1);
      touchHeld(groupHeld, groupTouchSets, (ps) => changed[ps] === 1);
    }
    const groupTouches: (Int32Array | undefined)[] = groupTouchSets.map((set) => Int32Array.from(set));
    const membershipChanged = new Uint8Array(users.size);
    groupsAdded.forEach((_, u) => (membershipChanged[u] = 1));
    groupsRemoved.forEach((_, u) => (membershipChanged[u] = 1));
    const evaluated = new Uint8Array(users.size);
    userTouches.forEach((_, u) => (evaluated[u] = 1));
    membershipChanged.forEach((on, u) => {
      if (on) evaluated[u] = 1;
    });
    groupTouchSets.forEach((_, g) => {
      for (const u of membersBefore[g] ?? []) evaluated[u] = 1;
      for (const u of membersAdded[g] ?? []) evaluated[u] = 1;
    });

    // Users in the same groups on both sides, with no assignment of their own, stand alike in
    // every account: each such cohort is evaluated once (at M, 10,000 users form about 5,000).
    // Memberships come in a stable order (by group), so equal sets mostly list alike; a set listed
    // in another order only forms a cohort of its own.
    interface Cohort {
      readonly user: number;
      readonly groupsBefore: readonly number[];
      readonly groupsAfter: readonly number[];
      readonly members: number[];
    }
    const cohorts = new Map<string, Cohort>();
    for (let u = 0; u < users.size; u++) {
      if (!evaluated[u]) continue;
      const gb = groupsBefore[u] ?? [];
      const ga = groupsAfter(u);
      const own = userHeld[u] !== undefined || userAdded[u] !== undefined || userTouches[u] !== undefined;
      const key = own ? `u${u}` : `${gb.join(',')}|${ga.join(',')}`;
      const cohort = cohorts.get(key);
      if (cohort) cohort.members.push(u);
      else cohorts.set(key, { user: u, groupsBefore: gb, groupsAfter: ga, members: [u] });
    }

    const stamp = new Int32Array(n);
    const valueBefore = new Int32Array(n);
    const valueAfter = new Int32Array(n);
    const touched = new Int32Array(n);
    let touchedCount = 0;
    let current = 0;
    const mark = (account: number) => {
      if (stamp[account] !== current) {
        stamp[account] = current;
        touched[touchedCount++] = account;
        valueBefore[account] = -1;
        valueAfter[account] = -1;
      }
    };

    interface Bucket {
      readonly direction: 'gain' | 'loss';
      readonly from: number;
      readonly to: number;
      readonly ps: number;
      readonly users: Uint8Array;
      hit: number;
    }
    const levels = PRIVILEGE_LEVELS.length;
    const bucketOf = new Int32Array(2 * levels * levels * psNames.length).fill(-1);
    const buckets: Bucket[] = [];
    const hits: Bucket[] = [];
    // Bucket b holds account a when bucketAccounts[b * n + a] is 1 (grown as buckets appear).
    let bucketAccounts = new Uint8Array(8 * n);

    for (const cohort of cohorts.values()) {
      current++;
      touchedCount = 0;
      const { user, groupsBefore: gb, groupsAfter: ga } = cohort;
      // A changed membership may change the user's standing wherever any of their groups reaches
      // (the group's accounts on either side): every account is evaluated. Otherwise only the
      // accounts where their own or their groups' assignments, or those sets' content, changed.
      const all = membershipChanged[user] === 1;
      if (!all) {
        for (const a of userTouches[user] ?? []) mark(a);
        for (const list of [gb, ga]) {
          for (const g of list) {
            const list = groupTouches[g];
            if (list) for (let i = 0; i < list.length; i++) mark(list[i]!);
          }
        }
        if (touchedCount === 0) continue;
      }
      for (let side = 0; side < 2; side++) {
        const values = side === 0 ? valueBefore : valueAfter;
        const list = side === 0 ? gb : ga;
        for (let r = -1; r < list.length; r++) {
          const row = r < 0 ? (side === 0 ? userRows.before(user) : userRows.after(user)) : side === 0 ? groupRows.before(list[r]!) : groupRows.after(list[r]!);
          touchedCount = mergeRow(row, values, all, stamp, current, touched, touchedCount, valueBefore, valueAfter);
        }
      }

      hits.length = 0;
      let lastKey = -1;
      let lastBase = 0;
      for (let i = 0; i < touchedCount; i++) {
        const account = touched[i]!;
        const vb = valueBefore[account]!;
        const va = valueAfter[account]!;
        // No access and level none are the same standing.
        const f = vb < 0 ? 0 : (vb / SCALE) | 0;
        const t = va < 0 ? 0 : (va / SCALE) | 0;
        if (f === t) continue;
        const loss = t < f ? 1 : 0;
        const ps = byName[MASK - ((loss ? vb : va) & MASK)]!;
        const key = ((loss * levels + f) * levels + t) * psNames.length + ps;
        if (key !== lastKey) {
          let b = bucketOf[key]!;
          if (b < 0) {
            b = buckets.length;
            bucketOf[key] = b;
            buckets.push({ direction: loss ? 'loss' : 'gain', from: f, to: t, ps, users: new Uint8Array(users.size), hit: 0 });
            if (buckets.length * n > bucketAccounts.length) {
              const grown = new Uint8Array(bucketAccounts.length * 2);
              grown.set(bucketAccounts);
              bucketAccounts = grown;
            }
          }
          const bucket = buckets[b]!;
          if (bucket.hit !== current) {
            bucket.hit = current;
            hits.push(bucket);
          }
          lastKey = key;
          lastBase = b * n;
        }
        bucketAccounts[lastBase + account] = 1;
      }
      for (const bucket of hits) for (const member of cohort.members) bucket.users[member] = 1;
    }
    return buckets.map((b, i) => ({ loss: b.direction === 'loss', from: b.from, to: b.to, ps: b.ps, users: b.users, accounts: bucketAccounts.subarray(i * n, (i + 1) * n) }));
  }

  const byId = new Map(organization.accounts.map((acc) => [acc.id, acc]));
  const production = new Int8Array(n).fill(-1);
  const isProduction = (a: number): boolean => {
    if (production[a]! < 0) production[a] = productionReason(byId.get(accounts.names[a]!)) !== undefined ? 1 : 0;
    return production[a] === 1;
  };
  // Names in code-unit order, as compareStrings orders them (the native sort compares alike).
  const sortedNames = [...users.names].sort();
  const rank = new Int32Array(users.size);
  sortedNames.forEach((name, r) => (rank[users.id(name)] = r));
  return raw
    .map((bucket): PrivilegeChange => {
      const direction = bucket.loss ? 'loss' : 'gain';
      const through = psNames[bucket.ps]!;
      const level = bucket.loss ? bucket.from : bucket.to;
      const spec = (bucket.loss ? beforeSpecs : afterSpecs).get(through);
      const held: number[] = [];
      for (let i = 0; i < n; i++) if (bucket.accounts[i] === 1) held.push(i);
      held.sort((x, y) => compareStrings(accounts.names[x]!, accounts.names[y]!));
      // The bucket's users by rank in name order: a sort of its own users, not a scan of everyone's.
      const ranks: number[] = [];
      for (let u = bucket.users.indexOf(1); u >= 0; u = bucket.users.indexOf(1, u + 1)) ranks.push(rank[u]!);
      const names = Int32Array.from(ranks).sort().reduce<string[]>((out, r) => (out.push(sortedNames[r]!), out), []);
      return {
        direction,
        from: PRIVILEGE_LEVELS[bucket.from]!,
        to: PRIVILEGE_LEVELS[bucket.to]!,
        through,
        why: whyChanged(model, beforeSpecs.get(through), afterSpecs.get(through), direction),
        possibly: spec !== undefined && levelRank(model.of(spec).classification.certainLevel) < level,
        users: names,
        accounts: held.map((a) => accounts.names[a]!),
        productionAccounts: held.filter(isProduction).map((a) => accounts.names[a]!),
      };
    })
    .sort(
      (x, y) =>
        Number(x.direction === 'loss') - Number(y.direction === 'loss') ||
        Math.max(levelRank(y.to), levelRank(y.from)) - Math.max(levelRank(x.to), levelRank(x.from)) ||
        y.productionAccounts.length - x.productionAccounts.length ||
        y.users.length - x.users.length ||
        compareStrings(x.through, y.through) ||
        levelRank(x.from) - levelRank(y.from) ||
        levelRank(x.to) - levelRank(y.to),
    );
}

/**
 * The best of a row and `values` at each account: with `all`, at every account of the row (a
 * cohort whose memberships changed: each of its accounts may change), else only at the accounts
 * marked in `stamp`. A top-level function with its arrays as arguments, so the loop stays tight.
 * Returns the new count of `touched`.
 */
function mergeRow(
  row: Row,
  values: Int32Array,
  all: boolean,
  stamp: Int32Array,
  current: number,
  touched: Int32Array,
  touchedCount: number,
  valueBefore: Int32Array,
  valueAfter: Int32Array,
): number {
  const accounts = row.accounts;
  const vs = row.values;
  for (let i = 0; i < accounts.length; i++) {
    const account = accounts[i]!;
    if (stamp[account] !== current) {
      if (!all) continue;
      stamp[account] = current;
      touched[touchedCount++] = account;
      valueBefore[account] = -1;
      valueAfter[account] = -1;
    }
    const v = vs[i]!;
    if (v > values[account]!) values[account] = v;
  }
  return touchedCount;
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

/** What the live store holds once the changes are applied, as a whole side. */
export function accessSideAfter(before: AccessSide, changes: readonly Change[]): AccessSide {
  const delta = deltaOfChanges(changes);
  const removedTuples = new Set(delta.removedAssignments.map(tupleKey));
  const removedMembers = new Set(delta.removedMemberships.map(memberKey));
  const specs = new Map(before.permissionSets.map((p) => [p.name, p]));
  for (const [name, spec] of delta.permissionSets) {
    if (spec) specs.set(name, spec);
    else specs.delete(name);
  }
  return {
    assignments: [...before.assignments.filter((t) => !removedTuples.has(tupleKey(t))), ...delta.addedAssignments],
    memberships: [
      ...before.memberships.filter((m) => !removedMembers.has(memberKey(m))),
      ...delta.addedMemberships.map((m) => ({ groupName: m.groupName, userName: m.userName })),
    ],
    permissionSets: [...specs.values()],
  };
}
