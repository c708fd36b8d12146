import { describe, expect, it } from 'vitest';
import { faultInjector } from '../../src/stores/emulator/fault-injection.js';
import { TokenBucket } from '../../src/stores/emulator/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of `rate`, then refills at `rate` per second', () => {
    let t = 0;
    const bucket = new TokenBucket(5, () => t);
    const burst = Array.from({ length: 7 }, () => bucket.tryTake());
    expect(burst).toEqual([true, true, true, true, true, false, false]);
    t = 200; // 0.2 s at 5/s = 1 token
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });
});

describe('faultInjector', () => {
  it('fails the same requests for the same seed, about failRate of them', () => {
    const run = (seed: number) => {
      const f = faultInjector(0.3, seed);
      return Array.from({ length: 1000 }, () => f.next());
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    const failures = run(7).filter(Boolean).length;
    expect(failures).toBeGreaterThan(240);
    expect(failures).toBeLessThan(360);
    expect(new Set(run(7).filter(Boolean))).toEqual(new Set(['InternalServerException', 'ThrottlingException']));
  });
});
