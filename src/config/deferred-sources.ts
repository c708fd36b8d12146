import type { SourceRange } from '../model/desired.js';
import { fieldKey, membershipKey } from '../model/keys.js';
import type { Entry } from './entries.js';
import type { ValuePath } from './yaml/locator.js';

/** An entity whose key and field keys go into DesiredState.sources. */
export interface SourcedEntity {
  /** Entity key (keys.ts), e.g. `user:alice`. */
  readonly key: string;
  readonly entry: Entry<object>;
  /** For a group: its name and members, whose membership keys point at the list items. */
  readonly group?: { readonly name: string; readonly members: readonly string[] };
}

/**
 * DesiredState.sources without the cost: the keys are indexed on first use and each position is
 * looked up when asked for (see DeferredLocator), so a plan that reports nothing computes none.
 * Holds exactly the keys, in the same order, that an eager Map filled entity by entity would:
 * the entity, then each field as written, then (groups) each member; a repeated key keeps the
 * last place.
 */
export class DeferredSourceMap implements ReadonlyMap<string, SourceRange> {
  private index: Map<string, { readonly entry: Entry<object>; readonly path: ValuePath }> | undefined;

  constructor(private readonly entities: readonly SourcedEntity[]) {}

  get(key: string): SourceRange | undefined {
    const place = this.indexed().get(key);
    if (place === undefined) return undefined;
    const { file, line, col } = place.entry.at(place.path);
    return { file, line, col };
  }

  has(key: string): boolean {
    return this.indexed().has(key);
  }

  get size(): number {
    return this.indexed().size;
  }

  forEach(callback: (value: SourceRange, key: string, map: ReadonlyMap<string, SourceRange>) => void, thisArg?: unknown): void {
    this.resolvedAll().forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): ReturnType<Map<string, SourceRange>['entries']> {
    return this.resolvedAll().entries();
  }

  keys(): ReturnType<Map<string, SourceRange>['keys']> {
    return this.indexed().keys();
  }

  values(): ReturnType<Map<string, SourceRange>['values']> {
    return this.resolvedAll().values();
  }

  [Symbol.iterator](): ReturnType<Map<string, SourceRange>['entries']> {
    return this.entries();
  }

  private indexed(): Map<string, { readonly entry: Entry<object>; readonly path: ValuePath }> {
    if (this.index) return this.index;
    const index = new Map<string, { readonly entry: Entry<object>; readonly path: ValuePath }>();
    for (const entity of this.entities) {
      const { key, entry, group } = entity;
      index.set(key, { entry, path: [] });
      for (const field of Object.keys(entry.value)) index.set(fieldKey(key, field), { entry, path: [field] });
      group?.members.forEach((userName, i) => index.set(membershipKey(group.name, userName), { entry, path: ['members', i] }));
    }
    return (this.index = index);
  }

  /** Every key with its place; iterating needs them all. */
  private resolvedAll(): Map<string, SourceRange> {
    const out = new Map<string, SourceRange>();
    for (const key of this.indexed().keys()) out.set(key, this.get(key)!);
    return out;
  }
}
