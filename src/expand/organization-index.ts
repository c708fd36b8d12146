import type { Account, Organization } from '../model/entities.js';

// Lookups over the organisation, built once per plan so expanding thousands of rules over
// thousands of accounts stays linear (no per-rule scans of the account list).

export const ROOT_PATH = '/Root';

export interface OrganizationIndex {
  readonly managementAccountId: string;
  readonly byId: ReadonlyMap<string, Account>;
  /** Account names are not unique in AWS Organizations: a name can stand for several accounts. */
  readonly byName: ReadonlyMap<string, readonly Account[]>;
  /** OU path → ids of the accounts directly in it. */
  readonly direct: ReadonlyMap<string, readonly string[]>;
  /** OU path → ids of the accounts in it or any OU below it. */
  readonly withDescendants: ReadonlyMap<string, readonly string[]>;
  /** `key=value` → ids of the accounts carrying that tag. */
  readonly byTag: ReadonlyMap<string, ReadonlySet<string>>;
  readonly ouPaths: ReadonlySet<string>;
}

export const tagIndexKey = (key: string, value: string): string => `${key}=${value}`;

/**
 * The segments of an OU path. AWS allows `/` in an OU name (the OrganizationalUnitName pattern
 * is `[\s\S]*`), so a path writes a `/` inside a name as `\/` (and a backslash as `\\`);
 * only an unescaped `/` separates segments, so `/Root/A\/B` is one OU named `A/B` under the
 * root and never the OU `B` under `A`. Segments are returned still escaped.
 */
export function ouPathSegments(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      current += c + path[i + 1]!;
      i++;
    } else if (c === '/') {
      if (current.length > 0) parts.push(current);
      current = '';
    } else current += c;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** An OU name as one path segment: `/` and `\` escaped, so the path stays unambiguous. */
export const escapeOuName = (name: string): string => name.replace(/[\\/]/g, (c) => `\\${c}`);

/** Normalises `/Root/A/` and `/Root//A` to `/Root/A`, so a trailing slash is not a different OU. */
export function normaliseOuPath(path: string): string {
  return `/${ouPathSegments(path).join('/')}`;
}

/** `/Root/A/B` → [`/Root/A/B`, `/Root/A`, `/Root`]. */
function selfAndAncestors(path: string): string[] {
  const parts = ouPathSegments(path);
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) out.push(`/${parts.slice(0, n).join('/')}`);
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function indexOrganization(organization: Organization): OrganizationIndex {
  const byId = new Map<string, Account>();
  const byName = new Map<string, Account[]>();
  const direct = new Map<string, string[]>();
  const withDescendants = new Map<string, string[]>();
  const byTag = new Map<string, Set<string>>();
  const ouPaths = new Set<string>([ROOT_PATH]);
  for (const ou of organization.ous) {
    for (const p of selfAndAncestors(ou.path)) ouPaths.add(p);
  }
  for (const account of organization.accounts) {
    byId.set(account.id, account);
    push(byName, account.name, account);
    const ouPath = normaliseOuPath(account.ouPath);
    push(direct, ouPath, account.id);
    for (const p of selfAndAncestors(ouPath)) {
      ouPaths.add(p);
      push(withDescendants, p, account.id);
    }
    for (const [key, value] of Object.entries(account.tags)) {
      const k = tagIndexKey(key, value);
      const set = byTag.get(k);
      if (set) set.add(account.id);
      else byTag.set(k, new Set([account.id]));
    }
  }
  return {
    managementAccountId: organization.managementAccountId,
    byId,
    byName,
    direct,
    withDescendants,
    byTag,
    ouPaths,
  };
}

export type AccountResolution =
  | { readonly kind: 'found'; readonly account: Account }
  | { readonly kind: 'ambiguous'; readonly accounts: readonly Account[] }
  | { readonly kind: 'unknown' };

/**
 * An account named in config: a 12-digit id first, then a name. A name several accounts share
 * is ambiguous (AWS Organizations does not keep names unique), never silently one of them.
 */
export function resolveAccountRef(index: OrganizationIndex, idOrName: string): AccountResolution {
  const byId = index.byId.get(idOrName);
  if (byId) return { kind: 'found', account: byId };
  const named = index.byName.get(idOrName) ?? [];
  if (named.length === 1) return { kind: 'found', account: named[0]! };
  if (named.length > 1) return { kind: 'ambiguous', accounts: named };
  return { kind: 'unknown' };
}

/** The one account an id or name stands for; undefined when unknown or ambiguous. */
export function resolveAccount(index: OrganizationIndex, idOrName: string): Account | undefined {
  const r = resolveAccountRef(index, idOrName);
  return r.kind === 'found' ? r.account : undefined;
}

export function accountsInOu(index: OrganizationIndex, path: string, recursive: boolean): readonly string[] {
  const p = normaliseOuPath(path);
  return (recursive ? index.withDescendants.get(p) : index.direct.get(p)) ?? [];
}

/** Accounts carrying every listed tag (AND); starts from the rarest tag to keep it cheap. */
export function accountsWithTags(
  index: OrganizationIndex,
  tags: Readonly<Record<string, string>>,
): readonly string[] {
  const sets: ReadonlySet<string>[] = [];
  for (const [key, value] of Object.entries(tags)) {
    const set = index.byTag.get(tagIndexKey(key, value));
    if (!set) return [];
    sets.push(set);
  }
  if (sets.length === 0) return [];
  sets.sort((a, b) => a.size - b.size);
  const [smallest, ...rest] = sets as [ReadonlySet<string>, ...ReadonlySet<string>[]];
  const out: string[] = [];
  for (const id of smallest) if (rest.every((s) => s.has(id))) out.push(id);
  return out;
}
