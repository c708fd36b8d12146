import type { Membership } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import { type AccessDiff, type AccessGrant, type AccessInput, effectiveAccessByUser } from './effective-access.js';
import type { AccessDelta } from './privilege-diff.js';

// Who gains and who loses access between two sides, for the users a delta can touch only.
// Effective access of a whole organisation runs to millions of grants (bench M: 8.8 million,
// which built twice for `access --base` ran out of a 4 GB heap after two minutes), while a pull
// request changes a few assignments and memberships: a user's grants (user, account, permission
// set) follow from their own assignments, their groups and their groups' assignments, so a user
// none of those changed for holds the same grants on both sides. The touched users are then
// walked user by user on both sides at once, so not even their grants are held all together.

/** Users whose grants the delta can alter: named by a changed assignment or membership, or members (either side) of a group whose assignments changed. */
export function touchedUsers(delta: AccessDelta, before: readonly Membership[], after: readonly Membership[]): Set<string> {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const t of [...delta.addedAssignments, ...delta.removedAssignments]) {
    if (t.principalType === 'USER') users.add(t.principalName);
    else groups.add(t.principalName);
  }
  for (const m of [...delta.addedMemberships, ...delta.removedMemberships]) users.add(m.userName);
  if (groups.size > 0) {
    for (const list of [before, after]) for (const m of list) if (groups.has(m.groupName)) users.add(m.userName);
  }
  return users;
}

/**
 * The (account, permission set) keys whose grants the delta can alter: those of a changed
 * assignment, and those of every assignment (either side) of a group whose members changed.
 * Nothing else can change a grant, so a pull request that takes ViewOnlyAccess from `everyone`
 * compares those grants only, not every user's grants of every permission set.
 */
export function touchedKeys(delta: AccessDelta, before: AccessInput, after: AccessInput): Set<string> {
  const keys = new Set<string>();
  for (const t of [...delta.addedAssignments, ...delta.removedAssignments]) keys.add(keyOf(t));
  const groups = new Set([...delta.addedMemberships, ...delta.removedMemberships].map((m) => m.groupName));
  if (groups.size > 0) {
    for (const side of [before, after]) for (const t of side.assignments) if (t.principalType === 'GROUP' && groups.has(t.principalName)) keys.add(keyOf(t));
  }
  return keys;
}

/** The side as these users see it, for these keys: their memberships, their own assignments and their groups'. */
export function restrictToUsers<T extends AccessInput>(side: T, users: ReadonlySet<string>, keys?: ReadonlySet<string>): T {
  const memberships = side.memberships.filter((m) => users.has(m.userName));
  const groups = new Set(memberships.map((m) => m.groupName));
  const assignments = side.assignments.filter(
    (t) => (t.principalType === 'USER' ? users.has(t.principalName) : groups.has(t.principalName)) && (keys === undefined || keys.has(keyOf(t))),
  );
  return { ...side, assignments, memberships };
}

const keyOf = (t: { accountId: string; permissionSetName: string }): string => `${t.accountId}|${t.permissionSetName}`;

/**
 * Grants only `after` holds (gained) and only `before` holds (lost), in effective access order
 * (user, then account and permission set), for the users `delta` touches. `keep` filters grants
 * (one user, account or permission set) before they are compared.
 */
export function diffAccessFor(before: AccessInput, after: AccessInput, delta: AccessDelta, keep: (g: AccessGrant) => boolean = () => true): AccessDiff {
  const users = touchedUsers(delta, before.memberships, after.memberships);
  const gained: AccessGrant[] = [];
  const lost: AccessGrant[] = [];
  if (users.size === 0) return { gained, lost };
  const keys = touchedKeys(delta, before, after);
  const left = effectiveAccessByUser(restrictToUsers(before, users, keys))[Symbol.iterator]();
  const right = effectiveAccessByUser(restrictToUsers(after, users, keys))[Symbol.iterator]();
  let b = left.next();
  let a = right.next();
  // Both walks yield users in name order, each user's grants in key order: a merge join.
  while (!b.done || !a.done) {
    const order = b.done ? 1 : a.done ? -1 : compareStrings(b.value[0]!.userName, a.value[0]!.userName);
    const had = order <= 0 && !b.done ? b.value.filter(keep) : [];
    const has = order >= 0 && !a.done ? a.value.filter(keep) : [];
    const hadKeys = new Set(had.map(keyOf));
    const hasKeys = new Set(has.map(keyOf));
    for (const g of has) if (!hadKeys.has(keyOf(g))) gained.push(g);
    for (const g of had) if (!hasKeys.has(keyOf(g))) lost.push(g);
    if (order <= 0) b = left.next();
    if (order >= 0) a = right.next();
  }
  return { gained, lost };
}
