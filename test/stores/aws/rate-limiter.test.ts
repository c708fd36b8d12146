import { describe, expect, it } from 'vitest';
import { rateLimiter } from '../../../src/stores/aws/rate-limiter.js';

describe('rateLimiter', () => {
  it('spaces requests 1/rps apart', async () => {
    let t = 0;
    const waits: number[] = [];
    const limiter = rateLimiter(20, { now: () => t, sleep: async (ms) => void waits.push(ms) });
    for (let i = 0; i < 5; i++) await limiter.acquire();
    expect(waits).toEqual([50, 100, 150, 200]);
  });

  it('keeps real throughput at the configured rate', async () => {
    const limiter = rateLimiter(50);
    const start = performance.now();
    await Promise.all(Array.from({ length: 26 }, () => limiter.acquire()));
    const elapsed = performance.now() - start;
    // 26 requests at 50/s: the last may go 25 × 20 ms = 500 ms after the first.
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(1500);
  });
});
