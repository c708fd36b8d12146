import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyResult } from '../../src/apply/apply-plan.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { isEmptyPlan, type Plan } from '../../src/plan/plan.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import type { LiveStore } from '../../src/stores/live-store.js';
import { openStore } from '../../src/stores/open-store.js';
import { changeCount, loadOrThrow, timePlan, type LoadedConfig } from './planner-stages.js';
import type { Samples } from './timing.js';

// The embedded store end to end: a full apply into an empty store, the no-op plan that must
// follow it, and the plan after a 1% edit of the config, as `gatehouse plan` runs them.

export interface StoreRun {
  /** The SQLite file holding the applied organisation (for the emulator stages). */
  readonly dbPath: string;
  /** The plan from the applied state to the 1% changed config. */
  readonly changedPlan: Plan;
  readonly cleanup: () => void;
}

const noSleep = async (): Promise<void> => {};

export function failedChanges(result: ApplyResult): string[] {
  return result.outcomes.filter((o) => o.status !== 'applied').slice(0, 5).map((o) => `${o.target}: ${o.error ?? o.status}`);
}

export async function timeStoreStages(
  config: LoadedConfig,
  dataDir: string,
  changedDir: string,
  now: Date,
  samples: Samples,
  plans: Record<string, number>,
): Promise<StoreRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-store-'));
  const dbPath = join(dir, 'live.db');
  const cleanup = (): void => rmSync(dir, { recursive: true, force: true });
  let store: LiveStore | undefined;
  try {
    store = await openStore(`sqlite:${dbPath}`, { organization: config.organization });
    const opened = store;
    const empty = await samples.time('snapshot (empty store)', () => opened.snapshot());
    const initial = buildPlan({ desired: config.desired, live: empty, now });
    const result = await samples.time('apply (full, embedded)', () => applyPlan({ store: opened, plan: initial, sleep: noSleep }));
    const failed = failedChanges(result);
    if (failed.length > 0) throw new Error(`the full apply failed ${result.failed} changes, e.g.\n${failed.join('\n')}`);
    plans['applied changes'] = result.applied;

    const live = await samples.time('snapshot (applied store)', () => opened.snapshot());
    const noop = await timePlan(config, live, now, samples, 'plan (no-op)');
    if (!isEmptyPlan(noop)) throw new Error(`the plan after a full apply is not empty: ${changeCount(noop)} changes remain`);
    await samples.time('no-op plan, end to end', async () => endToEndPlan(opened, dataDir, now));

    const changed = await samples.time('1% change plan, end to end', async () => endToEndPlan(opened, changedDir, now));
    plans['1% change plan changes'] = changeCount(changed);
    return { dbPath, changedPlan: changed, cleanup };
  } catch (error) {
    await store?.close();
    store = undefined;
    cleanup();
    throw error;
  } finally {
    await store?.close();
  }
}

/** What `gatehouse plan` does: load, snapshot, plan, render. */
async function endToEndPlan(store: LiveStore, dir: string, now: Date): Promise<Plan> {
  const config = await loadOrThrow(dir, now);
  const live: LiveState = await store.snapshot();
  const plan = buildPlan({ desired: config.desired, live, now });
  renderPlanText(plan);
  return plan;
}
