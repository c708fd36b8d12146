import { diffAccessFor } from '../access/access-diff.js';
import type { AccessGrant } from '../access/effective-access.js';
import { accessSideAfter, deltaOfChanges, liveAccessSide, type AccessSide } from '../access/privilege-diff.js';
import type { Change } from '../diff/change.js';
import { productionReason } from '../drift/risk-signals.js';
import type { Account } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { levelRank, type PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';

// Who gains and who loses access when a plan is applied: the live store now against the live
// store with the plan's changes, for the users the changes can touch only (access-diff.ts).
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
  const diff = diffAccessFor(before, after, deltaOfChanges(changes));
  if (diff.gained.length === 0 && diff.lost.length === 0) return { rows: [], gained: 0, lost: 0 };
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
