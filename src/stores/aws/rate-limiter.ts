// Client-side pacing so Gatehouse stays under Identity Center's shared quota (about 20 requests
// per second per Region for SSO Admin and Identity Store together) instead of discovering it
// through ThrottlingException. GCRA: requests are spaced 1/rps apart, with a burst of `burst`.
//
// The quota an account really has can be lower (other tools share it, or it was lowered), so
// the rate adapts as TCP's does: cut by 30 % on a throttle (at most once a second: requests in
// flight together are throttled together, and that is one signal, not many), raised a little on
// every success, never above the configured rate. Throttled reads slow down and finish.

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
  /** AWS answered a throttling error: slow down. */
  throttled(): void;
  /** A request went through: recover towards the configured rate. */
  succeeded(): void;
  /** Requests per second now allowed. */
  readonly rate: number;
}

/** The slowest the adaptive rate goes: one request every two seconds. */
const MIN_RPS = 0.5;
const CUT_WINDOW_MS = 1000;

export function rateLimiter(
  rps: number,
  options: { burst?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  if (!Number.isFinite(rps) || rps <= 0) {
    return { acquire: () => Promise.resolve(), throttled: () => {}, succeeded: () => {}, rate: Infinity };
  }
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const burst = Math.max(1, options.burst ?? 1);
  let rate = rps;
  let theoreticalArrival = 0;
  let lastCut = -Infinity;
  // Additive increase: back to the full rate within about rps/2 successes after a cut.
  const step = Math.max(0.05, rps / 40);
  return {
    acquire() {
      const interval = 1000 / rate;
      const tolerance = (burst - 1) * interval;
      const t = now();
      const at = Math.max(t, theoreticalArrival - tolerance);
      theoreticalArrival = Math.max(theoreticalArrival, at) + interval;
      return at > t ? sleep(at - t) : Promise.resolve();
    },
    throttled() {
      const t = now();
      if (t - lastCut < CUT_WINDOW_MS) return;
      lastCut = t;
      rate = Math.max(Math.min(MIN_RPS, rps), rate * 0.7);
    },
    succeeded() {
      rate = Math.min(rps, rate + step);
    },
    get rate() {
      return rate;
    },
  };
}
