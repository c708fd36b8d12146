import { indexOrganization } from '../expand/organization-index.js';
import type { Account, Organization, PrincipalType } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';

/** A live assignment by names, as import reads it. */
export interface NamedAssignment {
  readonly principalType: PrincipalType;
  readonly principalName: string;
  readonly permissionSetName: string;
  readonly accountId: string;
}

/** An assignment rule as written in assignments.yaml. */
export interface CompactRule {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly permissionSets: readonly string[];
  /** OU paths, each with its descendants. */
  readonly ous: readonly string[];
  /** Account names (ids when a name is ambiguous). */
  readonly accounts: readonly string[];
}

/**
 * Writes thousands of atomic assignments as a few rules a person can review:
 * 1. per (principal, permission set), the set of accounts;
 * 2. principals sharing exactly the same (permission set, accounts) merge into one rule;
 * 3. rules with the same principals and accounts merge their permission sets;
 * 4. the accounts are written as OU subtrees where an OU's whole subtree is covered, the
 *    widest such OU first, and the rest by name.
 * Every step is exact: expanding the rules over the same organisation gives back exactly the
 * input, so a plan right after import is empty. OU targets skip the management account and
 * inactive accounts, as expansion does, so those are always listed by name.
 */
export function compactAssignments(assignments: readonly NamedAssignment[], organization: Organization): CompactRule[] {
  const byPrincipalAndSet = new Map<string, { principalType: PrincipalType; principalName: string; permissionSetName: string; accounts: Set<string> }>();
  for (const a of assignments) {
    const key = `${a.principalType}\u0000${a.principalName}\u0000${a.permissionSetName}`;
    let entry = byPrincipalAndSet.get(key);
    if (!entry) {
      entry = { principalType: a.principalType, principalName: a.principalName, permissionSetName: a.permissionSetName, accounts: new Set() };
      byPrincipalAndSet.set(key, entry);
    }
    entry.accounts.add(a.accountId);
  }

  const byGrant = new Map<string, { permissionSetName: string; accounts: string[]; users: string[]; groups: string[] }>();
  for (const entry of byPrincipalAndSet.values()) {
    const accounts = [...entry.accounts].sort(compareStrings);
    const key = `${entry.permissionSetName}\u0000${accounts.join(',')}`;
    let grant = byGrant.get(key);
    if (!grant) {
      grant = { permissionSetName: entry.permissionSetName, accounts, users: [], groups: [] };
      byGrant.set(key, grant);
    }
    (entry.principalType === 'USER' ? grant.users : grant.groups).push(entry.principalName);
  }

  const byPrincipalsAndAccounts = new Map<string, { users: string[]; groups: string[]; accounts: string[]; permissionSets: string[] }>();
  for (const g of byGrant.values()) {
    const users = g.users.sort(compareStrings);
    const groups = g.groups.sort(compareStrings);
    const key = JSON.stringify([users, groups, g.accounts]);
    const rule = byPrincipalsAndAccounts.get(key);
    if (rule) rule.permissionSets.push(g.permissionSetName);
    else byPrincipalsAndAccounts.set(key, { users, groups, accounts: g.accounts, permissionSets: [g.permissionSetName] });
  }

  const cover = ouCover(organization);
  const rules = [...byPrincipalsAndAccounts.values()].map((r): CompactRule => {
    const { ous, rest } = cover(r.accounts);
    return { users: r.users, groups: r.groups, permissionSets: r.permissionSets.sort(compareStrings), ous, accounts: rest };
  });
  return rules.sort(
    (a, b) =>
      compareStrings(a.permissionSets[0]!, b.permissionSets[0]!) ||
      compareStrings(principalsLabel(a), principalsLabel(b)),
  );
}

const principalsLabel = (r: CompactRule): string => [...r.groups.map((g) => `g:${g}`), ...r.users.map((u) => `u:${u}`)].join(',');

/** Returns a function that splits an account set into whole OU subtrees and leftover accounts. */
function ouCover(organization: Organization): (accountIds: readonly string[]) => { ous: string[]; rest: string[] } {
  const index = indexOrganization(organization);
  const targetable = (a: Account | undefined): boolean =>
    a !== undefined && a.id !== organization.managementAccountId && (a.status === undefined || a.status === 'ACTIVE');
  // OU path → the accounts an OU target would expand to. Where a parent OU expands to the same
  // accounts as its child, the child says more (and grants less to accounts added later
  // elsewhere under the parent). One-account OUs read better as the account's name.
  const deepestPerSet = new Map<string, { path: string; ids: string[] }>();
  for (const [path, all] of index.withDescendants) {
    const ids = all.filter((id) => targetable(index.byId.get(id))).sort(compareStrings);
    if (ids.length < 2) continue;
    const key = ids.join(',');
    const known = deepestPerSet.get(key);
    if (!known || depth(path) > depth(known.path) || (depth(path) === depth(known.path) && compareStrings(path, known.path) < 0)) {
      deepestPerSet.set(key, { path, ids });
    }
  }
  // Widest first, so a rule names /Root/Workloads rather than each OU under it.
  const subtrees = [...deepestPerSet.values()].sort(
    (a, b) => b.ids.length - a.ids.length || compareStrings(a.path, b.path),
  );
  const nameCounts = new Map<string, number>();
  for (const a of organization.accounts) nameCounts.set(a.name, (nameCounts.get(a.name) ?? 0) + 1);
  const label = (id: string): string => {
    const account = index.byId.get(id);
    // A name that is itself 12 digits would be read as an id; a duplicate name is ambiguous.
    return account && nameCounts.get(account.name) === 1 && !/^\d{12}$/.test(account.name) ? account.name : id;
  };

  return (accountIds) => {
    const remaining = new Set(accountIds);
    const ous: string[] = [];
    for (const subtree of subtrees) {
      if (!subtree.ids.every((id) => remaining.has(id))) continue;
      ous.push(subtree.path);
      for (const id of subtree.ids) remaining.delete(id);
    }
    const rest = [...remaining].map(label).sort(compareStrings);
    return { ous: ous.sort(compareStrings), rest };
  };
}

const depth = (path: string): number => path.split('/').length;
