import type { Change } from '../diff/change.js';
import type { Account } from '../model/entities.js';
import type { LiveState } from '../model/live.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { accessSideAfter, liveAccessSide, type PrivilegeChange, privilegeDiff } from './privilege-diff.js';

// The privilege diff of a plan: the live store now against the live store once the plan's
// changes are applied, so unmanaged access that the plan leaves alone is not a "loss".

export interface PlanPrivilege {
  readonly changes: readonly PrivilegeChange[];
  /** The accounts the changes name, for renderers. */
  readonly accounts: Readonly<Record<string, Account>>;
}

export function planPrivilege(model: PrivilegeModel, live: LiveState, changes: readonly Change[]): PlanPrivilege {
  const before = liveAccessSide(live);
  const found = privilegeDiff(model, before, accessSideAfter(before, changes), live.organization);
  const named = new Set(found.flatMap((c) => c.accounts));
  const accounts: Record<string, Account> = {};
  for (const a of live.organization.accounts) if (named.has(a.id)) accounts[a.id] = a;
  return { changes: found, accounts };
}
