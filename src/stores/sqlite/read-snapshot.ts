import type { PermissionSetRow as EnginePermissionSetRow } from '../identity-center/permission-sets.js';
import type Database from 'better-sqlite3';
import type { Organization } from '../../model/entities.js';
import { presentText } from '../../model/blank-text.js';
import { compareStrings } from '../../model/keys.js';
import type {
  LiveAssignment,
  LiveGroup,
  LiveMembership,
  LivePermissionSet,
  LiveProvisioning,
  LiveState,
  LiveUser,
} from '../../model/live.js';
import type { InstanceInfo } from '../identity-center/context.js';
import { STILL_PROVISIONED } from '../identity-center/schema.js';
import type { SnapshotOptions } from '../live-store.js';

// The embedded store reads its own tables directly: a handful of queries in one read
// transaction (a consistent view under WAL), instead of the thousands of paged API calls the
// AWS store needs. Names are joined in memory and large lists sorted by rank (see Names).
// Principal and permission set lists come ordered by SQLite (byte order of UTF-8); JavaScript's
// order of UTF-16 code units differs only beyond U+FFFF, so they are checked in one pass and
// re-sorted only then.

function sortedBy<T>(items: T[], key: (t: T) => string): T[] {
  for (let i = 1; i < items.length; i++) {
    if (compareStrings(key(items[i - 1]!), key(items[i]!)) > 0) return items.sort((a, b) => compareStrings(key(a), key(b)));
  }
  return items;
}

interface UserRow {
  id: string;
  user_name: string;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  title: string | null;
}

function readUsers(db: Database.Database): LiveUser[] {
  const rows = db.prepare('SELECT id, user_name, display_name, given_name, family_name, email, title FROM ids_users ORDER BY user_name').all() as UserRow[];
  return sortedBy(
    rows.map((r) => ({
      id: r.id,
      userName: r.user_name,
      displayName: r.display_name ?? '',
      givenName: r.given_name ?? '',
      familyName: r.family_name ?? '',
      ...(r.email !== null ? { email: r.email } : {}),
      ...(r.title !== null ? { title: r.title } : {}),
    })),
    (u) => u.userName,
  );
}

function readGroups(db: Database.Database): LiveGroup[] {
  const rows = db.prepare('SELECT id, display_name, description FROM ids_groups ORDER BY display_name').all() as {
    id: string;
    display_name: string;
    description: string | null;
  }[];
  return sortedBy(
    rows.map((r) => ({ id: r.id, displayName: r.display_name, ...(r.description !== null ? { description: r.description } : {}) })),
    (g) => g.displayName,
  );
}

/**
 * id → name and rank (position in the sorted list) of every user, group and permission set:
 * joining in memory beats 250k index lookups, and sorting by rank compares numbers, not strings.
 */
interface Named {
  readonly name: string;
  readonly rank: number;
}

interface Names {
  readonly users: ReadonlyMap<string, Named>;
  readonly groups: ReadonlyMap<string, Named>;
  readonly permissionSets: ReadonlyMap<string, Named>;
}

const ranked = <T>(items: readonly T[], id: (t: T) => string, name: (t: T) => string): Map<string, Named> =>
  new Map(items.map((t, rank) => [id(t), { name: name(t), rank }]));

function readMemberships(db: Database.Database, names: Names): LiveMembership[] {
  const rows = db.prepare('SELECT id, group_id, user_id FROM ids_memberships').raw().all() as [string, string, string][];
  const entries = rows.map(([membershipId, groupId, userId]) => {
    const group = names.groups.get(groupId)!;
    const user = names.users.get(userId)!;
    return { group: group.rank, user: user.rank, m: { membershipId, groupId, userId, groupName: group.name, userName: user.name } };
  });
  return entries.sort((a, b) => a.group - b.group || a.user - b.user).map((e) => e.m);
}

/** The columns the snapshot selects of the engine's permission set row. */
type PermissionSetRow = Omit<EnginePermissionSetRow, 'created_at' | 'version'>;

function groupByArn<R extends { arn: string }>(rows: readonly R[]): Map<string, R[]> {
  const out = new Map<string, R[]>();
  for (const r of rows) {
    const list = out.get(r.arn);
    if (list) list.push(r);
    else out.set(r.arn, [r]);
  }
  return out;
}

function readPermissionSets(db: Database.Database): LivePermissionSet[] {
  const rows = db.prepare('SELECT * FROM sso_permission_sets ORDER BY name').all() as PermissionSetRow[];
  const managed = groupByArn(db.prepare('SELECT permission_set_arn AS arn, policy_arn FROM sso_managed_policies').all() as { arn: string; policy_arn: string }[]);
  const customer = groupByArn(db.prepare('SELECT permission_set_arn AS arn, path, name FROM sso_customer_policies').all() as { arn: string; path: string; name: string }[]);
  const tags = groupByArn(db.prepare('SELECT resource_arn AS arn, key, value FROM sso_tags').all() as { arn: string; key: string; value: string }[]);
  return sortedBy(
    rows.map((p): LivePermissionSet => ({
      arn: p.arn,
      name: p.name,
      ...(presentText(p.description) !== undefined ? { description: p.description! } : {}),
      sessionDuration: p.session_duration,
      ...(presentText(p.relay_state) !== undefined ? { relayState: p.relay_state! } : {}),
      managedPolicies: (managed.get(p.arn) ?? []).map((m) => m.policy_arn).sort(compareStrings),
      customerManagedPolicies: (customer.get(p.arn) ?? [])
        .map((c) => ({ name: c.name, path: c.path }))
        .sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.name, b.name)),
      ...(p.inline_policy !== null ? { inlinePolicy: p.inline_policy } : {}),
      ...(p.boundary_managed_arn !== null
        ? { permissionsBoundary: { managedPolicyArn: p.boundary_managed_arn } }
        : p.boundary_customer_name !== null
          ? { permissionsBoundary: { customerManagedPolicy: { name: p.boundary_customer_name, path: p.boundary_customer_path ?? '/' } } }
          : {}),
      tags: Object.fromEntries((tags.get(p.arn) ?? []).map((t) => [t.key, t.value]).sort((a, b) => compareStrings(a[0]!, b[0]!))),
    })),
    (p) => p.name,
  );
}

interface RankedAssignment {
  readonly type: number;
  /** -1 for an orphan: an empty name sorts first. */
  readonly principal: number;
  readonly permissionSet: number;
  readonly a: LiveAssignment;
}

const compareRanked = (x: RankedAssignment, y: RankedAssignment): number =>
  x.type - y.type ||
  x.principal - y.principal ||
  x.permissionSet - y.permissionSet ||
  compareStrings(x.a.accountId, y.a.accountId) ||
  compareStrings(x.a.principalId, y.a.principalId);

function readAssignments(db: Database.Database, names: Names, scope: readonly string[] | undefined): LiveAssignment[] {
  // A covering scan of the assignment table; names are joined in memory (see Names).
  const rows = db
    .prepare('SELECT principal_type, principal_id, permission_set_arn, account_id FROM sso_assignments')
    .raw()
    .all() as [string, string, string, string][];
  const inScope = scope ? new Set(scope) : undefined;
  const out: RankedAssignment[] = [];
  for (const [type, id, arn, account] of rows) {
    const permissionSet = names.permissionSets.get(arn)!;
    if (inScope && !inScope.has(permissionSet.name)) continue;
    const principal = type === 'USER' ? names.users.get(id) : names.groups.get(id);
    out.push({
      type: type === 'GROUP' ? 0 : 1,
      principal: principal?.rank ?? -1,
      permissionSet: permissionSet.rank,
      a: {
        principalType: type as 'USER' | 'GROUP',
        principalId: id,
        ...(principal !== undefined ? { principalName: principal.name } : {}),
        permissionSetArn: arn,
        permissionSetName: permissionSet.name,
        accountId: account,
      },
    });
  }
  return out.sort(compareRanked).map((r) => r.a);
}

function readProvisioning(db: Database.Database, names: Names, versions: ReadonlyMap<string, number>, scope: readonly string[] | undefined, now: number): LiveProvisioning[] {
  // As the API lists them: a pair whose deprovisioning has finished is gone (the engine drops
  // its row at its next write).
  const rows = db.prepare(`SELECT permission_set_arn, account_id, version FROM sso_provisioned WHERE ${STILL_PROVISIONED}`).raw().all(now) as [string, string, number][];
  const inScope = scope ? new Set(scope) : undefined;
  const out: { rank: number; p: LiveProvisioning }[] = [];
  for (const [arn, accountId, version] of rows) {
    const permissionSet = names.permissionSets.get(arn)!;
    if (inScope && !inScope.has(permissionSet.name)) continue;
    out.push({
      rank: permissionSet.rank,
      p: {
        permissionSetName: permissionSet.name,
        accountId,
        status: version === versions.get(arn) ? 'LATEST_PERMISSION_SET_PROVISIONED' : 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
      },
    });
  }
  return out.sort((a, b) => a.rank - b.rank || compareStrings(a.p.accountId, b.p.accountId)).map((e) => e.p);
}

const permissionSetVersions = (db: Database.Database): Map<string, number> =>
  new Map(db.prepare('SELECT arn, version FROM sso_permission_sets').raw().all() as [string, number][]);

/** `now` is the engine's clock (IdentityCenterEngine.now), which decides when deprovisioning is done. */
export function readSnapshot(db: Database.Database, instance: InstanceInfo, organization: Organization, options: SnapshotOptions = {}, now = Date.now()): LiveState {
  return db.transaction((): LiveState => {
    const users = readUsers(db);
    const groups = readGroups(db);
    const permissionSets = readPermissionSets(db);
    const names: Names = {
      users: ranked(users, (u) => u.id, (u) => u.userName),
      groups: ranked(groups, (g) => g.id, (g) => g.displayName),
      permissionSets: ranked(permissionSets, (p) => p.arn, (p) => p.name),
    };
    return {
      instanceArn: instance.instanceArn,
      identityStoreId: instance.identityStoreId,
      organization,
      users,
      groups,
      memberships: readMemberships(db, names),
      permissionSets,
      assignments: readAssignments(db, names, options.permissionSetNames),
      provisioning: readProvisioning(db, names, permissionSetVersions(db), options.permissionSetNames, now),
    };
  }).deferred();
}
