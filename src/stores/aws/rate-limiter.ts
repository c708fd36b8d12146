// Client-side pacing so Gatehouse stays under Identity Center's shared quota (about 20 requests
// per second per Region for SSO Admin and Identity Store together) instead of discovering it
// through ThrottlingException. GCRA: requests are spaced 1/rps apart, with a burst of `burst`.

export interface RateLimiter {
  /** Resolves when the caller may send one request. */
  acquire(): Promise<void>;
}

export function rateLimiter(
  rps: number,
  options: { burst?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): RateLimiter {
  if (!Number.isFinite(rps) || rps <= 0) return { acquire: () => Promise.resolve() };
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const interval = 1000 / rps;
  const tolerance = (Math.max(1, options.burst ?? 1) - 1) * interval;
  let theoreticalArrival = 0;
  return {
    acquire() {
      const t = now();
      const at = Math.max(t, theoreticalArrival - tolerance);
      theoreticalArrival = Math.max(theoreticalArrival, at) + interval;
      return at > t ? sleep(at - t) : Promise.resolve();
    },
  };
}
