import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import type { DesiredState } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import type { UnmanagedObject } from '../plan/plan.js';
import type { Change } from './change.js';
import { diffAssignments } from './diff-assignments.js';
import { createDiffContext, withPrincipalRenames } from './diff-context.js';
import { diffPermissionSets } from './diff-permission-sets.js';
import { diffGroups, diffMemberships, diffUsers } from './diff-principals.js';
import { planProvisioning } from './plan-provisioning.js';

export interface DiffInput {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** Active tuples from expandAssignments. */
  readonly expanded: readonly ExpandedAssignment[];
  /** Tuples of expired rules (expandAssignments().expired): deleted when still live. */
  readonly expired: readonly ExpandedAssignment[];
  /** A tuple that expired by `now` is treated as expired even if the caller expanded earlier. */
  readonly now: Date;
}

export interface DiffResult {
  /** In no particular order: orderIntoWaves sorts them. */
  readonly changes: Change[];
  /** Sorted by key. */
  readonly unmanaged: UnmanagedObject[];
  readonly diagnostics: Diagnostic[];
}

/**
 * What it takes to bring `live` to `desired`, within what Gatehouse owns. The order of the
 * steps matters: memberships and assignments need to know which principals and permission
 * sets are deleted, provisioning needs to know which assignments remain.
 */
export function diffStates(input: DiffInput): DiffResult {
  const principals = createDiffContext(input.desired, input.live);
  diffUsers(principals);
  diffGroups(principals);
  // From here on live principals go by the names the config knows them by (renames).
  const ctx = withPrincipalRenames(principals);
  diffMemberships(ctx);
  diffPermissionSets(ctx);
  const { keys, remaining } = diffAssignments(ctx, input.expanded, input.expired, input.now);
  planProvisioning(ctx, keys, remaining);
  const unmanaged = ctx.unmanaged.sort((a, b) => compareStrings(a.key, b.key));
  return { changes: ctx.changes, unmanaged, diagnostics: ctx.diagnostics };
}
