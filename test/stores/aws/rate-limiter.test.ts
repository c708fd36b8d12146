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

describe('rateLimiter adapts to throttling', () => {
  it('slows down on a throttle (once per second however many arrive together), recovers on successes, never above the configured rate', () => {
    let t = 0;
    const limiter = rateLimiter(20, { now: () => t, sleep: async () => {} });
    limiter.throttled();
    limiter.throttled();
    limiter.throttled();
    expect(limiter.rate).toBeCloseTo(14);
    t += 1000;
    limiter.throttled();
    expect(limiter.rate).toBeCloseTo(9.8);
    for (let i = 0; i < 100; i++) limiter.succeeded();
    expect(limiter.rate).toBe(20);
    for (let i = 0; i < 50; i++) {
      t += 1000;
      limiter.throttled();
    }
    expect(limiter.rate).toBe(0.5);
  });

  it('spaces requests by the reduced rate', async () => {
    let t = 0;
    const waits: number[] = [];
    const limiter = rateLimiter(10, { now: () => t, sleep: async (ms) => void waits.push(ms) });
    limiter.throttled(); // 7 per second
    await limiter.acquire();
    await limiter.acquire();
    expect(waits[0]).toBeCloseTo(1000 / 7);
  });
});
