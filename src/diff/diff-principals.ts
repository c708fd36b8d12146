import type { GroupSpec, Membership, UserSpec } from '../model/entities.js';
import type { LiveGroup, LiveMembership, LiveUser } from '../model/live.js';
import { foldPrincipalName as fold, groupKey, membershipKey, userKey } from '../model/keys.js';
import type { NameMatcher } from './ignore-matcher.js';
import { groupFieldChanges, groupSpecOf, userFieldChanges, userSpecOf } from './compare-fields.js';
import { type DiffContext, sourceOf, warnIgnoredButDeclared } from './diff-context.js';

// Users, groups and memberships. With an external identity source (SCIM from an IdP) the
// IdP owns them: Gatehouse never writes them and does not report them as unmanaged.
//
// A declared principal is the live one whose name folds alike (Identity Store names are unique
// case-insensitively), else the live one its `renamedFrom` names. Either way it is changed in
// place (UpdateUser / UpdateGroup keep the id), with `userName` / `displayName` among the
// changed fields, and the live principal's name is recorded in ctx.principalRenames so that
// memberships and assignments are compared under the new name and never recreated.

interface Matched<D, L> {
  readonly declared: D;
  readonly live: L;
}

/**
 * Pairs declared principals with live ones: by folded name first (so a rename never takes a
 * principal the config still declares under its own name), then by `renamedFrom`.
 */
function matchPrincipals<D, L>(
  declared: readonly D[],
  live: readonly L[],
  nameOf: { declared: (d: D) => string; live: (l: L) => string },
  renames: Readonly<Record<string, string>>,
  ignored: NameMatcher,
): { matched: Matched<D, L>[]; unmatched: D[]; claimed: Set<L> } {
  const liveByFold = new Map<string, L>();
  for (const l of live) liveByFold.set(fold(nameOf.live(l)), l);
  const claimed = new Set<L>();
  const byDeclared = new Map<D, L>();
  for (const d of declared) {
    const l = liveByFold.get(fold(nameOf.declared(d)));
    if (l !== undefined && !claimed.has(l)) {
      claimed.add(l);
      byDeclared.set(d, l);
    }
  }
  const renamedFrom = new Map<string, string>();
  for (const [from, to] of Object.entries(renames)) renamedFrom.set(to, from);
  const matched: Matched<D, L>[] = [];
  const unmatched: D[] = [];
  for (const d of declared) {
    let l = byDeclared.get(d);
    if (l === undefined) {
      const from = renamedFrom.get(nameOf.declared(d));
      const old = from === undefined ? undefined : liveByFold.get(fold(from));
      if (old !== undefined && !claimed.has(old) && !ignored(nameOf.live(old))) {
        claimed.add(old);
        l = old;
      }
    }
    if (l === undefined) unmatched.push(d);
    else matched.push({ declared: d, live: l });
  }
  return { matched, unmatched, claimed };
}

export function diffUsers(ctx: DiffContext): void {
  if (ctx.external) {
    matchReferenced(ctx.desired.referencedUsers, ctx.live.users.map((u) => u.userName), ctx.principalRenames.users);
    return;
  }
  const declared = ctx.desired.users.filter((user) => {
    if (!ctx.ignored.user(user.userName)) return true;
    warnIgnoredButDeclared(ctx, `User "${user.userName}"`, sourceOf(ctx, userKey(user.userName)));
    return false;
  });
  const { matched, unmatched, claimed } = matchPrincipals<UserSpec, LiveUser>(
    declared,
    ctx.live.users,
    { declared: (u) => u.userName, live: (u) => u.userName },
    ctx.desired.userRenames ?? {},
    ctx.ignored.user,
  );
  for (const user of unmatched) {
    if (!user.displayName || !user.givenName || !user.familyName) {
      const source = sourceOf(ctx, userKey(user.userName));
      ctx.diagnostics.push({
        severity: 'error',
        rule: 'incomplete-user',
        message: `User "${user.userName}" does not exist yet, and Identity Center needs displayName, name.given and name.family to create a user; add them.`,
        ...(source ? { source } : {}),
      });
      continue;
    }
    ctx.changes.push({ kind: 'user.create', after: userSpecOf(user) });
  }
  for (const { declared: user, live: current } of matched) {
    const renamed = current.userName !== user.userName;
    if (renamed) ctx.principalRenames.users.set(current.userName, user.userName);
    const fields = [...(renamed ? ['userName'] : []), ...userFieldChanges(current, user)];
    if (fields.length > 0) {
      ctx.changes.push({ kind: 'user.update', before: userSpecOf(current), after: userSpecOf(user), fields });
    }
  }
  for (const user of ctx.live.users) {
    if (claimed.has(user) || ctx.ignored.user(user.userName)) continue;
    if (ctx.ownership.users === 'prune') {
      ctx.deletedUsers.add(user.userName);
      ctx.changes.push({ kind: 'user.delete', before: userSpecOf(user) });
    } else {
      ctx.unmanaged.push({ kind: 'user', key: userKey(user.userName) });
    }
  }
}

export function diffGroups(ctx: DiffContext): void {
  if (ctx.external) {
    matchReferenced(ctx.desired.referencedGroups, ctx.live.groups.map((g) => g.displayName), ctx.principalRenames.groups);
    return;
  }
  const declared = ctx.desired.groups.filter((group) => {
    if (!ctx.ignored.group(group.displayName)) return true;
    warnIgnoredButDeclared(ctx, `Group "${group.displayName}"`, sourceOf(ctx, groupKey(group.displayName)));
    return false;
  });
  const { matched, unmatched, claimed } = matchPrincipals<GroupSpec, LiveGroup>(
    declared,
    ctx.live.groups,
    { declared: (g) => g.displayName, live: (g) => g.displayName },
    ctx.desired.groupRenames ?? {},
    ctx.ignored.group,
  );
  for (const group of unmatched) ctx.changes.push({ kind: 'group.create', after: groupSpecOf(group) });
  for (const { declared: group, live: current } of matched) {
    const renamed = current.displayName !== group.displayName;
    if (renamed) ctx.principalRenames.groups.set(current.displayName, group.displayName);
    const fields = [...(renamed ? ['displayName'] : []), ...groupFieldChanges(current, group)];
    if (fields.length > 0) {
      ctx.changes.push({ kind: 'group.update', before: groupSpecOf(current), after: groupSpecOf(group), fields });
    }
  }
  for (const group of ctx.live.groups) {
    if (claimed.has(group) || ctx.ignored.group(group.displayName)) continue;
    if (ctx.ownership.groups === 'prune') {
      ctx.deletedGroups.add(group.displayName);
      ctx.changes.push({ kind: 'group.delete', before: groupSpecOf(group) });
    } else {
      ctx.unmanaged.push({ kind: 'group', key: groupKey(group.displayName) });
    }
  }
}

/**
 * External identity source: the IdP may change a name's case (SCIM sends `Alice@x` where the
 * config says `alice@x`). That is the same principal to Identity Store, so it is read under the
 * config's spelling instead of failing the plan as missing.
 */
function matchReferenced(referenced: readonly string[], liveNames: readonly string[], renames: Map<string, string>): void {
  if (referenced.length === 0) return;
  const exact = new Set(liveNames);
  const byFold = new Map<string, string>();
  for (const name of liveNames) byFold.set(fold(name), name);
  for (const name of referenced) {
    if (exact.has(name)) continue;
    const live = byFold.get(fold(name));
    if (live !== undefined && !renames.has(live)) renames.set(live, name);
  }
}

/**
 * Memberships are in scope only in groups Gatehouse manages (declared, or being deleted):
 * the members of a group left alone under `keep` are that group's business.
 * Memberships of a deleted user or group are removed explicitly first (wave 7), so the
 * plan says what access disappears instead of leaving it implicit in the delete.
 */
export function diffMemberships(ctx: DiffContext): void {
  if (ctx.external) return;
  const declaredGroups = new Set(ctx.desired.groups.map((g) => g.displayName));
  const declaredUsers = new Set(ctx.desired.users.map((u) => u.userName));
  const liveUsers = new Set(ctx.live.users.map((u) => u.userName));
  const liveGroups = new Set(ctx.live.groups.map((g) => g.displayName));
  const isIgnored = (m: { groupName?: string; userName?: string }): boolean =>
    (m.groupName !== undefined && ctx.ignored.group(m.groupName)) ||
    (m.userName !== undefined && ctx.ignored.user(m.userName));

  // Nested by group, not keyed by a concatenated string: 50,000 memberships at the L size.
  const wanted = new Map<string, Map<string, Membership>>();
  for (const m of ctx.desired.memberships) {
    if (isIgnored(m)) continue;
    let members = wanted.get(m.groupName);
    if (!members) wanted.set(m.groupName, (members = new Map()));
    members.set(m.userName, m);
  }

  const present = new Set<Membership>();
  for (const m of ctx.live.memberships) {
    if (isIgnored(m)) continue;
    if (m.groupName === undefined || m.userName === undefined) {
      removeOrphan(ctx, m);
      continue;
    }
    const declared = wanted.get(m.groupName)?.get(m.userName);
    if (declared) {
      present.add(declared);
      continue;
    }
    const remove = { kind: 'membership.remove', groupName: m.groupName, userName: m.userName } as const;
    if (ctx.deletedGroups.has(m.groupName) || ctx.deletedUsers.has(m.userName)) ctx.changes.push(remove);
    else if (!declaredGroups.has(m.groupName)) continue;
    else if (ctx.ownership.memberships === 'prune') ctx.changes.push(remove);
    else ctx.unmanaged.push({ kind: 'membership', key: membershipKey(m.groupName, m.userName) });
  }

  for (const m of [...wanted.values()].flatMap((members) => [...members.values()])) {
    if (present.has(m)) continue;
    const userKnown = declaredUsers.has(m.userName) || (liveUsers.has(m.userName) && !ctx.deletedUsers.has(m.userName));
    const groupKnown = declaredGroups.has(m.groupName) || liveGroups.has(m.groupName);
    if (!userKnown || !groupKnown) {
      const source = sourceOf(ctx, membershipKey(m.groupName, m.userName)) ?? sourceOf(ctx, groupKey(m.groupName));
      ctx.diagnostics.push({
        severity: 'error',
        rule: 'unknown-member',
        message: userKnown
          ? `Group "${m.groupName}" is neither declared nor in the identity store.`
          : `Member "${m.userName}" of group "${m.groupName}" is neither declared nor in the identity store.`,
        ...(source ? { source } : {}),
      });
      continue;
    }
    ctx.changes.push({ kind: 'membership.add', groupName: m.groupName, userName: m.userName });
  }
}

/** A membership whose group or user no longer resolves: named by id, removed by membership id. */
function removeOrphan(ctx: DiffContext, m: LiveMembership): void {
  const groupName = m.groupName ?? m.groupId;
  const userName = m.userName ?? m.userId;
  if (ctx.ownership.memberships === 'prune') {
    ctx.changes.push({ kind: 'membership.remove', groupName, userName, membershipId: m.membershipId });
  } else {
    ctx.unmanaged.push({ kind: 'membership', key: membershipKey(groupName, userName) });
  }
}
