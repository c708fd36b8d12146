import type { Account, Organization } from '../model/entities.js';

// Lookups over the organisation, built once per plan so expanding thousands of rules over
// thousands of accounts stays linear (no per-rule scans of the account list).

export const ROOT_PATH = '/Root';

export interface OrganizationIndex {
  readonly managementAccountId: string;
  readonly byId: ReadonlyMap<string, Account>;
  readonly byName: ReadonlyMap<string, Account>;
  /** OU path → ids of the accounts directly in it. */
  readonly direct: ReadonlyMap<string, readonly string[]>;
  /** OU path → ids of the accounts in it or any OU below it. */
  readonly withDescendants: ReadonlyMap<string, readonly string[]>;
  /** `key=value` → ids of the accounts carrying that tag. */
  readonly byTag: ReadonlyMap<string, ReadonlySet<string>>;
  readonly ouPaths: ReadonlySet<string>;
}

export const tagIndexKey = (key: string, value: string): string => `${key}=${value}`;

/** Normalises `/Root/A/` and `/Root//A` to `/Root/A`, so a trailing slash is not a different OU. */
export function normaliseOuPath(path: string): string {
  const parts = path.split('/').filter((p) => p.length > 0);
  return `/${parts.join('/')}`;
}

/** `/Root/A/B` → [`/Root/A/B`, `/Root/A`, `/Root`]. */
function selfAndAncestors(path: string): string[] {
  const parts = normaliseOuPath(path).split('/').filter((p) => p.length > 0);
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
  const byName = new Map<string, Account>();
  const direct = new Map<string, string[]>();
  const withDescendants = new Map<string, string[]>();
  const byTag = new Map<string, Set<string>>();
  const ouPaths = new Set<string>([ROOT_PATH]);
  for (const ou of organization.ous) {
    for (const p of selfAndAncestors(ou.path)) ouPaths.add(p);
  }
  for (const account of organization.accounts) {
    byId.set(account.id, account);
    byName.set(account.name, account);
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

/** An account named in config: a 12-digit id first, then a name. */
export function resolveAccount(index: OrganizationIndex, idOrName: string): Account | undefined {
  return index.byId.get(idOrName) ?? index.byName.get(idOrName);
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
