import type Database from 'better-sqlite3';
import type { Organization } from '../../model/entities.js';
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
import type { SnapshotOptions } from '../live-store.js';

// The embedded store reads its own tables directly: a handful of queries in one read
// transaction (a consistent view under WAL), instead of the thousands of paged API calls the
// AWS store needs. Rows come ordered by SQLite (byte order of UTF-8); JavaScript's order of
// UTF-16 code units differs only for characters beyond U+FFFF, so each list is checked in one
// pass and re-sorted only then.

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

function readMemberships(db: Database.Database): LiveMembership[] {
  const rows = db
    .prepare(
      `SELECT m.id, m.group_id, m.user_id, g.display_name AS group_name, u.user_name
       FROM ids_memberships m JOIN ids_groups g ON g.id = m.group_id JOIN ids_users u ON u.id = m.user_id
       ORDER BY g.display_name, u.user_name`,
    )
    .all() as { id: string; group_id: string; user_id: string; group_name: string; user_name: string }[];
  return sortedBy(
    rows.map((r) => ({ membershipId: r.id, groupId: r.group_id, userId: r.user_id, groupName: r.group_name, userName: r.user_name })),
    (m) => `${m.groupName}\u0000${m.userName}`,
  );
}

interface PermissionSetRow {
  arn: string;
  name: string;
  description: string | null;
  session_duration: string;
  relay_state: string | null;
  inline_policy: string | null;
  boundary_managed_arn: string | null;
  boundary_customer_name: string | null;
  boundary_customer_path: string | null;
}

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
      ...(p.description !== null ? { description: p.description } : {}),
      sessionDuration: p.session_duration,
      ...(p.relay_state !== null ? { relayState: p.relay_state } : {}),
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

/** `json_each(?)` over the scope's names, or every permission set when there is no scope. */
const SCOPE = `(? IS NULL OR ps.name IN (SELECT value FROM json_each(?)))`;

const assignmentKey = (a: LiveAssignment): string =>
  `${a.principalType}\u0000${a.principalName ?? ''}\u0000${a.permissionSetName}\u0000${a.accountId}\u0000${a.principalId}`;

function readAssignments(db: Database.Database, scope: string | null): LiveAssignment[] {
  const rows = db
    .prepare(
      `SELECT a.principal_type AS type, a.principal_id AS id, a.account_id AS account, ps.arn, ps.name AS ps_name,
              CASE a.principal_type WHEN 'USER' THEN u.user_name ELSE g.display_name END AS principal_name
       FROM sso_assignments a
       JOIN sso_permission_sets ps ON ps.arn = a.permission_set_arn
       LEFT JOIN ids_users u ON a.principal_type = 'USER' AND u.id = a.principal_id
       LEFT JOIN ids_groups g ON a.principal_type = 'GROUP' AND g.id = a.principal_id
       WHERE ${SCOPE}
       ORDER BY a.principal_type, coalesce(principal_name, ''), ps.name, a.account_id, a.principal_id`,
    )
    .raw()
    .all(scope, scope) as [string, string, string, string, string, string | null][];
  const out: LiveAssignment[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const [type, id, account, arn, psName, principalName] = rows[i]!;
    out[i] = {
      principalType: type as 'USER' | 'GROUP',
      principalId: id,
      ...(principalName !== null ? { principalName } : {}),
      permissionSetArn: arn,
      permissionSetName: psName,
      accountId: account,
    };
  }
  return sortedBy(out, assignmentKey);
}

function readProvisioning(db: Database.Database, scope: string | null): LiveProvisioning[] {
  const rows = db
    .prepare(
      `SELECT ps.name, pr.account_id, pr.version = ps.version AS latest
       FROM sso_provisioned pr JOIN sso_permission_sets ps ON ps.arn = pr.permission_set_arn
       WHERE ${SCOPE} ORDER BY ps.name, pr.account_id`,
    )
    .all(scope, scope) as { name: string; account_id: string; latest: number }[];
  return sortedBy(
    rows.map((r) => ({
      permissionSetName: r.name,
      accountId: r.account_id,
      status: r.latest ? 'LATEST_PERMISSION_SET_PROVISIONED' : 'LATEST_PERMISSION_SET_NOT_PROVISIONED',
    })),
    (p) => `${p.permissionSetName}\u0000${p.accountId}`,
  );
}

export function readSnapshot(db: Database.Database, instance: InstanceInfo, organization: Organization, options: SnapshotOptions = {}): LiveState {
  const scope = options.permissionSetNames ? JSON.stringify(options.permissionSetNames) : null;
  return db.transaction(
    (): LiveState => ({
      instanceArn: instance.instanceArn,
      identityStoreId: instance.identityStoreId,
      organization,
      users: readUsers(db),
      groups: readGroups(db),
      memberships: readMemberships(db),
      permissionSets: readPermissionSets(db),
      assignments: readAssignments(db, scope),
      provisioning: readProvisioning(db, scope),
    }),
  ).deferred();
}
