// Wall-clock timing with the monotonic clock, and the statistics the report shows.

export interface Timed<T> {
  readonly ms: number;
  readonly value: T;
}

export async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Stage name → one sample per run. */
export class Samples {
  private readonly samples = new Map<string, number[]>();

  add(stage: string, ms: number): void {
    const list = this.samples.get(stage);
    if (list) list.push(ms);
    else this.samples.set(stage, [ms]);
  }

  async time<T>(stage: string, fn: () => T | Promise<T>): Promise<T> {
    const { ms, value } = await timed(fn);
    this.add(stage, ms);
    return value;
  }

  stages(): string[] {
    return [...this.samples.keys()];
  }

  of(stage: string): readonly number[] {
    return this.samples.get(stage) ?? [];
  }

  median(stage: string): number {
    return median(this.of(stage));
  }
}
