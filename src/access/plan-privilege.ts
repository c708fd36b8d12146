import type { Change } from '../diff/change.js';
import type { LiveState } from '../model/live.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import type { AccountNames } from './render-privilege-diff.js';
import { deltaOfChanges, liveAccessSide, type PrivilegeChange, privilegeChanges } from './privilege-diff.js';

// The privilege diff of a plan: the live store now against the live store once the plan's
// changes are applied, so unmanaged access that the plan leaves alone is not a "loss". Only
// the pairs the changes touch are evaluated (privilege-diff.ts), so a plan of a few changes
// costs a few lookups however large the organisation.

export interface PlanPrivilege {
  readonly changes: readonly PrivilegeChange[];
  /** Names of the accounts the changes name (id → name), for renderers. */
  readonly accountNames: Readonly<Record<string, string>>;
}

export function planPrivilege(model: PrivilegeModel, live: LiveState, changes: readonly Change[]): PlanPrivilege {
  const found = privilegeChanges(model, liveAccessSide(live), deltaOfChanges(changes), live.organization);
  const named = new Set(found.flatMap((c) => c.accounts));
  const accountNames: Record<string, string> = {};
  for (const a of [...live.organization.accounts].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))) {
    if (named.has(a.id)) accountNames[a.id] = a.name;
  }
  return { changes: found, accountNames };
}

/** The section's accounts as the privilege renderers read them. */
export const privilegeAccounts = (p: PlanPrivilege): AccountNames => new Map(Object.entries(p.accountNames).map(([id, name]) => [id, { name }]));
