import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PlanPrivilege } from '../access/plan-privilege.js';
import type { Change } from '../diff/change.js';

// The in-memory plan. The plan file (plan-file.ts) is its serialised form.

export const PLAN_FORMAT_VERSION = 1;

/** The waves of DESIGN.md "Ordering"; deletions of PS, groups, users are separate waves. */
export const WAVES = [
  'create principals and permission sets',
  'update permission sets',
  'add group memberships',
  'create account assignments',
  'provision permission sets',
  'delete account assignments',
  'remove group memberships',
  'delete permission sets',
  'delete groups',
  'delete users',
] as const;

export interface Wave {
  /** 1-based, in the order of WAVES. */
  readonly index: number;
  readonly name: string;
  readonly changes: readonly Change[];
}

/** A live object the config does not declare and ownership `keep` leaves alone. */
export interface UnmanagedObject {
  readonly kind: 'user' | 'group' | 'membership' | 'permissionSet' | 'assignment';
  readonly key: string;
}

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export interface PlanTarget {
  /** The store URL as given, resolved (e.g. `sqlite:/abs/live.db`, `aws`). */
  readonly store: string;
  readonly instanceArn: string;
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** Only non-empty waves, in order. */
  readonly waves: readonly Wave[];
  readonly summary: PlanSummary;
  readonly unmanaged: readonly UnmanagedObject[];
  /** Plan errors (e.g. an external principal not found): a plan with errors cannot be applied. */
  readonly diagnostics: readonly Diagnostic[];
  /** SHA-256 of the normalised desired state. */
  readonly desiredDigest: string;
  /** SHA-256 over the live objects the plan read. */
  readonly liveFingerprint: string;
  readonly gitCommit?: string;
  /** The store and instance the plan was made against: a plan applied elsewhere says so. */
  readonly target?: PlanTarget;
  /** Names of the accounts the changes touch (id → name), so renderings can say `prod-core (2222…)`. */
  readonly accountNames?: Readonly<Record<string, string>>;
  /** Who gains or loses a privilege level when the plan is applied (computed for the Markdown and the plan file). */
  readonly privilege?: PlanPrivilege;
}

const flattened = new WeakMap<readonly Wave[], readonly Change[]>();

/** Every change of the plan, wave by wave; one list per plan, however many readers ask. */
export function planChanges(plan: Plan): readonly Change[] {
  let changes = flattened.get(plan.waves);
  if (!changes) {
    const all: Change[] = [];
    for (const wave of plan.waves) for (const c of wave.changes) all.push(c);
    changes = all;
    flattened.set(plan.waves, changes);
  }
  return changes;
}
export const isEmptyPlan = (plan: Plan): boolean => plan.waves.length === 0;
