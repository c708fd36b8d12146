import { diffAccess, effectiveAccess, type AccessGrant } from '../access/effective-access.js';
import { accessSideAfter, liveAccessSide, type AccessSide } from '../access/privilege-diff.js';
import type { Change } from '../diff/change.js';
import { productionReason } from '../drift/risk-signals.js';
import type { Account } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { levelRank, type PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';

// Who gains and who loses access when a plan is applied: the live store now against the live
// store with the plan's changes, for the users the changes can touch only. Effective access of a
// whole organisation runs to millions of grants (bench M ran out of a 4 GB heap), while a pull
// request changes a few assignments and memberships; every other user's grants are unchanged.
// Rows come privileged first, then production, as a reviewer should read them.

export interface AccessChangeRow {
  readonly direction: 'gain' | 'loss';
  readonly grant: AccessGrant;
  /** The permission set's level on the side that has the grant. */
  readonly level: PrivilegeLevel;
  /** Why the account counts as production, when it does. */
  readonly production?: string;
}

export interface PlanAccessDiff {
  readonly rows: readonly AccessChangeRow[];
  readonly gained: number;
  readonly lost: number;
}

export function planAccessDiff(model: PrivilegeModel, live: LiveState, changes: readonly Change[]): PlanAccessDiff {
  const before = liveAccessSide(live);
  const after = accessSideAfter(before, changes);
  const users = touchedUsers(changes, before, after);
  if (users.size === 0) return { rows: [], gained: 0, lost: 0 };
  const diff = diffAccess(effectiveAccess(restrict(before, users)), effectiveAccess(restrict(after, users)));
  const accounts = new Map<string, Account>(live.organization.accounts.map((a) => [a.id, a]));
  const levels = (side: AccessSide) => {
    const specs = new Map(side.permissionSets.map((p) => [p.name, p]));
    const cache = new Map<string, PrivilegeLevel>();
    return (name: string): PrivilegeLevel => {
      let level = cache.get(name);
      if (level === undefined) {
        const spec = specs.get(name);
        // A permission set this side does not define grants what we cannot see: rank it as admin.
        level = spec ? model.of(spec).classification.level : 'admin';
        cache.set(name, level);
      }
      return level;
    };
  };
  const levelBefore = levels(before);
  const levelAfter = levels(after);
  const row = (direction: AccessChangeRow['direction'], grant: AccessGrant): AccessChangeRow => {
    const production = productionReason(accounts.get(grant.accountId));
    return { direction, grant, level: (direction === 'gain' ? levelAfter : levelBefore)(grant.permissionSetName), ...(production ? { production } : {}) };
  };
  const rows = [...diff.gained.map((g) => row('gain', g)), ...diff.lost.map((g) => row('loss', g))].sort(
    (a, b) =>
      levelRank(b.level) - levelRank(a.level) ||
      Number(b.production !== undefined) - Number(a.production !== undefined) ||
      (a.direction === b.direction ? 0 : a.direction === 'gain' ? -1 : 1) ||
      compareStrings(a.grant.userName, b.grant.userName) ||
      compareStrings(a.grant.accountId, b.grant.accountId) ||
      compareStrings(a.grant.permissionSetName, b.grant.permissionSetName),
  );
  return { rows, gained: diff.gained.length, lost: diff.lost.length };
}

/** Users whose grants the changes can alter: named directly, or members of a changed group's assignments. */
function touchedUsers(changes: readonly Change[], before: AccessSide, after: AccessSide): Set<string> {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'membership.add' || c.kind === 'membership.remove') users.add(c.userName);
    else if (c.kind === 'assignment.create' || c.kind === 'assignment.delete') {
      if (c.assignment.principalType === 'USER') users.add(c.assignment.principalName);
      else groups.add(c.assignment.principalName);
    }
  }
  if (groups.size > 0) {
    for (const m of [...before.memberships, ...after.memberships]) if (groups.has(m.groupName)) users.add(m.userName);
  }
  return users;
}

/** The side as seen by these users only: their memberships, their assignments and their groups'. */
function restrict(side: AccessSide, users: ReadonlySet<string>): AccessSide {
  const memberships = side.memberships.filter((m) => users.has(m.userName));
  const groups = new Set(memberships.map((m) => m.groupName));
  const assignments = side.assignments.filter((t) => (t.principalType === 'USER' ? users.has(t.principalName) : groups.has(t.principalName)));
  return { assignments, memberships, permissionSets: side.permissionSets };
}
