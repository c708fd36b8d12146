import { isRetryable } from '../diagnostics/errors.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A larger base for throttling errors, when the layer can tell them apart (the SDK caller). */
  readonly throttledBaseDelayMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 10_000 };

/**
 * "Full jitter" exponential backoff: a random delay in [0, min(max, base·2^attempt)]. Spreading
 * retries at random keeps many concurrent callers from hitting a throttled API in lockstep.
 */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryHooks {
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

/** Runs fn, retrying RetryableErrors with backoff; anything else (or the last failure) is rethrown. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await fn(), attempts: attempt + 1 };
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= policy.maxAttempts) throw err;
      const delay = backoffDelay(policy, attempt, hooks.random);
      hooks.onRetry?.(attempt + 1, err, delay);
      await hooks.sleep(delay);
    }
  }
}

export const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
