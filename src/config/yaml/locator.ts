import type { SourceRange } from '../../model/desired.js';

/** A path into a parsed value: object keys and array indexes. */
export type ValuePath = readonly (string | number)[];

/** Offsets of one map or sequence: where it starts, and where each key and each value starts. */
interface ContainerOffsets {
  readonly start: number;
  readonly keys?: Map<string, number>;
  readonly values: Map<string | number, number>;
  /** Source text of numeric scalars, e.g. `012345678901` for the number 12345678901. */
  readonly numberSources?: Map<string | number, string>;
}

/**
 * Remembers where every map and sequence of a parsed YAML file was written, keyed by the plain
 * objects the file was converted to, so the YAML Document can be dropped right after parsing
 * while every later stage can still say `file:line:col`.
 */
export class Locator {
  private readonly containers = new WeakMap<object, ContainerOffsets>();

  constructor(
    readonly file: string,
    private readonly lineStarts: readonly number[],
  ) {}

  /** Records a container; returns the mutable maps the parser fills in. */
  register(container: object, start: number, isMap: boolean): ContainerOffsets {
    const offsets: ContainerOffsets = isMap
      ? { start, keys: new Map(), values: new Map() }
      : { start, values: new Map() };
    this.containers.set(container, offsets);
    return offsets;
  }

  recordNumberSource(container: object, key: string | number, source: string): void {
    const offsets = this.containers.get(container);
    if (!offsets) return;
    const writable = offsets as { numberSources?: Map<string | number, string> };
    (writable.numberSources ??= new Map()).set(key, source);
  }

  /** The source text of a numeric scalar at `container[key]`, if it was one. */
  numberSource(container: object, key: string | number): string | undefined {
    return this.containers.get(container)?.numberSources?.get(key);
  }

  /**
   * Where `path` (relative to `root`) was written: the deepest existing node along the path.
   * With `key`, the last segment's key rather than its value (for "unknown field" errors).
   */
  at(root: unknown, path: ValuePath = [], key = false): SourceRange {
    let offset = this.offsetOf(root) ?? 0;
    let current: unknown = root;
    for (let i = 0; i < path.length; i++) {
      if (current === null || typeof current !== 'object') break;
      // JSON pointers (ajv's instancePath) spell array indexes as strings.
      const segment = Array.isArray(current) ? Number(path[i]) : path[i]!;
      const offsets = this.containers.get(current);
      if (!offsets) break;
      const isLast = i === path.length - 1;
      const next = isLast && key ? offsets.keys?.get(String(segment)) : offsets.values.get(segment);
      if (next === undefined) break;
      offset = next;
      current = (current as Record<string | number, unknown>)[segment];
    }
    return this.position(offset);
  }

  /** 1-based line and column of an offset in the file. */
  position(offset: number): SourceRange {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const lineStart = starts[lo] ?? 0;
    return { file: this.file, line: lo + 1, col: offset - lineStart + 1 };
  }

  private offsetOf(value: unknown): number | undefined {
    return value !== null && typeof value === 'object' ? this.containers.get(value)?.start : undefined;
  }
}

/** Offsets at which lines start, for a text (line 1 starts at 0). */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
