import type { Membership } from '../model/entities.js';
import type { SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';

// Access that ends soon: a user's (account, permission set) ends when every path that grants
// it expires — a second, open-ended path through another group means nothing ends. Expansion
// already merges the rules of one tuple the same way (a tuple expires only if all its rules do).

export interface ExpiringGrant {
  readonly userName: string;
  readonly accountId: string;
  readonly permissionSetName: string;
  /** When the last path ends. */
  readonly expires: string;
  /** The expiring paths: the group (or none, direct) and the rule. */
  readonly paths: readonly { readonly groupName?: string; readonly source: SourceRange; readonly reason?: string }[];
}

export function expiringGrants(
  tuples: readonly ExpandedAssignment[],
  memberships: readonly Membership[],
  now: Date,
  withinMs: number,
): ExpiringGrant[] {
  const until = now.getTime() + withinMs;
  const soon = tuples.filter((t) => t.expires !== undefined && Date.parse(t.expires) <= until && Date.parse(t.expires) > now.getTime());
  if (soon.length === 0) return [];
  const membersOf = new Map<string, string[]>();
  const groupsOf = new Map<string, string[]>();
  for (const m of memberships) {
    (membersOf.get(m.groupName) ?? membersOf.set(m.groupName, []).get(m.groupName)!).push(m.userName);
    (groupsOf.get(m.userName) ?? groupsOf.set(m.userName, []).get(m.userName)!).push(m.groupName);
  }
  // Every tuple granting an (account, permission set), to find a user's other paths to it.
  const byTarget = new Map<string, ExpandedAssignment[]>();
  for (const t of tuples) {
    const key = `${t.accountId}|${t.permissionSetName}`;
    (byTarget.get(key) ?? byTarget.set(key, []).get(key)!).push(t);
  }
  const reaches = (t: ExpandedAssignment, user: string): boolean =>
    t.principalType === 'USER' ? t.principalName === user : (groupsOf.get(user) ?? []).includes(t.principalName);

  const out = new Map<string, ExpiringGrant>();
  for (const t of soon) {
    const users = t.principalType === 'USER' ? [t.principalName] : (membersOf.get(t.principalName) ?? []);
    for (const userName of users) {
      const key = `${userName}|${t.accountId}|${t.permissionSetName}`;
      if (out.has(key)) continue;
      const paths = (byTarget.get(`${t.accountId}|${t.permissionSetName}`) ?? []).filter((other) => reaches(other, userName));
      if (paths.some((p) => p.expires === undefined || Date.parse(p.expires) > until)) continue;
      const expires = paths.map((p) => p.expires!).reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
      out.set(key, {
        userName,
        accountId: t.accountId,
        permissionSetName: t.permissionSetName,
        expires,
        paths: paths.map((p) => ({
          ...(p.principalType === 'GROUP' ? { groupName: p.principalName } : {}),
          source: p.source,
          ...(p.reason !== undefined ? { reason: p.reason } : {}),
        })),
      });
    }
  }
  return [...out.values()].sort(
    (a, b) => compareStrings(a.expires, b.expires) || compareStrings(a.userName, b.userName) ||
      compareStrings(a.accountId, b.accountId) || compareStrings(a.permissionSetName, b.permissionSetName),
  );
}
