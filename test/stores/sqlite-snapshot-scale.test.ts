import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareStrings } from '../../src/model/keys.js';
import { openSqliteStore, type SqliteStore } from '../../src/stores/sqlite/sqlite-store.js';

// A snapshot of a large organisation's Identity Center must stay interactive: 50k users, 5k
// groups, 300 permission sets, 250k assignments. The tables are filled with SQL directly (the
// API path is tested elsewhere); the store reads them back through snapshot().

const USERS = 50_000;
const GROUPS = 5_000;
const PERMISSION_SETS = 300;
const ASSIGNMENTS = 250_000;
const ACCOUNTS = 500;

let dir: string;
let store: SqliteStore;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const resourceId = (kind: number, n: number) => `${hex(kind, 10)}-${hex(n, 8)}-0000-4000-8000-000000000000`;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-scale-'));
  store = await openSqliteStore(path.join(dir, 'live.db'), {
    organization: {
      managementAccountId: '100000000000',
      ous: [],
      accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({ id: String(100000000000 + i), name: `account-${i}`, ouPath: '/Root', tags: {} })),
    },
  });
  const db = store.engine.db;
  const instance = store.engine.instance.instanceArn.split('/')[1]!;
  db.transaction(() => {
    const user = db.prepare('INSERT INTO ids_users (id, user_name, user_name_lower, display_name, given_name, family_name, email, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)');
    for (let i = 0; i < USERS; i++) user.run(resourceId(1, i), `user${i}`, `user${i}`, `User ${i}`, 'Given', 'Family', `user${i}@acme.example`, i % 3 ? 'Engineer' : null);
    const group = db.prepare('INSERT INTO ids_groups (id, display_name, description, created_at, updated_at) VALUES (?, ?, ?, 0, 0)');
    for (let i = 0; i < GROUPS; i++) group.run(resourceId(2, i), `group${i}`, `Group ${i}`);
    const membership = db.prepare('INSERT INTO ids_memberships (id, group_id, user_id, created_at) VALUES (?, ?, ?, 0)');
    for (let i = 0; i < USERS; i++) membership.run(resourceId(3, i), resourceId(2, i % GROUPS), resourceId(1, i));
    const ps = db.prepare("INSERT INTO sso_permission_sets (arn, name, session_duration, created_at) VALUES (?, ?, 'PT1H', 0)");
    const managed = db.prepare('INSERT INTO sso_managed_policies (permission_set_arn, policy_arn) VALUES (?, ?)');
    const arn = (i: number) => `arn:aws:sso:::permissionSet/${instance}/ps-${hex(i, 16)}`;
    for (let i = 0; i < PERMISSION_SETS; i++) {
      ps.run(arn(i), `PermissionSet${i}`);
      managed.run(arn(i), 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    }
    const assignment = db.prepare('INSERT INTO sso_assignments (account_id, permission_set_arn, principal_type, principal_id) VALUES (?, ?, ?, ?)');
    const provisioned = db.prepare('INSERT OR IGNORE INTO sso_provisioned (account_id, permission_set_arn, version) VALUES (?, ?, 1)');
    for (let i = 0; i < ASSIGNMENTS; i++) {
      const account = String(100000000000 + (i % ACCOUNTS));
      const set = arn(Math.floor(i / ACCOUNTS) % PERMISSION_SETS);
      const isGroup = i % 5 === 0;
      // Each pass over (account, permission set) pairs takes other principals, so no tuple repeats.
      const principal = i + Math.floor(i / (ACCOUNTS * PERMISSION_SETS)) * 17;
      assignment.run(account, set, isGroup ? 'GROUP' : 'USER', isGroup ? resourceId(2, principal % GROUPS) : resourceId(1, principal % USERS));
      provisioned.run(account, set);
    }
  })();
}, 120_000);

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('snapshot at scale', () => {
  it(`reads ${USERS} users, ${GROUPS} groups, ${PERMISSION_SETS} permission sets and ${ASSIGNMENTS} assignments in seconds, sorted`, async () => {
    await store.snapshot(); // warm the page cache, as a second command run would find it
    const started = performance.now();
    const live = await store.snapshot();
    const elapsed = performance.now() - started;
    console.log(`snapshot of ${live.assignments.length} assignments: ${elapsed.toFixed(0)} ms`);
    expect(live.users).toHaveLength(USERS);
    expect(live.groups).toHaveLength(GROUPS);
    expect(live.memberships).toHaveLength(USERS);
    expect(live.permissionSets).toHaveLength(PERMISSION_SETS);
    expect(live.assignments).toHaveLength(ASSIGNMENTS);
    expect(live.assignments.every((a) => a.principalName !== undefined)).toBe(true);
    const keys = live.assignments.map((a) => `${a.principalType}\u0000${a.principalName}\u0000${a.permissionSetName}\u0000${a.accountId}`);
    expect(keys.every((k, i) => i === 0 || compareStrings(keys[i - 1]!, k) < 0)).toBe(true);
    // About a second on an idle developer machine; the bound leaves room for loaded CI runners
    // while still catching anything quadratic.
    expect(elapsed).toBeLessThan(10_000);
  }, 60_000);

  it('reads only the assignments and provisioning of the permission sets in scope', async () => {
    const live = await store.snapshot({ permissionSetNames: ['PermissionSet0', 'PermissionSet1'] });
    expect(new Set(live.assignments.map((a) => a.permissionSetName))).toEqual(new Set(['PermissionSet0', 'PermissionSet1']));
    expect(live.assignments.length).toBeGreaterThan(0);
    expect(new Set(live.provisioning.map((p) => p.permissionSetName))).toEqual(new Set(['PermissionSet0', 'PermissionSet1']));
    expect(live.permissionSets).toHaveLength(PERMISSION_SETS);
  }, 60_000);
});
