import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRetry, DEFAULT_RETRY } from '../../src/apply/retry.js';
import { TerminalError } from '../../src/diagnostics/errors.js';
import type { Change } from '../../src/diff/change.js';
import type { PermissionSetSpec } from '../../src/model/entities.js';
import { AwsServiceError } from '../../src/stores/aws-caller.js';
import { openAwsStore, type AwsStore } from '../../src/stores/aws/aws-store.js';
import { serveAwsJson } from '../../src/stores/emulator/aws-json-server.js';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { ORG } from '../emulator/fixture.js';
import { CONTRACT_ORGANIZATION, runStoreContract } from './store-contract.js';

// The AWS store with the real SDK clients, against the emulator over HTTP on 127.0.0.1.

const FAKE_AWS_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const [k, v] of Object.entries(FAKE_AWS_ENV)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function emulatorOnTempDb(options: { tps?: number; failRate?: number; seed?: number } = {}): Promise<{ emulator: Emulator; dbPath: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-aws-store-'));
  tempDirs.push(dir);
  const dbPath = path.join(dir, 'live.db');
  return { emulator: await startEmulator({ dbPath, organization: ORG, ...options }), dbPath };
}

runStoreContract('aws (SDK clients over HTTP to the emulator)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-aws-contract-'));
  const emulator = await startEmulator({ dbPath: path.join(dir, 'live.db'), organization: CONTRACT_ORGANIZATION });
  const store = await openAwsStore({ endpointUrl: emulator.url, region: 'us-east-1', maxRps: 200 });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

const user = (userName: string) => ({ userName, displayName: userName, givenName: 'Given', familyName: 'Family', email: userName });
const permissionSet = (name: string, overrides: Partial<PermissionSetSpec> = {}): PermissionSetSpec => ({
  name,
  sessionDuration: 'PT1H',
  managedPolicies: [],
  customerManagedPolicies: [],
  tags: {},
  ...overrides,
});
const assign = (principalType: 'USER' | 'GROUP', principalName: string, permissionSetName: string, accountId: string): Change => ({
  kind: 'assignment.create',
  assignment: { principalType, principalName, permissionSetName, accountId },
});

/** A small estate: 2 users, 2 groups, 2 permission sets with every policy kind, 5 assignments. */
const ESTATE: readonly Change[][] = [
  [
    { kind: 'user.create', after: user('alice@example.com') },
    { kind: 'user.create', after: { ...user('bob@example.com'), title: 'Engineer' } },
    { kind: 'group.create', after: { displayName: 'admins', description: 'On call' } },
    { kind: 'group.create', after: { displayName: 'readers' } },
    {
      kind: 'permissionSet.create',
      after: permissionSet('Admin', {
        description: 'Full access',
        sessionDuration: 'PT4H',
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [{ name: 'deny-billing', path: '/' }],
        inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] }, null, 2),
        permissionsBoundary: { customerManagedPolicy: { name: 'boundary', path: '/' } },
        tags: { owner: 'platform' },
      }),
    },
    { kind: 'permissionSet.create', after: permissionSet('ReadOnly', { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }) },
  ],
  [
    { kind: 'membership.add', groupName: 'admins', userName: 'alice@example.com' },
    { kind: 'membership.add', groupName: 'readers', userName: 'bob@example.com' },
  ],
  [
    assign('GROUP', 'admins', 'Admin', '222222222222'),
    assign('GROUP', 'admins', 'Admin', '333333333333'),
    assign('GROUP', 'readers', 'ReadOnly', '222222222222'),
    assign('GROUP', 'readers', 'ReadOnly', '333333333333'),
    assign('USER', 'bob@example.com', 'Admin', '333333333333'),
  ],
];

async function performAll(store: AwsStore, waves: readonly (readonly Change[])[]): Promise<void> {
  for (const wave of waves) await Promise.all(wave.map((c) => store.perform(c)));
}

describe('AWS store against the emulator', () => {
  let emulator: Emulator;
  let dbPath: string;
  let store: AwsStore;

  beforeAll(async () => {
    ({ emulator, dbPath } = await emulatorOnTempDb());
    store = await openAwsStore({ endpointUrl: emulator.url, region: 'us-east-1' });
    await performAll(store, ESTATE);
  });
  afterAll(async () => {
    await store?.close();
    await emulator?.close();
  });

  it('discovers the instance and identity store with ListInstances', () => {
    expect(store.instance).toEqual({ instanceArn: emulator.instanceArn, identityStoreId: emulator.identityStoreId });
  });

  it('finds the endpoint in AWS_ENDPOINT_URL, as the AWS CLI and SDKs do', async () => {
    process.env.AWS_ENDPOINT_URL = emulator.url;
    try {
      const fromEnv = await openAwsStore({ readOnly: true });
      expect(fromEnv.instance.instanceArn).toBe(emulator.instanceArn);
      expect((await fromEnv.snapshot()).users.map((u) => u.userName)).toEqual(['alice@example.com', 'bob@example.com']);
      await fromEnv.close();
    } finally {
      delete process.env.AWS_ENDPOINT_URL;
    }
  });

  it('snapshots exactly what the embedded store reads from the same database', async () => {
    const viaAws = await store.snapshot();
    const sqlite = await openSqliteStore(dbPath, { readOnly: true });
    try {
      expect(viaAws).toEqual(await sqlite.snapshot());
    } finally {
      await sqlite.close();
    }
    expect(viaAws.assignments).toHaveLength(5);
    expect(viaAws.permissionSets.find((p) => p.name === 'Admin')).toMatchObject({
      sessionDuration: 'PT4H',
      customerManagedPolicies: [{ name: 'deny-billing', path: '/' }],
      permissionsBoundary: { customerManagedPolicy: { name: 'boundary', path: '/' } },
      tags: { owner: 'platform' },
    });
    expect(viaAws.organization.accounts.map((a) => a.id)).toEqual(['111111111111', '222222222222', '333333333333']);
  });

  it('reads the same assignments per principal as per (account, permission set), orphans included', async () => {
    const byPair = await openAwsStore({ endpointUrl: emulator.url, assignmentScan: 'by-pair' });
    const byPrincipal = await openAwsStore({ endpointUrl: emulator.url, assignmentScan: 'by-principal' });
    try {
      const a = await byPair.snapshot();
      expect(await byPrincipal.snapshot()).toEqual(a);
      expect(byPair.callCounts()['sso-admin:ListAccountAssignments']).toBeGreaterThan(0);
      expect(byPrincipal.callCounts()['sso-admin:ListAccountAssignmentsForPrincipal']).toBe(4);
    } finally {
      await byPair.close();
      await byPrincipal.close();
    }
  });

  it('scopes assignments and provisioning to the managed permission sets', async () => {
    const snapshot = await store.snapshot({ permissionSetNames: ['ReadOnly'] });
    expect(new Set(snapshot.assignments.map((a) => a.permissionSetName))).toEqual(new Set(['ReadOnly']));
    expect(snapshot.provisioning.every((p) => p.permissionSetName === 'ReadOnly')).toBe(true);
    expect(snapshot.permissionSets.map((p) => p.name)).toEqual(['Admin', 'ReadOnly']);
  });

  it('sees a content change as not provisioned until re-provisioned', async () => {
    await store.perform({ kind: 'permissionSet.update', before: permissionSet('ReadOnly', { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }), after: permissionSet('ReadOnly', { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'], description: 'Look, do not touch' }), fields: ['description'] });
    const stale = (await store.snapshot()).provisioning.filter((p) => p.permissionSetName === 'ReadOnly');
    expect(stale.map((p) => p.status)).toEqual(['LATEST_PERMISSION_SET_NOT_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED']);
    await Promise.all(
      stale.map((p) => store.perform({ kind: 'permissionSet.provision', permissionSetName: 'ReadOnly', accountId: p.accountId, reason: 'content-changed' })),
    );
    const fresh = (await store.snapshot()).provisioning.filter((p) => p.permissionSetName === 'ReadOnly');
    expect(fresh.map((p) => p.status)).toEqual(['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_PROVISIONED']);
  });

  it('refuses every write when read-only, before sending anything', async () => {
    const readOnly = await openAwsStore({ endpointUrl: emulator.url, readOnly: true });
    try {
      expect(readOnly.capabilities().write).toBe(false);
      emulator.resetCounts();
      await expect(readOnly.perform({ kind: 'group.create', after: { displayName: 'sneaky' } })).rejects.toBeInstanceOf(TerminalError);
      await expect(readOnly.perform(assign('GROUP', 'admins', 'ReadOnly', '111111111111'))).rejects.toThrow(/read-only/);
      expect(emulator.callCounts()).toEqual({});
      expect((await readOnly.snapshot()).groups.map((g) => g.displayName)).toEqual(['admins', 'readers']);
    } finally {
      await readOnly.close();
    }
  });
});

describe('AWS store call counts', () => {
  it('reads N assignments in fewer calls than one ListAccountAssignments per assignment', async () => {
    const { emulator } = await emulatorOnTempDb();
    const store = await openAwsStore({ endpointUrl: emulator.url, maxRps: 1000 });
    try {
      const groups = Array.from({ length: 12 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
      const accounts = ORG.accounts.map((a) => a.id);
      await performAll(store, [
        [...groups.map((g): Change => ({ kind: 'group.create', after: { displayName: g } })), ...['Admin', 'Dev', 'Read'].map((n): Change => ({ kind: 'permissionSet.create', after: permissionSet(n) }))],
        groups.flatMap((g) => ['Admin', 'Dev', 'Read'].flatMap((ps) => accounts.map((acct) => assign('GROUP', g, ps, acct)))),
      ]);
      const before = store.callCounts();
      const snapshot = await store.snapshot();
      const after = store.callCounts();
      const used = Object.entries(after).reduce((n, [k, v]) => n + v - (before[k] ?? 0), 0);
      const n = snapshot.assignments.length;
      expect(n).toBe(12 * 3 * 3);
      // Reported in the lead's summary: a full no-op snapshot versus the naive scan.
      console.log(`snapshot of ${n} assignments: ${used} calls (naive: ${n} ListAccountAssignments calls alone)`);
      expect(used).toBeLessThan(n);
    } finally {
      await store.close();
      await emulator.close();
    }
  });
});

describe('AWS store under throttling and faults', () => {
  it('stays under the emulator\'s rate with its own limiter and retries what gets throttled', async () => {
    const { emulator } = await emulatorOnTempDb({ tps: 20 });
    const store = await openAwsStore({ endpointUrl: emulator.url, maxRps: 40 });
    try {
      await performAll(store, ESTATE);
      const snapshot = await store.snapshot();
      expect(snapshot.assignments).toHaveLength(5);
    } finally {
      await store.close();
      await emulator.close();
    }
  });

  it('converges when a fifth of the requests fail, by retrying what failed', async () => {
    const retry = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 };
    const applyEstate = async (options: { failRate?: number; seed?: number }) => {
      const { emulator, dbPath } = await emulatorOnTempDb(options);
      // The caller retries each failed call (short pauses to keep the test quick); what still
      // fails reaches the applier's retry of the whole change.
      const store = await openAwsStore({ endpointUrl: emulator.url, instanceArn: emulator.instanceArn, identityStoreId: emulator.identityStoreId, caller: { retry } });
      try {
        for (const wave of ESTATE) {
          await Promise.all(
            wave.map((c) => withRetry(() => store.perform(c), { ...DEFAULT_RETRY, maxAttempts: 30, baseDelayMs: 5, maxDelayMs: 50 }, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random })),
          );
        }
        const sqlite = await openSqliteStore(dbPath, { readOnly: true });
        const live = await sqlite.snapshot();
        await sqlite.close();
        const calls = Object.values(emulator.callCounts()).reduce((a, b) => a + b, 0);
        expect(Object.values(store.callCounts()).reduce((a, b) => a + b, 0)).toBe(calls);
        return { live, calls };
      } finally {
        await store.close();
        await emulator.close();
      }
    };
    const clean = await applyEstate({});
    const faulty = await applyEstate({ failRate: 0.2, seed: 7 });
    expect(faulty.live.users.map((u) => u.userName)).toEqual(['alice@example.com', 'bob@example.com']);
    expect(faulty.live.memberships).toHaveLength(2);
    expect(faulty.live.assignments).toHaveLength(5);
    // Same state apart from the generated ids and ARNs.
    const shape = (live: typeof clean.live) => ({
      assignments: live.assignments.map((a) => `${a.principalName}|${a.permissionSetName}|${a.accountId}`),
      permissionSets: live.permissionSets.map(({ arn: _arn, ...spec }) => spec),
      memberships: live.memberships.map((m) => `${m.groupName}|${m.userName}`),
    });
    expect(shape(faulty.live)).toEqual(shape(clean.live));
    expect(faulty.calls).toBeGreaterThan(clean.calls);
  });
});

describe('AWS store errors', () => {
  it('names the missing IAM action when AWS denies access', async () => {
    const server = await serveAwsJson({
      backend: {
        call: (_service, operation) => {
          if (operation === 'ListInstances') return { Instances: [{ InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000', IdentityStoreId: 'd-0000000000' }] };
          throw new AwsServiceError('AccessDeniedException', 'User: arn:aws:sts::123456789012:assumed-role/ci is not authorized', 403);
        },
      },
    });
    try {
      const store = await openAwsStore({ endpointUrl: server.url });
      await expect(store.snapshot()).rejects.toThrow(/organizations:DescribeOrganization|identitystore:List(Users|Groups)|sso:ListPermissionSets/);
      await expect(store.perform({ kind: 'group.create', after: { displayName: 'x' } })).rejects.toThrow(/IAM permission identitystore:CreateGroup/);
      await store.close();
    } finally {
      await server.close();
    }
  });

  it('fails with a clear message when there is no instance', async () => {
    const server = await serveAwsJson({ backend: { call: () => ({ Instances: [] }) } });
    try {
      await expect(openAwsStore({ endpointUrl: server.url, region: 'eu-west-3' })).rejects.toThrow('no IAM Identity Center instance found in eu-west-3');
    } finally {
      await server.close();
    }
  });
});

const hasAws = await promisify(execFile)('aws', ['--version']).then(() => true, () => false);

describe('the AWS CLI against the emulator', () => {
  let emulator: Emulator;
  let store: AwsStore;
  const aws = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], {
      env: { ...process.env, ...FAKE_AWS_ENV, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' },
    });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  beforeAll(async () => {
    if (!hasAws) return;
    ({ emulator } = await emulatorOnTempDb());
    store = await openAwsStore({ endpointUrl: emulator.url });
    await performAll(store, ESTATE);
  });
  afterAll(async () => {
    await store?.close();
    await emulator?.close();
  });

  it.skipIf(!hasAws)('lists the instance, permission sets, users, groups and assignments the AWS store created', async () => {
    const live = await store.snapshot();
    const admin = live.permissionSets.find((p) => p.name === 'Admin')!;
    // Each AWS CLI run starts a Python interpreter: run them side by side.
    const [instanceList, setList, userList, groupList, assignmentList] = await Promise.all([
      aws('sso-admin', 'list-instances'),
      aws('sso-admin', 'list-permission-sets', '--instance-arn', live.instanceArn),
      aws('identitystore', 'list-users', '--identity-store-id', live.identityStoreId),
      aws('identitystore', 'list-groups', '--identity-store-id', live.identityStoreId),
      aws('sso-admin', 'list-account-assignments', '--instance-arn', live.instanceArn, '--account-id', '333333333333', '--permission-set-arn', admin.arn),
    ]);
    const instances = instanceList.Instances as { InstanceArn: string; IdentityStoreId: string }[];
    expect(instances.map((i) => [i.InstanceArn, i.IdentityStoreId])).toEqual([[live.instanceArn, live.identityStoreId]]);
    expect([...(setList.PermissionSets as string[])].sort()).toEqual(live.permissionSets.map((p) => p.arn).sort());
    const users = userList.Users as { UserName: string; UserId: string }[];
    expect(users.map((u) => [u.UserName, u.UserId]).sort()).toEqual(live.users.map((u) => [u.userName, u.id]).sort());
    const groups = groupList.Groups as { DisplayName: string; GroupId: string }[];
    expect(groups.map((g) => [g.DisplayName, g.GroupId]).sort()).toEqual(live.groups.map((g) => [g.displayName, g.id]).sort());
    const listed = assignmentList.AccountAssignments as { PrincipalId: string; PrincipalType: string }[];
    const expected = live.assignments.filter((a) => a.accountId === '333333333333' && a.permissionSetName === 'Admin');
    expect(listed.map((a) => `${a.PrincipalType}:${a.PrincipalId}`).sort()).toEqual(expected.map((a) => `${a.principalType}:${a.principalId}`).sort());
    expect(expected).toHaveLength(2);
  });

  it.skipIf(!hasAws)('shows an assignment created out of band with the AWS CLI in the next snapshot', async () => {
    const live = await store.snapshot();
    const alice = live.users.find((u) => u.userName === 'alice@example.com')!;
    const readOnly = live.permissionSets.find((p) => p.name === 'ReadOnly')!;
    const created = (await aws('sso-admin', 'create-account-assignment', '--instance-arn', live.instanceArn, '--target-id', '111111111111', '--target-type', 'AWS_ACCOUNT',
      '--permission-set-arn', readOnly.arn, '--principal-type', 'USER', '--principal-id', alice.id)).AccountAssignmentCreationStatus as { RequestId: string };
    const status = (await aws('sso-admin', 'describe-account-assignment-creation-status', '--instance-arn', live.instanceArn, '--account-assignment-creation-request-id', created.RequestId))
      .AccountAssignmentCreationStatus as { Status: string };
    expect(status.Status).toBe('SUCCEEDED');
    const after = await store.snapshot();
    expect(after.assignments).toContainEqual({
      principalType: 'USER',
      principalId: alice.id,
      principalName: 'alice@example.com',
      permissionSetArn: readOnly.arn,
      permissionSetName: 'ReadOnly',
      accountId: '111111111111',
    });
    expect(after.assignments).toHaveLength(live.assignments.length + 1);
  });
});
