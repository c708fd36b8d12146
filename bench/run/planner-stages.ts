import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load-config.js';
import { formatDiagnostic, hasErrors } from '../../src/diagnostics/diagnostic.js';
import { diffStates } from '../../src/diff/diff.js';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { Organization } from '../../src/model/entities.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { orderIntoWaves } from '../../src/plan/order.js';
import { planChanges, type Plan } from '../../src/plan/plan.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { readYamlTexts } from './config-files.js';
import type { Samples } from './timing.js';
import { privilegeData } from '../../src/datasets/privilege-data.js';
import { createPrivilegeModel } from '../../src/privilege/privilege-model.js';

// The pure planner, stage by stage, so the report shows where plan time goes. buildPlan runs
// the same steps in one call; the stages here are timed separately on the same inputs.

export interface LoadedConfig {
  readonly desired: DesiredState;
  readonly organization: Organization;
}

export async function timeYamlBaseline(dir: string, samples: Samples): Promise<number> {
  const texts = readYamlTexts(dir);
  await samples.time('yaml parse (baseline)', () => {
    for (const text of texts) parse(text);
  });
  return texts.reduce((sum, t) => sum + Buffer.byteLength(t), 0);
}

export async function timeLoad(dir: string, now: Date, samples: Samples, stage = 'load + validate'): Promise<LoadedConfig> {
  return samples.time(stage, () => loadOrThrow(dir, now));
}

export async function loadOrThrow(dir: string, now: Date): Promise<LoadedConfig> {
  const result = await loadConfig(dir, { now });
  if (hasErrors(result.diagnostics) || !result.desired || !result.organization) {
    const first = result.diagnostics.filter((d) => d.severity === 'error').slice(0, 5).map(formatDiagnostic);
    throw new Error(`the config in ${dir} does not load:\n${first.join('\n')}`);
  }
  return { desired: result.desired, organization: result.organization };
}

/** Expansion, diff and ordering timed one by one; returns the changes' count. */
export async function timePlannerSteps(config: LoadedConfig, live: LiveState, now: Date, samples: Samples): Promise<number> {
  const expansion = await samples.time('expand', () => expandAssignments(config.desired.assignments, live.organization, now));
  const diff = await samples.time('diff', () =>
    diffStates({ desired: config.desired, live, expanded: expansion.tuples, expired: expansion.expired, now }),
  );
  const waves = await samples.time('order', () => orderIntoWaves(diff.changes));
  return waves.reduce((sum, w) => sum + w.changes.length, 0);
}

/**
 * buildPlan as `gatehouse plan` runs it, with a fresh privilege model (the catalogue indexed,
 * no permission set analysed yet). `privilegeDiff` adds who gains or loses a privilege level,
 * which `plan --format markdown` and `plan --out` compute.
 */
export async function timePlan(config: LoadedConfig, live: LiveState, now: Date, samples: Samples, stage: string, privilegeDiff = false): Promise<Plan> {
  const plan = await samples.time(stage, () => buildPlan({ desired: config.desired, live, now, privilege: createPrivilegeModel(privilegeData()), privilegeDiff }));
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`the plan has errors:\n${errors.slice(0, 5).map(formatDiagnostic).join('\n')}`);
  return plan;
}

export async function timeRender(plan: Plan, samples: Samples, stage = 'render text'): Promise<number> {
  const text = await samples.time(stage, () => renderPlanText(plan));
  return Buffer.byteLength(text);
}

export const changeCount = (plan: Plan): number => planChanges(plan).length;

/** What a store holds before the first apply: the organisation and nothing else. */
export const emptyLive = (organization: Organization): LiveState => ({
  instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000',
  identityStoreId: 'd-0000000000',
  organization,
  users: [],
  groups: [],
  memberships: [],
  permissionSets: [],
  assignments: [],
  provisioning: [],
});
