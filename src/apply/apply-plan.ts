import pLimit from 'p-limit';
import { changeTarget, type Change } from '../diff/change.js';
import type { Plan, Wave } from '../plan/plan.js';
import type { LiveStore, PerformResult } from '../stores/live-store.js';
import { DEFAULT_RETRY, sleep as realSleep, withRetry, type RetryPolicy } from './retry.js';

// Runs a plan through a store: waves in order, bounded concurrency inside a wave, retryable
// errors retried with jittered backoff. The applier never throws for a failed change: every
// change ends applied, failed or skipped, and the caller decides the exit code.

export type ChangeStatus = 'applied' | 'failed' | 'skipped';

export interface ChangeOutcome {
  readonly wave: number;
  readonly change: Change;
  readonly target: string;
  readonly status: ChangeStatus;
  readonly attempts: number;
  readonly requestIds: readonly string[];
  readonly error?: string;
}

export type ApplyEvent =
  | { readonly type: 'wave-start'; readonly wave: Wave; readonly waveCount: number }
  | { readonly type: 'change-done'; readonly outcome: ChangeOutcome }
  | { readonly type: 'retry'; readonly change: Change; readonly attempt: number; readonly error: string; readonly delayMs: number }
  | { readonly type: 'wave-end'; readonly wave: Wave; readonly failed: number };

export interface ApplyOptions {
  readonly store: LiveStore;
  readonly plan: Plan;
  readonly retry?: RetryPolicy;
  /** Upper bound on concurrent changes per wave; the store's capabilities may lower it per kind. */
  readonly maxConcurrency?: number;
  readonly onEvent?: (event: ApplyEvent) => void;
  /**
   * Called once per finished change (applied or failed), before the next change of the same
   * slot starts: the audit trail hangs here so every write is recorded as it happens.
   */
  readonly record?: (outcome: ChangeOutcome, result?: PerformResult) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface ApplyResult {
  readonly outcomes: readonly ChangeOutcome[];
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { store, plan } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const caps = store.capabilities();
  const outcomes: ChangeOutcome[] = [];
  let stopped = false;

  for (const wave of plan.waves) {
    if (stopped) {
      for (const change of wave.changes) outcomes.push(skipped(wave, change));
      continue;
    }
    options.onEvent?.({ type: 'wave-start', wave, waveCount: plan.waves.length });
    // One limiter per change kind: a wave mixes kinds (users, groups, permission sets) whose
    // APIs have different limits (e.g. 15 outstanding assignment creations on AWS).
    const limiters = new Map<string, ReturnType<typeof pLimit>>();
    const limiterFor = (kind: string) => {
      let limiter = limiters.get(kind);
      if (!limiter) {
        const limit = Math.min(options.maxConcurrency ?? Infinity, caps.concurrency[kind] ?? caps.defaultConcurrency);
        limiter = pLimit(Math.max(1, limit));
        limiters.set(kind, limiter);
      }
      return limiter;
    };
    // A terminal failure stops the wave: changes not yet started are skipped, those in flight
    // finish (they cannot be recalled), and later waves are skipped since they may depend on it.
    let waveFailed = 0;
    const waveOutcomes = await Promise.all(
      wave.changes.map((change) =>
        limiterFor(change.kind)(async (): Promise<ChangeOutcome> => {
          if (waveFailed > 0) return skipped(wave, change);
          const outcome = await performOne(wave, change);
          if (outcome.status === 'failed') waveFailed++;
          options.onEvent?.({ type: 'change-done', outcome });
          return outcome;
        }),
      ),
    );
    // Not push(...waveOutcomes): spreading a 250k-change wave overflows the call stack.
    for (const outcome of waveOutcomes) outcomes.push(outcome);
    options.onEvent?.({ type: 'wave-end', wave, failed: waveFailed });
    if (waveFailed > 0) stopped = true;
  }

  return {
    outcomes,
    applied: outcomes.filter((o) => o.status === 'applied').length,
    failed: outcomes.filter((o) => o.status === 'failed').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
  };

  async function performOne(wave: Wave, change: Change): Promise<ChangeOutcome> {
    let attempts = 0;
    try {
      const { value, attempts: used } = await withRetry(() => store.perform(change), retry, {
        sleep,
        random,
        onRetry: (attempt, error, delayMs) => {
          attempts = attempt;
          options.onEvent?.({ type: 'retry', change, attempt, error: messageOf(error), delayMs });
        },
      });
      const outcome: ChangeOutcome = {
        wave: wave.index,
        change,
        target: changeTarget(change),
        status: 'applied',
        attempts: used,
        requestIds: value.requestIds,
      };
      options.record?.(outcome, value);
      return outcome;
    } catch (err) {
      const outcome: ChangeOutcome = {
        wave: wave.index,
        change,
        target: changeTarget(change),
        status: 'failed',
        attempts: attempts + 1,
        requestIds: [],
        error: messageOf(err),
      };
      options.record?.(outcome);
      return outcome;
    }
  }
}

function skipped(wave: Wave, change: Change): ChangeOutcome {
  return { wave: wave.index, change, target: changeTarget(change), status: 'skipped', attempts: 0, requestIds: [] };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
