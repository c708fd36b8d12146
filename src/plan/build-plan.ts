import { checkGuardrails } from '../access/guardrails.js';
import { planPrivilege } from '../access/plan-privilege.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { type Diagnostic, sortDiagnostics } from '../diagnostics/diagnostic.js';
import { actionOf, type Change } from '../diff/change.js';
import { diffStates } from '../diff/diff.js';
import { expandAssignments } from '../expand/expand-assignments.js';
import type { DesiredState } from '../model/desired.js';
import type { LiveState } from '../model/live.js';
import { checkRestrictions } from './check-restrictions.js';
import { desiredDigest, liveFingerprint } from './fingerprints.js';
import { orderIntoWaves } from './order.js';
import { type Plan, PLAN_FORMAT_VERSION, type PlanSummary, type Wave } from './plan.js';

export interface BuildPlanInput {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** Decides which assignments have expired; the planner never reads the clock. */
  readonly now: Date;
  readonly gitCommit?: string;
  /** The store URL, recorded in the plan (with the live instance) so apply can tell another store apart. */
  readonly storeUrl?: string;
  /** The privilege model (datasets read at the edge): privilege guardrails and the privilege diff. */
  readonly privilege?: PrivilegeModel;
  /** Compute the privilege diff (the Markdown's first section); costly on a first plan of a large org. */
  readonly privilegeDiff?: boolean;
}

/** expand → diff → order: the whole pure planner. Same input, byte-identical plan. */
export function buildPlan(input: BuildPlanInput): Plan {
  const { desired, live, now } = input;
  const expansion = expandAssignments(desired.assignments, live.organization, now);
  const diff = diffStates({ desired, live, expanded: expansion.tuples, expired: expansion.expired, now });
  const waves = orderIntoWaves(diff.changes);
  // Guardrails judge what the config grants; with an external identity source the groups'
  // members live in the identity store, so that is where membership comes from.
  const guardrails = checkGuardrails({
    guardrails: desired.guardrails,
    assignments: expansion.tuples,
    memberships:
      desired.settings.identitySource === 'external'
        ? live.memberships.flatMap((m) => (m.groupName !== undefined && m.userName !== undefined ? [{ groupName: m.groupName, userName: m.userName }] : []))
        : desired.memberships,
    organization: live.organization,
    permissionSets: desired.permissionSets,
    assignmentRules: desired.assignments,
    now,
    ...(input.privilege ? { privilege: input.privilege } : {}),
  });
  // What the store's caller may not do (a delegated administrator), at the config's file:line.
  const restricted = checkRestrictions({
    changes: diff.changes,
    restrictions: live.restrictions,
    tuples: [...expansion.tuples, ...expansion.expired],
    sources: desired.sources,
  });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    waves,
    summary: summarise(waves),
    unmanaged: diff.unmanaged,
    diagnostics: uniqueDiagnostics([...expansion.diagnostics, ...diff.diagnostics, ...guardrails, ...restricted]),
    desiredDigest: desiredDigest(desired),
    liveFingerprint: liveFingerprint(live),
    ...(input.gitCommit !== undefined ? { gitCommit: input.gitCommit } : {}),
    ...(input.storeUrl !== undefined ? { target: { store: input.storeUrl, instanceArn: live.instanceArn } } : {}),
    accountNames: accountNamesOf(waves, live),
    ...(input.privilege && input.privilegeDiff ? { privilege: planPrivilege(input.privilege, live, diff.changes) } : {}),
  };
}

export function summarise(waves: readonly Wave[]): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  for (const wave of waves) {
    for (const c of wave.changes) {
      const action = actionOf(c);
      if (action === 'create') add++;
      else if (action === 'update') change++;
      else destroy++;
    }
  }
  return { add, change, destroy };
}

function uniqueDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return sortDiagnostics(diagnostics).filter((d) => {
    const key = JSON.stringify([d.severity, d.rule, d.message, d.source?.file, d.source?.line, d.source?.col]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const accountOf = (c: Change): string | undefined =>
  c.kind === 'assignment.create' || c.kind === 'assignment.delete'
    ? c.assignment.accountId
    : c.kind === 'permissionSet.provision'
      ? c.accountId
      : undefined;

function accountNamesOf(waves: readonly Wave[], live: LiveState): Record<string, string> {
  const names = new Map(live.organization.accounts.map((a) => [a.id, a.name]));
  const used = new Set<string>();
  for (const wave of waves) for (const c of wave.changes) {
    const id = accountOf(c);
    if (id !== undefined) used.add(id);
  }
  const out: Record<string, string> = {};
  for (const id of [...used].sort()) {
    const name = names.get(id);
    if (name !== undefined) out[id] = name;
  }
  return out;
}
