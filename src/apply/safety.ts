import type { Settings } from '../model/desired.js';
import type { LiveState } from '../model/live.js';
import { planChanges, type Plan } from '../plan/plan.js';

export interface DeletionCheck {
  readonly deletions: number;
  readonly managedObjects: number;
  /** Undefined when the plan is within the limits. */
  readonly refusal?: string;
}

// Deletions that count against the safety limits: objects removed from the live system.
// Re-provisioning and membership changes of surviving objects are not destructive in this sense.
const DESTRUCTIVE = new Set(['user.delete', 'group.delete', 'permissionSet.delete', 'assignment.delete', 'membership.remove']);

/**
 * The mass-delete guard: a plan that deletes more than `maxDeletes` objects, or more than
 * `maxDeleteFraction` of the live objects, or empties a non-empty live system, must be
 * confirmed with --allow-mass-delete. A config accidentally emptied by a bad merge is the
 * classic way to lose every grant in an organisation.
 */
export function checkDeletionSafety(plan: Plan, live: LiveState, safety: Settings['safety']): DeletionCheck {
  const deletions = planChanges(plan).filter((c) => DESTRUCTIVE.has(c.kind)).length;
  const managedObjects =
    live.users.length + live.groups.length + live.permissionSets.length + live.assignments.length + live.memberships.length;
  const base = { deletions, managedObjects };
  if (deletions === 0) return base;
  if (deletions >= managedObjects && managedObjects > 0) {
    return { ...base, refusal: `the plan deletes all ${managedObjects} live objects (an emptied config?)` };
  }
  if (deletions > safety.maxDeletes) {
    return { ...base, refusal: `the plan deletes ${deletions} objects, more than safety.maxDeletes (${safety.maxDeletes})` };
  }
  const fraction = managedObjects === 0 ? 0 : deletions / managedObjects;
  if (fraction > safety.maxDeleteFraction) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return {
      ...base,
      refusal: `the plan deletes ${pct(fraction)} of the live objects (${deletions} of ${managedObjects}), more than safety.maxDeleteFraction (${pct(safety.maxDeleteFraction)})`,
    };
  }
  return base;
}
