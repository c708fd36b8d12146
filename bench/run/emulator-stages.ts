import { applyPlan } from '../../src/apply/apply-plan.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { isEmptyPlan, type Plan, type Wave } from '../../src/plan/plan.js';
import { openAwsStore, type AwsStore } from '../../src/stores/aws/aws-store.js';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { changeCount, type LoadedConfig } from './planner-stages.js';
import { round, type EmulatorResult } from './report.js';
import type { StoreRun } from './store-stages.js';
import { failedChanges } from './store-stages.js';

// The AWS store against the emulator serving the applied database: what a no-op plan costs in
// API calls, and how close an apply gets to the emulator's request rate. The emulator accepts
// any signature, so the SDK is given placeholder keys; nothing leaves 127.0.0.1.

export interface EmulatorOptions {
  readonly tps: number;
  readonly latencyMs: number;
  /** Changes of the 1% plan applied through the AWS store. */
  readonly subset: number;
}

const REGION = 'eu-west-1';
/** Calls are counted, not paced, in the no-op run: a high limit keeps it short. */
const UNPACED_RPS = 100_000;

function useLoopbackCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDBENCHEMULATOR';
  process.env.AWS_SECRET_ACCESS_KEY = 'bench-emulator-secret';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}

async function withAwsStore<T>(emulator: Emulator, maxRps: number, fn: (store: AwsStore) => Promise<T>): Promise<T> {
  try {
    const store = await openAwsStore({ endpointUrl: emulator.url, region: REGION, maxRps });
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  } finally {
    await emulator.close();
  }
}

/** The first `count` changes in wave order: every dependency of a kept change is kept too. */
export function planPrefix(plan: Plan, count: number): Plan {
  const waves: Wave[] = [];
  let left = count;
  for (const wave of plan.waves) {
    if (left <= 0) break;
    const changes = wave.changes.slice(0, left);
    left -= changes.length;
    waves.push({ ...wave, changes });
  }
  return { ...plan, waves };
}

export async function measureEmulator(
  run: StoreRun,
  config: LoadedConfig,
  now: Date,
  options: EmulatorOptions,
  expandedAssignments: number,
): Promise<EmulatorResult> {
  useLoopbackCredentials();

  const counting = await startEmulator({ dbPath: run.dbPath });
  const noopPlanCalls = await withAwsStore(counting, UNPACED_RPS, async (store) => {
    counting.resetCounts();
    const live = await store.snapshot();
    const plan = buildPlan({ desired: config.desired, live, now });
    if (!isEmptyPlan(plan)) throw new Error(`through the AWS store the applied state plans ${changeCount(plan)} changes, not 0`);
    return counting.callCounts();
  });

  const paced = await startEmulator({ dbPath: run.dbPath, tps: options.tps, latencyMs: options.latencyMs });
  const subset = planPrefix(run.changedPlan, options.subset);
  const applied = await withAwsStore(paced, options.tps, async (store) => {
    paced.resetCounts();
    const started = performance.now();
    const result = await applyPlan({ store, plan: subset });
    const seconds = (performance.now() - started) / 1000;
    const failed = failedChanges(result);
    if (failed.length > 0) throw new Error(`applying through the emulator failed ${result.failed} changes, e.g.\n${failed.join('\n')}`);
    const calls = Object.values(paced.callCounts()).reduce((a, b) => a + b, 0);
    return { changes: changeCount(subset), seconds, calls };
  });

  const callsPerSecond = applied.calls / applied.seconds;
  return {
    tps: options.tps,
    latencyMs: options.latencyMs,
    noopPlanCalls,
    noopPlanCallTotal: Object.values(noopPlanCalls).reduce((a, b) => a + b, 0),
    naiveListCalls: expandedAssignments,
    applySubset: {
      changes: applied.changes,
      seconds: round(applied.seconds, 2),
      callsPerSecond: round(callsPerSecond, 2),
      fractionOfTps: round(callsPerSecond / options.tps, 3),
    },
  };
}
