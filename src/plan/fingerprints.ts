import { createHash, type Hash } from 'node:crypto';
import { canonicalJson, canonicalPolicy } from '../diff/canonical-json.js';
import { permissionSetSpecOf } from '../diff/compare-fields.js';
import type { AssignmentRule, DesiredState, OuTarget } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';

// Two hashes let apply refuse a stale plan (DESIGN.md "Plans, apply, audit"): the desired
// state's meaning, and the live objects the plan was computed from. Both hash one canonical
// line per object, sections in a fixed order and lines sorted, so the order in which files
// were read or a store listed its objects never matters. At the L size these run over
// ~300,000 objects, so lines are fixed-order JSON arrays, not generic canonical JSON.

/** Sorts only when needed: snapshots arrive sorted by natural key, which the line prefix keeps. */
function hashSection(hash: Hash, name: string, lines: string[], unique = false): void {
  let sorted = true;
  for (let i = 1; i < lines.length; i++) {
    if (compareStrings(lines[i - 1]!, lines[i]!) >= 0) {
      sorted = false;
      break;
    }
  }
  if (!sorted) lines.sort(compareStrings);
  const out = unique ? lines.filter((l, i) => i === 0 || l !== lines[i - 1]) : lines;
  hash.update(`${name} ${out.length}\n`);
  hash.update(out.join('\n'));
  hash.update('\n');
}

/** A sort prefix from natural-key fields (NUL keeps field-wise order), then every field as JSON. */
const line = (sortKey: readonly string[], fields: readonly unknown[]): string =>
  `${sortKey.join('\u0000')}\u0000${JSON.stringify(fields)}`;

const opt = (s: string | undefined): string | null => (s === undefined || s === '' ? null : s);

const sortedUnique = (values: readonly string[]): string[] => [...new Set(values)].sort(compareStrings);

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
    expires: rule.expires === undefined ? undefined : normaliseInstant(rule.expires),
    reason: rule.reason,
  });
}

const normaliseInstant = (s: string): string => {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString();
};

/**
 * SHA-256 of the desired state's meaning: sources are left out and every set-like list is
 * sorted, so moving YAML between files or reordering entries keeps the digest.
 */
export function desiredDigest(desired: DesiredState): string {
  const hash = createHash('sha256');
  hash.update(`settings ${canonicalJson(desired.settings)}\n`);
  hashSection(hash, 'users', desired.users.map((u) => line([u.userName], [u.userName, u.displayName, u.givenName, u.familyName, opt(u.email), opt(u.title)])));
  hashSection(hash, 'groups', desired.groups.map((g) => line([g.displayName], [g.displayName, opt(g.description)])));
  hashSection(hash, 'memberships', desired.memberships.map((m) => line([m.groupName, m.userName], [])), true);
  hashSection(
    hash,
    'permissionSets',
    desired.permissionSets.map((p) => {
      const spec = permissionSetSpecOf(p);
      return line([p.name], [canonicalJson({ ...spec, inlinePolicy: canonicalPolicy(spec.inlinePolicy) })]);
    }),
  );
  hash.update(`renames ${canonicalJson(desired.permissionSetRenames)}\n`);
  if (desired.userRenames || desired.groupRenames) {
    hash.update(`principal renames ${canonicalJson({ users: desired.userRenames ?? {}, groups: desired.groupRenames ?? {} })}\n`);
  }
  hashSection(hash, 'assignments', desired.assignments.map(normaliseRule));
  hashSection(
    hash,
    'guardrails',
    desired.guardrails.map((g) => line([g.name], [canonicalJson({ name: g.name, description: g.description, spec: g.spec })])),
  );
  hashSection(hash, 'referencedUsers', desired.referencedUsers.map((u) => line([u], [])), true);
  hashSection(hash, 'referencedGroups', desired.referencedGroups.map((g) => line([g], [])), true);
  return hash.digest('hex');
}

/**
 * Hashes records in natural-key order without building a sorted copy of strings: snapshots
 * arrive sorted (a linear check), others are sorted once. Fields are joined with NUL, which
 * no name, id or ARN contains; an absent field is \u0001, so it differs from ''.
 */
function hashRecords<T>(
  hash: Hash,
  name: string,
  items: readonly T[],
  naturalOrder: (a: T, b: T) => number,
  fields: (t: T) => readonly (string | undefined)[],
): void {
  const encode = (t: T): string => fields(t).map((f) => (f === undefined ? '\u0001' : f)).join('\u0000');
  const compare = (a: T, b: T): number => naturalOrder(a, b) || compareStrings(encode(a), encode(b));
  let ordered = items;
  for (let i = 1; i < items.length; i++) {
    if (compare(items[i - 1]!, items[i]!) > 0) {
      ordered = [...items].sort(compare);
      break;
    }
  }
  hash.update(`${name} ${items.length}\n`);
  let chunk = '';
  for (const item of ordered) {
    chunk += `${encode(item)}\n`;
    if (chunk.length > 65_536) {
      hash.update(chunk);
      chunk = '';
    }
  }
  hash.update(chunk);
}

const by =
  <T>(...keys: ((t: T) => string)[]) =>
  (a: T, b: T): number => {
    for (const key of keys) {
      const c = compareStrings(key(a), key(b));
      if (c !== 0) return c;
    }
    return 0;
  };

/** SHA-256 over every live object the plan read: any change to any of them changes it. */
export function liveFingerprint(live: LiveState): string {
  const hash = createHash('sha256');
  const org = live.organization;
  hash.update(`${JSON.stringify([live.instanceArn, live.identityStoreId, org.managementAccountId])}\n`);
  hashRecords(hash, 'ous', org.ous, by((o) => o.path), (o) => [o.path, o.id, o.name]);
  // An absent status means ACTIVE (model/entities.ts): the organisation file leaves it out and the
  // embedded store keeps it, so plan (reading the file) and apply (reading the store) would
  // otherwise fingerprint one organisation two ways, and a refused saved plan would blame the live
  // state for a change nobody made.
  hashRecords(hash, 'accounts', org.accounts, by((a) => a.id), (a) => [a.id, canonicalJson({ ...a, status: a.status ?? 'ACTIVE' })]);
  hashRecords(hash, 'users', live.users, by((u) => u.userName), (u) => [
    u.userName,
    u.id,
    u.displayName,
    u.givenName,
    u.familyName,
    u.email,
    u.title,
  ]);
  hashRecords(hash, 'groups', live.groups, by((g) => g.displayName), (g) => [g.displayName, g.id, g.description]);
  hashRecords(
    hash,
    'memberships',
    live.memberships,
    by((m) => m.groupName ?? '', (m) => m.userName ?? '', (m) => m.membershipId),
    (m) => [m.groupName, m.userName, m.membershipId, m.groupId, m.userId],
  );
  hashRecords(hash, 'permissionSets', live.permissionSets, by((p) => p.name), (p) => [p.name, canonicalJson(p)]);
  hashRecords(
    hash,
    'assignments',
    live.assignments,
    by(
      (a) => a.principalType,
      (a) => a.principalName ?? a.principalId,
      (a) => a.permissionSetName,
      (a) => a.accountId,
    ),
    (a) => [a.principalType, a.principalName, a.principalId, a.permissionSetName, a.permissionSetArn, a.accountId],
  );
  hashRecords(
    hash,
    'provisioning',
    live.provisioning,
    by((p) => p.permissionSetName, (p) => p.accountId),
    (p) => [p.permissionSetName, p.accountId, p.status],
  );
  return hash.digest('hex');
}

/**
 * SHA-256 of a plan's changes in canonical form, wave by wave: what a reviewer approved. Apply
 * recomputes it from the changes themselves (never from a digest a file carries) and from a
 * fresh plan, and applies only when the two agree.
 */
export function changesDigest(waves: readonly { readonly index: number; readonly changes: readonly unknown[] }[]): string {
  const hash = createHash('sha256');
  for (const wave of waves) {
    hash.update(`wave ${wave.index} ${wave.changes.length}\n`);
    for (const change of wave.changes) hash.update(`${canonicalJson(change)}\n`);
  }
  return hash.digest('hex');
}
