// The IAM action catalogue as the privilege model uses it: every known action has a small
// integer id, actions of one service are contiguous, and a set of actions is a bitset over the
// ids. A policy's `"Action": "ec2:Describe*"` then costs one scan of the ec2 range, once per
// distinct pattern (patterns are memoised), and combining statements is word-wise OR / AND-NOT.

export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** The build-time dataset (dist/data/iam-actions.json): [service, "A B C", "LRW"] per service. */
export interface IamActionsData {
  readonly source: { readonly package: string; readonly version: string };
  readonly services: readonly (readonly [service: string, actions: string, levels: string])[];
}

const LEVEL_OF_LETTER: Readonly<Record<string, AccessLevel>> = {
  L: 'List',
  R: 'Read',
  W: 'Write',
  P: 'Permissions management',
  T: 'Tagging',
};

export interface ActionCatalogue {
  readonly source: IamActionsData['source'];
  /** `service:Action` as AWS documents it, by id. */
  readonly actions: readonly string[];
  readonly levels: readonly AccessLevel[];
  /** Lower-case service prefix → [first id, end id). */
  readonly services: ReadonlyMap<string, readonly [number, number]>;
  /** `actions`, lower-cased (IAM matches action names case-insensitively). */
  readonly lowerActions: readonly string[];
  /** Lower-case `service:action` → id. */
  readonly idOf: ReadonlyMap<string, number>;
  readonly size: number;
  /** Memo of patternIds, by lower-cased pattern. */
  readonly patternCache: Map<string, readonly number[]>;
}

export function buildCatalogue(data: IamActionsData): ActionCatalogue {
  const actions: string[] = [];
  const levels: AccessLevel[] = [];
  const services = new Map<string, readonly [number, number]>();
  const idOf = new Map<string, number>();
  const lowerActions: string[] = [];
  // 22,000 actions, indexed by every privilege model: one toLowerCase per service, not two per action.
  for (const [service, names, letters] of data.services) {
    const start = actions.length;
    const list = names.split(' ');
    const lowerService = service.toLowerCase();
    const lowerList = names.toLowerCase().split(' ');
    for (let i = 0; i < list.length; i++) {
      const lower = `${lowerService}:${lowerList[i]!}`;
      idOf.set(lower, actions.length);
      lowerActions.push(lower);
      actions.push(`${service}:${list[i]!}`);
      levels.push(LEVEL_OF_LETTER[letters[i]!] ?? 'Write');
    }
    services.set(lowerService, [start, actions.length]);
  }
  return { source: data.source, actions, levels, services, lowerActions, idOf, size: actions.length, patternCache: new Map() };
}

/** A set of action ids. Immutable by convention: the operations below return new sets. */
export type ActionSet = Uint32Array;

export const emptySet = (c: ActionCatalogue): ActionSet => new Uint32Array((c.size + 31) >>> 5);

export function fullSet(c: ActionCatalogue): ActionSet {
  const s = emptySet(c);
  s.fill(0xffffffff);
  const extra = s.length * 32 - c.size;
  if (extra > 0) s[s.length - 1] = 0xffffffff >>> extra;
  return s;
}

export const has = (s: ActionSet, id: number): boolean => (s[id >>> 5]! & (1 << (id & 31))) !== 0;

export function add(s: ActionSet, id: number): void {
  s[id >>> 5]! |= 1 << (id & 31);
}

export function union(a: ActionSet, b: ActionSet): ActionSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! | b[i]!;
  return out;
}

export function intersect(a: ActionSet, b: ActionSet): ActionSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

export function minus(a: ActionSet, b: ActionSet): ActionSet {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! & ~b[i]!;
  return out;
}

export function complement(c: ActionCatalogue, a: ActionSet): ActionSet {
  return minus(fullSet(c), a);
}

export function count(s: ActionSet): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) n += popCount(s[i]!);
  return n;
}

/** The bits set in one 32-bit word. */
export function popCount(v: number): number {
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function isEmpty(s: ActionSet): boolean {
  for (let i = 0; i < s.length; i++) if (s[i] !== 0) return false;
  return true;
}

export function* ids(s: ActionSet): Generator<number> {
  for (let w = 0; w < s.length; w++) {
    let v = s[w]!;
    while (v !== 0) {
      const bit = 31 - Math.clz32(v & -v);
      yield (w << 5) + bit;
      v &= v - 1;
    }
  }
}

/**
 * IAM's action matching: `*` matches any run of characters, `?` one character, case-insensitive,
 * against `service:action`. A service prefix without wildcards limits the scan to that service;
 * the common `prefix*` form is a string comparison. Ids are memoised per pattern (a few bytes
 * each; a policy like ReadOnlyAccess names about 3,000 patterns).
 */
export function patternIds(c: ActionCatalogue, pattern: string): readonly number[] | 'all' {
  const key = pattern.toLowerCase();
  if (key === '*') return 'all';
  const cached = c.patternCache.get(key);
  if (cached) return cached;
  let out: number[] = [];
  if (!/[*?]/.test(key)) {
    const exact = c.idOf.get(key);
    if (exact !== undefined) out = [exact];
  } else {
    const colon = key.indexOf(':');
    const service = colon < 0 ? undefined : key.slice(0, colon);
    const plainService = service !== undefined && !/[*?]/.test(service);
    const [start, end] = plainService ? (c.services.get(service) ?? [0, 0]) : [0, c.size];
    const rest = key.slice(0, -1);
    const isPrefix = key.endsWith('*') && !/[*?]/.test(rest);
    const re = isPrefix ? undefined : globToRegExp(key);
    for (let id = start; id < end; id++) {
      const name = c.lowerActions[id]!;
      if (re ? re.test(name) : name.startsWith(rest)) out.push(id);
    }
  }
  c.patternCache.set(key, out);
  return out;
}

/** The actions a list of patterns names, as one set. */
export function expandPatterns(c: ActionCatalogue, patterns: readonly string[]): ActionSet {
  const out = emptySet(c);
  for (const p of patterns) {
    const found = patternIds(c, p);
    if (found === 'all') return fullSet(c);
    for (const id of found) add(out, id);
  }
  return out;
}

export const expandPattern = (c: ActionCatalogue, pattern: string): ActionSet => expandPatterns(c, [pattern]);

export function globToRegExp(lowerPattern: string): RegExp {
  const body = lowerPattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export const actionId = (c: ActionCatalogue, action: string): number | undefined => c.idOf.get(action.toLowerCase());
