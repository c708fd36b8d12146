import type { Membership } from '../model/entities.js';
import type { LiveMembership } from '../model/live.js';
import { groupKey, membershipKey, userKey } from '../model/keys.js';
import { groupFieldChanges, groupSpecOf, userFieldChanges, userSpecOf } from './compare-fields.js';
import { type DiffContext, sourceOf, warnIgnoredButDeclared } from './diff-context.js';

// Users, groups and memberships. With an external identity source (SCIM from an IdP) the
// IdP owns them: Gatehouse never writes them and does not report them as unmanaged.

export function diffUsers(ctx: DiffContext): void {
  if (ctx.external) return;
  const live = new Map(ctx.live.users.map((u) => [u.userName, u]));
  const declared = new Set<string>();
  for (const user of ctx.desired.users) {
    declared.add(user.userName);
    if (ctx.ignored.user(user.userName)) {
      warnIgnoredButDeclared(ctx, `User "${user.userName}"`, sourceOf(ctx, userKey(user.userName)));
      continue;
    }
    const current = live.get(user.userName);
    if (!current) {
      ctx.changes.push({ kind: 'user.create', after: userSpecOf(user) });
      continue;
    }
    const fields = userFieldChanges(current, user);
    if (fields.length > 0) {
      ctx.changes.push({ kind: 'user.update', before: userSpecOf(current), after: userSpecOf(user), fields });
    }
  }
  for (const user of ctx.live.users) {
    if (declared.has(user.userName) || ctx.ignored.user(user.userName)) continue;
    if (ctx.ownership.users === 'prune') {
      ctx.deletedUsers.add(user.userName);
      ctx.changes.push({ kind: 'user.delete', before: userSpecOf(user) });
    } else {
      ctx.unmanaged.push({ kind: 'user', key: userKey(user.userName) });
    }
  }
}

export function diffGroups(ctx: DiffContext): void {
  if (ctx.external) return;
  const live = new Map(ctx.live.groups.map((g) => [g.displayName, g]));
  const declared = new Set<string>();
  for (const group of ctx.desired.groups) {
    declared.add(group.displayName);
    if (ctx.ignored.group(group.displayName)) {
      warnIgnoredButDeclared(ctx, `Group "${group.displayName}"`, sourceOf(ctx, groupKey(group.displayName)));
      continue;
    }
    const current = live.get(group.displayName);
    if (!current) {
      ctx.changes.push({ kind: 'group.create', after: groupSpecOf(group) });
      continue;
    }
    const fields = groupFieldChanges(current, group);
    if (fields.length > 0) {
      ctx.changes.push({ kind: 'group.update', before: groupSpecOf(current), after: groupSpecOf(group), fields });
    }
  }
  for (const group of ctx.live.groups) {
    if (declared.has(group.displayName) || ctx.ignored.group(group.displayName)) continue;
    if (ctx.ownership.groups === 'prune') {
      ctx.deletedGroups.add(group.displayName);
      ctx.changes.push({ kind: 'group.delete', before: groupSpecOf(group) });
    } else {
      ctx.unmanaged.push({ kind: 'group', key: groupKey(group.displayName) });
    }
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
