import { CONTROL_TOWER_PERMISSION_SETS } from '../config/control-tower-defaults.js';
import { nameMatcher } from '../diff/ignore-matcher.js';
import type { CustomerManagedPolicyRef, PermissionSetSpec } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { compactAssignments, type NamedAssignment } from './compact-assignments.js';
import { organizationDocument } from './organization-yaml.js';
import { yamlFile } from './yaml-file.js';

export interface ImportOptions {
  /** external: users and groups come from an IdP (SCIM); the config only names them. */
  readonly identitySource: 'internal' | 'external';
  /** Path from the config directory to the schemas folder, for the editor hint. */
  readonly schemaBase?: string;
  readonly region?: string;
  /** Permission sets other tools own (by default what Control Tower creates): not imported. */
  readonly ignorePermissionSets?: readonly string[];
}

export interface ImportedFile {
  /** Relative to the config directory, `/`-separated. */
  readonly path: string;
  readonly content: string;
}

export interface ImportResult {
  readonly files: readonly ImportedFile[];
  /** What was left out and why (orphans, ignored permission sets, inactive accounts). */
  readonly notes: readonly string[];
  readonly counts: ImportCounts;
}

/** What was written, for the command's one-line summary. */
export interface ImportCounts {
  readonly users: number;
  readonly groups: number;
  readonly permissionSets: number;
  readonly assignments: number;
  readonly rules: number;
}

const DEFAULT_IGNORED_PERMISSION_SETS = CONTROL_TOWER_PERMISSION_SETS;
const AWS_MANAGED_PREFIX = /^arn:aws:iam::aws:policy\//;
export const ORGANIZATION_FILE = 'organization.yaml';

/**
 * Writes a config directory that describes the live state exactly, so that planning it against
 * the same store right away shows no changes. Pure: the caller writes the files.
 */
export function importConfig(live: LiveState, options: ImportOptions): ImportResult {
  const schemas = (options.schemaBase ?? 'schemas').replace(/\/+$/, '');
  const ignoredPatterns = options.ignorePermissionSets ?? DEFAULT_IGNORED_PERMISSION_SETS;
  const ignored = nameMatcher(ignoredPatterns);
  const internal = options.identitySource === 'internal';
  const notes: string[] = [];
  const files: ImportedFile[] = [];
  const section = (path: string, body: unknown) => files.push({ path, content: yamlFile(`${schemas}/config.schema.json`, body) });

  files.push({
    path: 'gatehouse.yaml',
    content: yamlFile(
      `${schemas}/gatehouse.schema.json`,
      {
        version: 1,
        instance: { ...(options.region ? { region: options.region } : {}), identitySource: options.identitySource },
        organization: ORGANIZATION_FILE,
        ownership: { users: 'prune', groups: 'prune', memberships: 'prune', permissionSets: 'prune', assignments: 'prune' },
        ignore: { permissionSets: [...ignoredPatterns] },
      },
      'Imported by `gatehouse import`: the live state as it was, one file per section.',
    ),
  });
  files.push({ path: ORGANIZATION_FILE, content: yamlFile(`${schemas}/organization.schema.json`, organizationDocument(live.organization)) });

  if (internal) {
    section('users.yaml', {
      users: [...live.users]
        .sort((a, b) => compareStrings(a.userName, b.userName))
        .map((u) => ({
          userName: u.userName,
          // A user created through the API or SCIM may lack these; the schema wants none blank.
          ...(u.displayName ? { displayName: u.displayName } : {}),
          ...(u.givenName || u.familyName
            ? { name: { ...(u.givenName ? { given: u.givenName } : {}), ...(u.familyName ? { family: u.familyName } : {}) } }
            : {}),
          ...(u.email ? { email: u.email } : {}),
          ...(u.title ? { title: u.title } : {}),
        })),
    });
    const members = new Map<string, string[]>();
    for (const m of live.memberships) {
      if (m.groupName === undefined || m.userName === undefined) {
        notes.push(`membership ${m.membershipId}: its group or user no longer exists; not imported`);
        continue;
      }
      const list = members.get(m.groupName) ?? [];
      list.push(m.userName);
      members.set(m.groupName, list);
    }
    section('groups.yaml', {
      groups: [...live.groups]
        .sort((a, b) => compareStrings(a.displayName, b.displayName))
        .map((g) => ({
          name: g.displayName,
          ...(g.description ? { description: g.description } : {}),
          members: (members.get(g.displayName) ?? []).sort(compareStrings),
        })),
    });
  }

  const permissionSets = [...live.permissionSets].sort((a, b) => compareStrings(a.name, b.name)).filter((p) => {
    if (!ignored(p.name)) return true;
    notes.push(`permission set ${p.name}: matches ignore.permissionSets; not imported`);
    return false;
  });
  section('permission-sets.yaml', { permissionSets: permissionSets.map((p) => permissionSetEntry(p)) });
  for (const p of permissionSets) {
    if (p.inlinePolicy === undefined) continue;
    files.push({ path: inlinePolicyPath(p.name), content: p.inlinePolicy.endsWith('\n') ? p.inlinePolicy : `${p.inlinePolicy}\n` });
  }

  const accounts = new Map(live.organization.accounts.map((a) => [a.id, a]));
  const named: NamedAssignment[] = [];
  for (const a of live.assignments) {
    const where = `${a.permissionSetName} in ${a.accountId}`;
    if (ignored(a.permissionSetName)) continue;
    if (a.principalName === undefined) {
      notes.push(`assignment of ${where} to ${a.principalType.toLowerCase()} id ${a.principalId}: the principal no longer exists; not imported`);
      continue;
    }
    const account = accounts.get(a.accountId);
    if (account?.status !== undefined && account.status !== 'ACTIVE') {
      notes.push(`assignment of ${where} to ${a.principalName}: the account is ${account.status}; not imported`);
      continue;
    }
    named.push({ principalType: a.principalType, principalName: a.principalName, permissionSetName: a.permissionSetName, accountId: a.accountId });
  }
  const rules = compactAssignments(named, live.organization);
  section('assignments.yaml', {
    assignments: rules.map((r) => ({
      ...(r.groups.length ? { groups: r.groups } : {}),
      ...(r.users.length ? { users: r.users } : {}),
      permissionSets: r.permissionSets,
      ...(r.ous.length ? { ous: r.ous } : {}),
      ...(r.accounts.length ? { accounts: r.accounts } : {}),
    })),
  });

  return {
    files: files.sort((a, b) => compareStrings(a.path, b.path)),
    notes,
    counts: {
      users: internal ? live.users.length : 0,
      groups: internal ? live.groups.length : 0,
      permissionSets: permissionSets.length,
      assignments: named.length,
      rules: rules.length,
    },
  };
}

export const inlinePolicyPath = (permissionSetName: string): string => `policies/${permissionSetName}.json`;

const shortPolicyName = (arn: string): string => arn.replace(AWS_MANAGED_PREFIX, '');

const customerPolicy = (ref: CustomerManagedPolicyRef) => ({ name: ref.name, ...(ref.path && ref.path !== '/' ? { path: ref.path } : {}) });

function permissionSetEntry(p: PermissionSetSpec): Record<string, unknown> {
  const boundary = p.permissionsBoundary;
  return {
    name: p.name,
    ...(p.description ? { description: p.description } : {}),
    sessionDuration: p.sessionDuration,
    ...(p.relayState ? { relayState: p.relayState } : {}),
    ...(p.managedPolicies.length ? { managedPolicies: p.managedPolicies.map(shortPolicyName) } : {}),
    ...(p.customerManagedPolicies.length ? { customerManagedPolicies: p.customerManagedPolicies.map(customerPolicy) } : {}),
    ...(p.inlinePolicy !== undefined ? { inlinePolicy: inlinePolicyPath(p.name) } : {}),
    ...(boundary?.managedPolicyArn
      ? { permissionsBoundary: { managedPolicy: shortPolicyName(boundary.managedPolicyArn) } }
      : boundary?.customerManagedPolicy
        ? { permissionsBoundary: { customerManagedPolicy: customerPolicy(boundary.customerManagedPolicy) } }
        : {}),
    ...(Object.keys(p.tags).length ? { tags: sortedRecord(p.tags) } : {}),
  };
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareStrings(a, b)));
}
