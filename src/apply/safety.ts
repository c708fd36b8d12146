import type { Settings } from '../model/desired.js';
import type { LiveState } from '../model/live.js';
import { planChanges, type Plan } from '../plan/plan.js';

export type SafetyLimits = Settings['safety'];

export interface DeletionCheck {
  /** Objects removed, plus access removed by updates (policies stripped from a permission set). */
  readonly deletions: number;
  readonly managedObjects: number;
  /** The limits that were applied: the stricter of the config's and the last applied run's. */
  readonly limits: SafetyLimits;
  /** Undefined when the plan is within the limits. */
  readonly refusal?: string;
}

// Deletions that count against the safety limits: objects removed from the live system.
// Re-provisioning and membership changes of surviving objects are not destructive in this sense.
const DESTRUCTIVE = new Set(['user.delete', 'group.delete', 'permissionSet.delete', 'assignment.delete', 'membership.remove']);

/**
 * The limits in force: those of the config being applied, tightened by those of the last
 * successful apply (recorded in the shared state). The change that empties the config could
 * otherwise raise the limits in the same pull request; loosening them takes the flag once.
 */
export function effectiveLimits(config: SafetyLimits, lastApplied: SafetyLimits | undefined): SafetyLimits {
  if (!lastApplied) return config;
  return {
    maxDeletes: Math.min(config.maxDeletes, lastApplied.maxDeletes),
    maxDeleteFraction: Math.min(config.maxDeleteFraction, lastApplied.maxDeleteFraction),
  };
}

/** Says how the config loosens the limits of the last applied run, or undefined. */
export function raisedLimits(config: SafetyLimits, lastApplied: SafetyLimits | undefined): string | undefined {
  if (!lastApplied) return undefined;
  const raised: string[] = [];
  if (config.maxDeletes > lastApplied.maxDeletes) raised.push(`safety.maxDeletes from ${lastApplied.maxDeletes} to ${config.maxDeletes}`);
  if (config.maxDeleteFraction > lastApplied.maxDeleteFraction) {
    raised.push(`safety.maxDeleteFraction from ${lastApplied.maxDeleteFraction} to ${config.maxDeleteFraction}`);
  }
  return raised.length ? `the config raises ${raised.join(' and ')} (the last applied run's limits)` : undefined;
}

/**
 * The mass-delete guard: a plan that deletes more than `maxDeletes` objects, or more than
 * `maxDeleteFraction` of the live objects, or empties a kind of live object (every assignment,
 * every user…), must be confirmed with --allow-mass-delete. A config accidentally emptied by a
 * bad merge is the classic way to lose every grant in an organisation, and keeping one object
 * must not make it pass.
 */
export function checkDeletionSafety(plan: Plan, live: LiveState, config: SafetyLimits, lastApplied?: SafetyLimits): DeletionCheck {
  const limits = effectiveLimits(config, lastApplied);
  const changes = planChanges(plan);
  const removed = { user: 0, group: 0, permissionSet: 0, assignment: 0, membership: 0 };
  let stripped = 0;
  for (const c of changes) {
    if (c.kind === 'user.delete') removed.user++;
    else if (c.kind === 'group.delete') removed.group++;
    else if (c.kind === 'permissionSet.delete') removed.permissionSet++;
    else if (c.kind === 'assignment.delete') removed.assignment++;
    else if (c.kind === 'membership.remove') removed.membership++;
    else if (c.kind === 'permissionSet.update') stripped += strippedPolicies(c.before, c.after);
  }
  const deletions = changes.filter((c) => DESTRUCTIVE.has(c.kind)).length + stripped;
  const managedObjects =
    live.users.length + live.groups.length + live.permissionSets.length + live.assignments.length + live.memberships.length;
  const base = { deletions, managedObjects, limits };
  if (deletions === 0) return base;
  if (deletions >= managedObjects && managedObjects > 0) {
    return { ...base, refusal: `the plan deletes all ${managedObjects} live objects (an emptied config?)` };
  }
  const emptied = (
    [
      ['assignment', 'account assignments', live.assignments.length],
      ['user', 'users', live.users.length],
      ['group', 'groups', live.groups.length],
      ['permissionSet', 'permission sets', live.permissionSets.length],
    ] as const
  ).find(([kind, , count]) => count > 1 && removed[kind] >= count);
  if (emptied) {
    return { ...base, refusal: `the plan deletes all ${emptied[2]} live ${emptied[1]} (an emptied config?)` };
  }
  if (deletions > limits.maxDeletes) {
    return { ...base, refusal: `the plan deletes ${deletions} objects${stripped ? ` (${stripped} of them policies stripped from permission sets)` : ''}, more than safety.maxDeletes (${limits.maxDeletes}${limitSource(config.maxDeletes, limits.maxDeletes)})` };
  }
  const fraction = managedObjects === 0 ? 0 : deletions / managedObjects;
  if (fraction > limits.maxDeleteFraction) {
    const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
    return {
      ...base,
      refusal: `the plan deletes ${pct(fraction)} of the live objects (${deletions} of ${managedObjects}), more than safety.maxDeleteFraction (${pct(limits.maxDeleteFraction)}${limitSource(config.maxDeleteFraction, limits.maxDeleteFraction)})`,
    };
  }
  return base;
}

const limitSource = (configured: number, used: number): string =>
  configured > used ? `, from the last applied run; this config raises it to ${configured}` : '';

/** Managed, customer managed, inline policies and a boundary that an update removes. */
function strippedPolicies(
  before: { managedPolicies: readonly string[]; customerManagedPolicies: readonly { name: string; path: string }[]; inlinePolicy?: string; permissionsBoundary?: unknown },
  after: typeof before,
): number {
  const kept = new Set(after.managedPolicies);
  const keptRefs = new Set(after.customerManagedPolicies.map((r) => `${r.path}${r.name}`));
  let n = before.managedPolicies.filter((p) => !kept.has(p)).length;
  n += before.customerManagedPolicies.filter((r) => !keptRefs.has(`${r.path}${r.name}`)).length;
  if (before.inlinePolicy !== undefined && after.inlinePolicy === undefined) n++;
  return n;
}
