import type { CustomerManagedPolicyRef, GroupSpec, Membership, PermissionSetSpec, UserSpec } from '../model/entities.js';
import type { AssignmentRule, DesiredState, GuardrailRule, OuTarget, Settings } from '../model/desired.js';
import type { CustomerManagedPolicy, OuTargetInput } from '../model/generated/config.js';
import { compareStrings, groupKey, managedPolicyArn, membershipKey, permissionSetKey, userKey } from '../model/keys.js';
import { partitionOf } from '../model/partition.js';
import { DeferredSourceMap, type SourcedEntity } from './deferred-sources.js';
import type { ConfigEntries } from './entries.js';

/**
 * Turns validated entries into the DesiredState the planner compares: defaults filled in,
 * policy names expanded to ARNs, lists sorted and de-duplicated, positions kept in `sources`
 * (looked up only when asked for: see DeferredSourceMap).
 */
export function normalizeEntries(entries: ConfigEntries, settings: Settings): DesiredState {
  const sourced: SourcedEntity[] = [];

  // Without instance.region, names expand in the commercial partition: GovCloud and China
  // configs must name their region (README "Regions").
  const partition = partitionOf(settings.region ?? 'us-east-1');
  const userRenames: Record<string, string> = {};
  const users: UserSpec[] = entries.users.map((entry) => {
    const u = entry.value;
    sourced.push({ key: userKey(u.userName), entry });
    if (u.renamedFrom !== undefined) userRenames[u.renamedFrom] = u.userName;
    // A user created outside Gatehouse may have no display or given/family name: '' is absent.
    return {
      userName: u.userName,
      displayName: u.displayName ?? '',
      givenName: u.name?.given ?? '',
      familyName: u.name?.family ?? '',
      ...(u.email !== undefined && { email: u.email }),
      ...(u.title !== undefined && { title: u.title }),
    };
  });

  const groupRenames: Record<string, string> = {};
  const memberships: Membership[] = [];
  const groups: GroupSpec[] = entries.groups.map((entry) => {
    const g = entry.value;
    sourced.push({ key: groupKey(g.name), entry, ...(g.members && { group: { name: g.name, members: g.members } }) });
    if (g.renamedFrom !== undefined) groupRenames[g.renamedFrom] = g.name;
    for (const userName of g.members ?? []) memberships.push({ groupName: g.name, userName });
    return { displayName: g.name, ...(g.description !== undefined && { description: g.description }) };
  });

  const permissionSetRenames: Record<string, string> = {};
  const permissionSets: PermissionSetSpec[] = entries.permissionSets.map((entry) => {
    const p = entry.value;
    sourced.push({ key: permissionSetKey(p.name), entry });
    if (p.renamedFrom !== undefined) permissionSetRenames[p.renamedFrom] = p.name;
    const boundary = p.permissionsBoundary;
    return {
      name: p.name,
      ...(p.description !== undefined && { description: p.description }),
      sessionDuration: p.sessionDuration ?? 'PT1H',
      ...(p.relayState !== undefined && { relayState: p.relayState }),
      managedPolicies: sortedUnique((p.managedPolicies ?? []).map((m) => managedPolicyArn(m, partition))),
      customerManagedPolicies: sortedRefs((p.customerManagedPolicies ?? []).map(policyRef)),
      ...(entry.inlinePolicy !== undefined && { inlinePolicy: JSON.stringify(entry.inlinePolicy.document, null, 2) }),
      ...(boundary !== undefined && {
        permissionsBoundary: boundary.customerManagedPolicy
          ? { customerManagedPolicy: policyRef(boundary.customerManagedPolicy) }
          : { managedPolicyArn: managedPolicyArn(boundary.managedPolicy!, partition) },
      }),
      tags: sortedRecord(p.tags ?? {}),
    };
  });

  const external = settings.identitySource === 'external';
  const referencedUsers = new Set<string>();
  const referencedGroups = new Set<string>();
  const assignments: AssignmentRule[] = entries.assignments.map((entry) => {
    const a = entry.value;
    const recursive = a.recursive ?? true;
    if (external) {
      a.users?.forEach((u) => referencedUsers.add(u));
      a.groups?.forEach((g) => referencedGroups.add(g));
    }
    return {
      users: sortedUnique(a.users ?? []),
      groups: sortedUnique(a.groups ?? []),
      permissionSets: sortedUnique(a.permissionSets),
      accounts: sortedUnique(a.accounts ?? []),
      ous: sortedOus((a.ous ?? []).map((o) => ouTarget(o, recursive))),
      accountTags: sortedRecord(a.accountTags ?? {}),
      exclude: {
        accounts: sortedUnique(a.exclude?.accounts ?? []),
        ous: sortedOus((a.exclude?.ous ?? []).map((o) => ouTarget(o, true))),
      },
      ...(a.expires !== undefined && { expires: a.expires }),
      ...(a.reason !== undefined && { reason: a.reason }),
      source: entry.at(),
      ...(entry.position !== undefined && { position: entry.position }),
    };
  });

  const guardrails: GuardrailRule[] = entries.guardrails.map((entry) => {
    const { name, description } = entry.value;
    return { name, ...(description !== undefined && { description }), spec: entry.value as unknown as Record<string, unknown>, source: entry.at() };
  });

  return {
    settings,
    users: sortedBy(users, (u) => u.userName),
    groups: sortedBy(groups, (g) => g.displayName),
    memberships: sortedMemberships(memberships),
    permissionSets: sortedBy(permissionSets, (p) => p.name),
    permissionSetRenames,
    ...(Object.keys(userRenames).length > 0 && { userRenames }),
    ...(Object.keys(groupRenames).length > 0 && { groupRenames }),
    assignments,
    guardrails,
    referencedUsers: [...referencedUsers].sort(compareStrings),
    referencedGroups: [...referencedGroups].sort(compareStrings),
    sources: new DeferredSourceMap(sourced),
  };
}

const policyRef = (ref: CustomerManagedPolicy): CustomerManagedPolicyRef => ({ name: ref.name, path: ref.path ?? '/' });

const ouTarget = (ou: OuTargetInput, recursive: boolean): OuTarget =>
  typeof ou === 'string' ? { path: ou, recursive } : { path: ou.path, recursive: ou.recursive ?? true };

const sortedUnique = (list: readonly string[]): string[] => [...new Set(list)].sort();

const sortedRecord = (record: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));

const sortedRefs = (refs: CustomerManagedPolicyRef[]): CustomerManagedPolicyRef[] =>
  uniqueBy(refs, (r) => `${r.path}\u0000${r.name}`);

const sortedOus = (ous: OuTarget[]): OuTarget[] => uniqueBy(ous, (o) => `${o.path}\u0000${o.recursive}`);

/**
 * Unique, sorted by membershipKey (byte-wise). Sorting 221k keys with their long common prefix
 * takes ~200 ms, so sort the groups, then the members of each: the same order, because two keys
 * of different groups compare as `group|` does — unless a group's name starts with another
 * group's name and `|`, when the whole keys are sorted.
 */
function sortedMemberships(memberships: readonly Membership[]): Membership[] {
  const byGroup = new Map<string, Map<string, Membership>>();
  for (const m of memberships) {
    let members = byGroup.get(m.groupName);
    if (!members) byGroup.set(m.groupName, (members = new Map()));
    if (!members.has(m.userName)) members.set(m.userName, m);
  }
  const groups = [...byGroup.keys()];
  const prefixed = groups.some((g) => {
    for (let i = g.indexOf('|'); i !== -1; i = g.indexOf('|', i + 1)) if (byGroup.has(g.slice(0, i))) return true;
    return false;
  });
  if (prefixed) return uniqueBy(memberships, (m) => membershipKey(m.groupName, m.userName));
  const out: Membership[] = [];
  for (const group of groups.map((g) => `${g}|`).sort()) {
    const members = byGroup.get(group.slice(0, -1))!;
    for (const userName of [...members.keys()].sort()) out.push(members.get(userName)!);
  }
  return out;
}

/** Sorted by key, byte-wise; with unique keys (the rules made sure) by the native sort. */
function sortedBy<T>(items: T[], key: (t: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  if (byKey.size !== items.length) return items.sort((a, b) => compareStrings(key(a), key(b)));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/** Sorted by key (byte-wise), first of each key kept. */
function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (!seen.has(k)) seen.set(k, item);
  }
  // sort() without a comparator orders by UTF-16 code units like compareStrings, natively (221k
  // memberships at the L benchmark size).
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}
