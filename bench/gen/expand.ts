import type { GenAccount, GenOrganization, GenOuTarget, GenRule } from './model.js';

// An independent expansion of assignment rules into (principal, permission set, account)
// tuples, written from docs/format.md and DESIGN.md rather than from src/expand: the benchmark
// compares its count with the product's, so the two must not share code or mistakes.
//
// The rules it follows: targets are accounts ∪ OUs (with descendants unless recursive: false)
// ∪ accounts matching every tag, minus excluded accounts and OUs; the management account is
// reached only when named in `accounts`; suspended accounts cannot be assigned to; a rule whose
// `expires` is at or before `now` grants nothing.

export interface Expander {
  /** Adds a rule's tuples; returns how many were new. */
  add(rule: GenRule): number;
  /** How many active accounts the rule targets (0 makes the validator warn: it grants nothing). */
  targetCount(rule: GenRule): number;
  readonly size: number;
  /** `TYPE:principal|permissionSet|accountId` keys, in first-seen order. */
  keys(): IterableIterator<string>;
}

export function createExpander(organization: GenOrganization, now: Date): Expander {
  const byRef = new Map<string, GenAccount>();
  for (const account of organization.accounts) {
    byRef.set(account.name, account);
    byRef.set(account.id, account);
  }
  const inOu = (target: GenOuTarget): GenAccount[] =>
    organization.accounts.filter((a) =>
      target.recursive ? a.ouPath === target.path || a.ouPath.startsWith(`${target.path}/`) : a.ouPath === target.path,
    );
  const ouCache = new Map<string, GenAccount[]>();
  const cachedInOu = (target: GenOuTarget): GenAccount[] => {
    const key = `${target.recursive}:${target.path}`;
    let hit = ouCache.get(key);
    if (!hit) ouCache.set(key, (hit = inOu(target)));
    return hit;
  };
  const active = (a: GenAccount): boolean => a.status !== 'SUSPENDED';
  const tuples = new Set<string>();

  const targets = (rule: GenRule): Set<string> => {
    const ids = new Set<string>();
    for (const ref of rule.accounts) {
      const account = byRef.get(ref);
      if (account && active(account)) ids.add(account.id);
    }
    const broad = (a: GenAccount): void => {
      if (a.id !== organization.managementAccountId && active(a)) ids.add(a.id);
    };
    for (const ou of rule.ous) cachedInOu(ou).forEach(broad);
    const tagEntries = Object.entries(rule.accountTags);
    if (tagEntries.length > 0) {
      for (const a of organization.accounts) if (tagEntries.every(([k, v]) => a.tags[k] === v)) broad(a);
    }
    for (const ref of rule.exclude.accounts) {
      const account = byRef.get(ref);
      if (account) ids.delete(account.id);
    }
    for (const ou of rule.exclude.ous) for (const a of cachedInOu(ou)) ids.delete(a.id);
    return ids;
  };

  return {
    add(rule) {
      if (rule.expires !== undefined && Date.parse(rule.expires) <= now.getTime()) return 0;
      const before = tuples.size;
      const accountIds = targets(rule);
      const principals = [...rule.users.map((u) => `USER:${u}`), ...rule.groups.map((g) => `GROUP:${g}`)];
      for (const principal of principals) {
        for (const ps of rule.permissionSets) for (const id of accountIds) tuples.add(`${principal}|${ps}|${id}`);
      }
      return tuples.size - before;
    },
    targetCount: (rule) => targets(rule).size,
    get size() {
      return tuples.size;
    },
    keys: () => tuples.values(),
  };
}

export function countExpanded(rules: readonly GenRule[], organization: GenOrganization, now: Date): number {
  const expander = createExpander(organization, now);
  for (const rule of rules) expander.add(rule);
  return expander.size;
}
