import type Database from 'better-sqlite3';

// The tables of the local Identity Center. Ids and ARNs are stored in AWS's formats so what the
// engine answers is what AWS would answer. Assignments name their principal without a foreign
// key: deleting a user or group leaves its assignments behind as orphans, as AWS does, and drift
// must see them. Provisioning compares a per-account version with the permission set's version,
// so a content change marks every account behind in one UPDATE.

export const SCHEMA_VERSION = 1;

/**
 * SQL condition, with one `now` parameter, for an sso_provisioned row that is still provisioned:
 * not being deprovisioned, or not yet done (see "Deprovisioning" in assignments.ts).
 */
export const STILL_PROVISIONED = '(deprovision_at IS NULL OR deprovision_at > ?)';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ic_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS org_info (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  organization_id TEXT NOT NULL,
  root_id TEXT NOT NULL,
  management_account_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS org_ous (
  id TEXT PRIMARY KEY,
  path TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  parent_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS org_accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  status TEXT NOT NULL,
  parent_id TEXT NOT NULL,
  ou_path TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS org_accounts_parent ON org_accounts (parent_id, id);
CREATE TABLE IF NOT EXISTS org_tags (
  resource_id TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource_id, key)
);

CREATE TABLE IF NOT EXISTS ids_users (
  id TEXT PRIMARY KEY,
  user_name TEXT NOT NULL,
  user_name_lower TEXT NOT NULL UNIQUE,
  display_name TEXT,
  given_name TEXT,
  family_name TEXT,
  email TEXT,
  email_type TEXT,
  title TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ids_groups (
  id TEXT PRIMARY KEY,
  display_name TEXT NOT NULL UNIQUE,
  description TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- Group display names are unique regardless of case, as user names are; NOCASE folds ASCII.
CREATE INDEX IF NOT EXISTS ids_groups_display_name_nocase ON ids_groups (display_name COLLATE NOCASE);
-- The user attributes CreateUser accepts beyond the columns above (NickName, Addresses,
-- PhoneNumbers, Locale, Timezone, ...), as one JSON object in wire shape; a row only for users
-- that have any, so the common case costs nothing.
CREATE TABLE IF NOT EXISTS ids_user_attributes (
  user_id TEXT PRIMARY KEY REFERENCES ids_users (id) ON DELETE CASCADE,
  attributes TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ids_memberships (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL REFERENCES ids_groups (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES ids_users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  UNIQUE (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS ids_memberships_user ON ids_memberships (user_id);

CREATE TABLE IF NOT EXISTS sso_permission_sets (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  session_duration TEXT NOT NULL,
  relay_state TEXT,
  inline_policy TEXT,
  boundary_managed_arn TEXT,
  boundary_customer_name TEXT,
  boundary_customer_path TEXT,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS sso_managed_policies (
  permission_set_arn TEXT NOT NULL REFERENCES sso_permission_sets (arn) ON DELETE CASCADE,
  policy_arn TEXT NOT NULL,
  PRIMARY KEY (permission_set_arn, policy_arn)
);
CREATE TABLE IF NOT EXISTS sso_customer_policies (
  permission_set_arn TEXT NOT NULL REFERENCES sso_permission_sets (arn) ON DELETE CASCADE,
  path TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (permission_set_arn, path, name)
);
CREATE TABLE IF NOT EXISTS sso_tags (
  resource_arn TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (resource_arn, key)
);
CREATE TABLE IF NOT EXISTS sso_assignments (
  account_id TEXT NOT NULL,
  permission_set_arn TEXT NOT NULL REFERENCES sso_permission_sets (arn),
  principal_type TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  PRIMARY KEY (account_id, permission_set_arn, principal_type, principal_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sso_assignments_principal ON sso_assignments (principal_id, account_id);
CREATE INDEX IF NOT EXISTS sso_assignments_permission_set ON sso_assignments (permission_set_arn);
-- deprovision_at: when AWS will have removed the set from the account (its last assignment
-- there was deleted); until then the pair is still provisioned. NULL while it stays.
CREATE TABLE IF NOT EXISTS sso_provisioned (
  account_id TEXT NOT NULL,
  permission_set_arn TEXT NOT NULL REFERENCES sso_permission_sets (arn) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  deprovision_at INTEGER,
  PRIMARY KEY (account_id, permission_set_arn)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sso_provisioned_permission_set ON sso_provisioned (permission_set_arn);

-- Asynchronous requests (assignment creation/deletion, provisioning). The effect is committed
-- with the row; the reported status stays IN_PROGRESS until observed or settled (see assignments.ts).
CREATE TABLE IF NOT EXISTS sso_requests (
  request_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('assignment-create', 'assignment-delete', 'provision')),
  outcome TEXT NOT NULL CHECK (outcome IN ('SUCCEEDED', 'FAILED')),
  failure_reason TEXT,
  observed INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  target_id TEXT,
  permission_set_arn TEXT NOT NULL,
  principal_type TEXT,
  principal_id TEXT
);
CREATE INDEX IF NOT EXISTS sso_requests_kind ON sso_requests (kind, seq);
CREATE INDEX IF NOT EXISTS sso_requests_outstanding ON sso_requests (kind, created_at) WHERE observed = 0;
`;

/** Columns added after files were first written: added in place, so old store files keep working. */
const ADDED_COLUMNS: readonly { table: string; column: string; type: string }[] = [{ table: 'sso_provisioned', column: 'deprovision_at', type: 'INTEGER' }];

/** Indexes on added columns, created once the column exists. */
const LATER_INDEXES = `
CREATE INDEX IF NOT EXISTS sso_provisioned_deprovisioning ON sso_provisioned (deprovision_at) WHERE deprovision_at IS NOT NULL;
`;

export function applySchema(db: Database.Database): void {
  // One IMMEDIATE transaction: a second process opening the same new store waits for it, then
  // sees the columns added rather than adding them again ("duplicate column name").
  db.transaction(() => {
    db.exec(SCHEMA);
    for (const { table, column, type } of ADDED_COLUMNS) {
      const columns = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (!columns.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
    db.exec(LATER_INDEXES);
  }).immediate();
}
