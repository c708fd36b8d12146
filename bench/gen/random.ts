// A seeded pseudo-random source (mulberry32). Benchmarks must be reproducible byte for byte, so
// nothing here reads Math.random or the clock. Sub-generators are forked by label: adding a draw
// to one part of the organisation does not shift every value drawn after it elsewhere.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by relative weight (weights need not sum to 1). */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** A new array with `count` distinct items (all when count ≥ length), in draw order. */
  sample<T>(items: readonly T[], count: number): T[];
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator for a named part, stable whatever else is drawn. */
  fork(label: string): Random;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number): number => Math.floor(next() * maxExclusive);
  const random: Random = {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as (typeof items)[number];
    },
    weighted: (items) => {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      const last = items[items.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    sample: (items, count) => {
      if (count >= items.length) return random.shuffle(items);
      // Partial Fisher-Yates over an index copy: O(count) draws.
      const copy = [...items];
      const out = [];
      for (let i = 0; i < count; i++) {
        const j = i + int(copy.length - i);
        const chosen = copy[j] as (typeof items)[number];
        copy[j] = copy[i] as (typeof items)[number];
        copy[i] = chosen;
        out.push(chosen);
      }
      return out;
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = copy[i] as (typeof items)[number];
        copy[i] = copy[j] as (typeof items)[number];
        copy[j] = tmp;
      }
      return copy;
    },
    fork: (label) => createRandom((fnv1a(label) ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0),
  };
  return random;
}

/**
 * Draws ranks 0..n-1 with probability ∝ 1/(rank+1)^exponent: real group and team sizes are
 * skewed like this (a few huge, a long tail of small ones).
 */
export function zipfSampler(n: number, exponent: number, random: Random): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, exponent);
    cumulative[i] = total;
  }
  return () => {
    const r = random.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}
