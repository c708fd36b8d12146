import { createHash } from 'node:crypto';
import { canonicalJson, canonicalPolicy } from '../diff/canonical-json.js';
import { groupSpecOf, permissionSetSpecOf, userSpecOf } from '../diff/compare-fields.js';
import type { AssignmentRule, DesiredState, OuTarget } from '../model/desired.js';
import { compareStrings, membershipKey } from '../model/keys.js';
import type { LiveState } from '../model/live.js';

// Two hashes let apply refuse a stale plan (DESIGN.md "Plans, apply, audit"): the desired
// state's meaning, and the live objects the plan was computed from.

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort(compareStrings);

const byKey = <T>(items: readonly T[], key: (t: T) => string): T[] =>
  items
    .map((item) => ({ k: key(item), item }))
    .sort((a, b) => compareStrings(a.k, b.k))
    .map((x) => x.item);

const ous = (targets: readonly OuTarget[]): string[] =>
  sortedUnique(targets.map((o) => `${o.path}${o.recursive ? '' : '#direct'}`));

function normaliseRule(rule: AssignmentRule): string {
  return canonicalJson({
    users: sortedUnique(rule.users),
    groups: sortedUnique(rule.groups),
    permissionSets: sortedUnique(rule.permissionSets),
    accounts: sortedUnique(rule.accounts),
    ous: ous(rule.ous),
    accountTags: rule.accountTags,
    exclude: { accounts: sortedUnique(rule.exclude.accounts), ous: ous(rule.exclude.ous) },
    expires: rule.expires === undefined ? undefined : new Date(Date.parse(rule.expires)).toISOString(),
    reason: rule.reason,
  });
}

/**
 * SHA-256 of the desired state's meaning: sources are left out and every set-like list is
 * sorted, so moving YAML between files or reordering entries keeps the digest.
 */
export function desiredDigest(desired: DesiredState): string {
  const normalised = {
    settings: desired.settings,
    users: byKey(desired.users, (u) => u.userName).map(userSpecOf),
    groups: byKey(desired.groups, (g) => g.displayName).map(groupSpecOf),
    memberships: sortedUnique(desired.memberships.map((m) => membershipKey(m.groupName, m.userName))),
    permissionSets: byKey(desired.permissionSets, (p) => p.name).map((p) => {
      const spec = permissionSetSpecOf(p);
      return { ...spec, inlinePolicy: canonicalPolicy(spec.inlinePolicy) };
    }),
    permissionSetRenames: desired.permissionSetRenames,
    assignments: desired.assignments.map(normaliseRule).sort(compareStrings),
    guardrails: byKey(desired.guardrails, (g) => g.name).map((g) => ({
      name: g.name,
      description: g.description,
      spec: g.spec,
    })),
    referencedUsers: sortedUnique(desired.referencedUsers),
    referencedGroups: sortedUnique(desired.referencedGroups),
  };
  return sha256(canonicalJson(normalised));
}

/**
 * SHA-256 over every live object the plan read, one canonical line per object in sorted
 * order. Snapshots are already sorted, so the sort is usually a linear check.
 */
export function liveFingerprint(live: LiveState): string {
  const hash = createHash('sha256');
  const section = (name: string, lines: string[]): void => {
    if (!isSorted(lines)) lines.sort(compareStrings);
    hash.update(`${name} ${lines.length}\n`);
    for (const line of lines) hash.update(`${line}\n`);
  };
  hash.update(`${JSON.stringify([live.instanceArn, live.identityStoreId])}\n`);
  const org = live.organization;
  section('management', [JSON.stringify(org.managementAccountId)]);
  section('ous', org.ous.map((o) => JSON.stringify([o.path, o.id, o.name])));
  section('accounts', org.accounts.map((a) => canonicalJson(a)));
  section('users', live.users.map((u) => canonicalJson(u)));
  section('groups', live.groups.map((g) => canonicalJson(g)));
  section(
    'memberships',
    live.memberships.map((m) => JSON.stringify([m.groupName ?? '', m.userName ?? '', m.groupId, m.userId, m.membershipId])),
  );
  section('permissionSets', live.permissionSets.map((p) => canonicalJson(p)));
  section(
    'assignments',
    live.assignments.map((a) =>
      JSON.stringify([a.principalType, a.principalName ?? '', a.permissionSetName, a.accountId, a.principalId, a.permissionSetArn]),
    ),
  );
  section('provisioning', live.provisioning.map((p) => JSON.stringify([p.permissionSetName, p.accountId, p.status])));
  return hash.digest('hex');
}

function isSorted(lines: readonly string[]): boolean {
  for (let i = 1; i < lines.length; i++) if (compareStrings(lines[i - 1]!, lines[i]!) > 0) return false;
  return true;
}
