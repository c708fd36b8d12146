import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupThousands } from '../../src/output/plural.js';

describe('groupThousands', () => {
  it('writes an integer as en-US toLocaleString does', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => groupThousands(n) === n.toLocaleString('en-US')), { numRuns: 2000 });
    for (const n of [0, 7, 999, 1000, 65536, 1_000_000, 12_345_678]) expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
  });
});
