// Deterministic failures for convergence tests: the same seed fails the same sequence of
// requests, so a failing run can be replayed and a rerun must still converge.

/** mulberry32: a tiny, well-distributed 32-bit PRNG; the seed fixes the whole sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type InjectedFault = 'InternalServerException' | 'ThrottlingException';

export interface FaultInjector {
  /** The fault to answer this request with, or undefined to serve it. */
  next(): InjectedFault | undefined;
}

export function faultInjector(failRate: number, seed: number): FaultInjector {
  const random = seededRandom(seed);
  return {
    next() {
      if (failRate <= 0) return undefined;
      // Two draws per request whatever the outcome, so the sequence depends only on the count.
      const fails = random() < failRate;
      const kind: InjectedFault = random() < 0.5 ? 'InternalServerException' : 'ThrottlingException';
      return fails ? kind : undefined;
    },
  };
}
