import pLimit from 'p-limit';
import { GatehouseError } from '../diagnostics/errors.js';
import { isOutcomeUnknown } from './outcome-unknown.js';
import { changeTarget, type Change } from '../diff/change.js';
import type { Plan, Wave } from '../plan/plan.js';
import type { LiveStore, PerformResult } from '../stores/live-store.js';
import { dependenciesOf } from './dependencies.js';
import { DEFAULT_RETRY, sleep as realSleep, withRetry, type RetryPolicy } from './retry.js';

// Runs a plan through a store: waves in order, bounded concurrency inside a wave, retryable
// errors retried with jittered backoff. The waves give the order; the dependencies between
// changes decide what a failure stops (dependencies.ts). The applier never throws for a failed
// change: every change ends applied, failed, unknown or skipped (with the reason), and the
// caller decides the exit code.
//
// Write-ahead: `beforeWrite` runs before each write (the caller appends the intent record and
// checks its lease there) and `record` after it. Either throwing stops the apply at once: no
// change starts after that, those in flight finish and are recorded, and the error comes back
// as `fatal`. `stopRequested` is polled before each change (SIGINT/SIGTERM).
//
// `beforeRequest` runs inside the store before every write request of a change (the lease
// check): a change of several requests that loses the lease half-way stops there. Its outcome
// is unknown (some requests went out, the rest did not; the next run reads what is live), and
// the apply stops as if `beforeWrite` had thrown.

export type ChangeStatus = 'applied' | 'failed' | 'skipped' | 'unknown';

export interface ChangeOutcome {
  readonly wave: number;
  readonly change: Change;
  readonly target: string;
  readonly status: ChangeStatus;
  readonly attempts: number;
  readonly requestIds: readonly string[];
  readonly error?: string;
  /** Why a skipped change did not run: what it waited for, or why the apply stopped. */
  readonly reason?: string;
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
  /** Before each write; throwing stops the apply without performing this change. Returns a token passed to `record`. */
  readonly beforeWrite?: (change: Change) => unknown;
  /** Before every write request a change sends (in the store); throwing a LeaseLostError stops the change there and the apply. */
  readonly beforeRequest?: (change: Change, operation: string) => void | Promise<void>;
  /** After each write (applied, failed or unknown); throwing stops the apply. */
  readonly record?: (outcome: ChangeOutcome, result: PerformResult | undefined, token: unknown) => unknown;
  /** Polled before each change starts: a reason to stop (e.g. "interrupted by SIGINT"), or undefined. */
  readonly stopRequested?: () => string | undefined;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export interface ApplyResult {
  readonly outcomes: readonly ChangeOutcome[];
  readonly applied: number;
  readonly failed: number;
  readonly skipped: number;
  readonly unknown: number;
  /** Why the apply stopped early (audit append failed, lease lost, signal), when it did. */
  readonly stopped?: string;
  /** The error that stopped it, when it was an error (not a signal). */
  readonly fatal?: unknown;
}

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  const { store, plan } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const caps = store.capabilities();

  const all: Change[] = [];
  const waveOf: number[] = [];
  for (const wave of plan.waves) for (const change of wave.changes) {
    all.push(change);
    waveOf.push(wave.index);
  }
  const needs = dependenciesOf(all);
  const outcomes: (ChangeOutcome | undefined)[] = new Array(all.length);
  let stopped: string | undefined;
  let fatal: unknown;
  let lastTurn = Date.now();
  const stopWith = (reason: string, err?: unknown) => {
    if (stopped !== undefined) return;
    stopped = reason;
    if (err !== undefined) fatal = err;
  };

  let offset = 0;
  for (const wave of plan.waves) {
    const base = offset;
    offset += wave.changes.length;
    checkStop();
    if (stopped !== undefined) {
      for (let i = base; i < offset; i++) outcomes[i] = skipped(waveOf[i]!, all[i]!, `not started: ${stopped}`);
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
    // And one over the whole wave: `maxConcurrency` bounds the changes in flight, whatever their
    // kinds (with --concurrency 1 one change at a time, not one per kind).
    const waveLimiter = options.maxConcurrency === undefined ? undefined : pLimit(Math.max(1, options.maxConcurrency));
    let waveFailed = 0;
    const runs: Promise<void>[] = [];
    for (let i = base; i < offset; i++) {
      const change = all[i]!;
      const task = async () => {
        const outcome = await runOne(i, wave.index, change);
        if (outcome.status === 'failed' || outcome.status === 'unknown') waveFailed++;
        outcomes[i] = outcome;
        options.onEvent?.({ type: 'change-done', outcome });
      };
      runs.push(limiterFor(change.kind)(() => (waveLimiter ? waveLimiter(task) : task())));
    }
    await Promise.all(runs);
    options.onEvent?.({ type: 'wave-end', wave, failed: waveFailed });
  }

  const done = outcomes as ChangeOutcome[];
  let applied = 0;
  let failed = 0;
  let skippedCount = 0;
  let unknown = 0;
  for (const o of done) {
    if (o.status === 'applied') applied++;
    else if (o.status === 'failed') failed++;
    else if (o.status === 'unknown') unknown++;
    else skippedCount++;
  }
  return {
    outcomes: done,
    applied,
    failed,
    skipped: skippedCount,
    unknown,
    ...(stopped !== undefined ? { stopped } : {}),
    ...(fatal !== undefined ? { fatal } : {}),
  };

  // A store that answers without real I/O (the embedded one: synchronous SQLite behind promises)
  // can run a whole wave in microtasks, and the event loop never turns: SIGINT/SIGTERM handlers
  // and the lease heartbeat would wait for the end of the apply. So hand the loop a turn now and
  // then (every 20 ms of work), which costs nothing against a network store.
  async function letTheEventLoopRun(): Promise<void> {
    if (Date.now() - lastTurn < 20) return;
    // One change takes the turn; the others in flight go on.
    lastTurn = Date.now();
    await new Promise((resolve) => setImmediate(resolve));
  }

  function checkStop(): void {
    if (stopped !== undefined) return;
    const reason = options.stopRequested?.();
    if (reason !== undefined) stopWith(reason);
  }

  async function runOne(index: number, wave: number, change: Change): Promise<ChangeOutcome> {
    await letTheEventLoopRun();
    checkStop();
    if (stopped !== undefined) return skipped(wave, change, `not started: ${stopped}`);
    const blockers = needs[index]!.filter((d) => outcomes[d]?.status !== 'applied');
    if (blockers.length > 0) {
      const names = blockers.map((d) => `${changeTarget(all[d]!)} (${outcomes[d]?.status ?? 'not run'})`);
      return skipped(wave, change, `waits for ${names.join(', ')}`);
    }
    let token: unknown;
    try {
      token = await options.beforeWrite?.(change);
    } catch (err) {
      stopWith(messageOf(err), err);
      return skipped(wave, change, `not started: ${messageOf(err)}`);
    }
    const outcome = await performOne(wave, change);
    try {
      await options.record?.(outcome.outcome, outcome.result, token);
    } catch (err) {
      stopWith(messageOf(err), err);
    }
    return outcome.outcome;
  }

  async function performOne(wave: number, change: Change): Promise<{ outcome: ChangeOutcome; result?: PerformResult }> {
    let attempts = 0;
    const target = changeTarget(change);
    try {
      const guard = options.beforeRequest;
      const hooks = guard ? { beforeRequest: (operation: string) => guard(change, operation) } : undefined;
      const { value, attempts: used } = await withRetry(() => store.perform(change, hooks), retry, {
        sleep,
        random,
        onRetry: (attempt, error, delayMs) => {
          attempts = attempt;
          options.onEvent?.({ type: 'retry', change, attempt, error: messageOf(error), delayMs });
        },
      });
      return { outcome: { wave, change, target, status: 'applied', attempts: used, requestIds: value.requestIds }, result: value };
    } catch (err) {
      if (isLeaseLost(err)) {
        // Stopped between two requests (or before the first): what went out is not known here
        // change by change, so the next run resolves it by reading, as after a crash.
        stopWith(messageOf(err), err);
        return { outcome: { wave, change, target, status: 'unknown', attempts: attempts + 1, requestIds: [], error: messageOf(err) } };
      }
      // A write the store could not confirm either way is never reported as applied: the next
      // run reads the live object and records what it finds.
      const status: ChangeStatus = isOutcomeUnknown(err) ? 'unknown' : 'failed';
      return { outcome: { wave, change, target, status, attempts: attempts + 1, requestIds: [], error: messageOf(err) } };
    }
  }
}

function skipped(wave: number, change: Change, reason: string): ChangeOutcome {
  return { wave, change, target: changeTarget(change), status: 'skipped', attempts: 0, requestIds: [], reason };
}

const isLeaseLost = (err: unknown): boolean => err instanceof GatehouseError && err.code === 'LeaseLost';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
