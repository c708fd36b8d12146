import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, withRetry } from '../../src/apply/retry.js';
import { OutcomeUnknownError, TerminalError } from '../../src/diagnostics/errors.js';
import type { Change } from '../../src/diff/change.js';
import { AwsServiceError } from '../../src/stores/aws-caller.js';
import { openAwsStore, type AwsStoreOptions } from '../../src/stores/aws/aws-store.js';
import { SdkCaller } from '../../src/stores/aws/sdk-caller.js';
import { serveAwsJson } from '../../src/stores/emulator/aws-json-server.js';
import { startEmulator, type Emulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { hungEndpoint, lossyProxy, type LossyProxy } from './aws/loopback-proxy.js';

// The AWS store (real SDK clients) against the emulator through a loopback proxy that loses
// answers, an endpoint that never answers, and one that throttles everything (issue 8,
// "Retries that are safe and bounded"; issue 13, "Honest reports of what happened").

const FAKE_AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
const savedEnv: Record<string, string | undefined> = {};
const tempDirs: string[] = [];
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
  tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function emulator(options: { tps?: number } = {}): Promise<Emulator> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-aws-unreliable-'));
  tempDirs.push(dir);
  return startEmulator({ dbPath: path.join(dir, 'live.db'), organization: ORG, ...options });
}

const FAST: AwsStoreOptions['caller'] = { retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 5 } };
const user = (userName: string) => ({ userName, displayName: userName, givenName: 'Given', familyName: 'Family', email: userName });
const assignment = { principalType: 'GROUP' as const, principalName: 'admins', permissionSetName: 'Admin', accountId: '222222222222' };

/** The estate every test starts from, written straight to the emulator. */
async function seed(em: Emulator): Promise<void> {
  const store = await openAwsStore({ endpointUrl: em.url, maxRps: 0 });
  try {
    await store.perform({ kind: 'group.create', after: { displayName: 'admins' } });
    await store.perform({ kind: 'permissionSet.create', after: { name: 'Admin', sessionDuration: 'PT1H', managedPolicies: [], customerManagedPolicies: [], tags: {} } });
  } finally {
    await store.close();
  }
}

describe('lost responses: a write that reached AWS but whose answer was lost', () => {
  let em: Emulator;
  let proxy: LossyProxy | undefined;
  beforeAll(async () => {
    em = await emulator();
    await seed(em);
  });
  afterAll(async () => {
    await proxy?.close();
    await em?.close();
  });

  const through = async (lose: (op: string) => boolean, times = 1) => {
    await proxy?.close();
    proxy = await lossyProxy(em.url, lose, times);
    return openAwsStore({ endpointUrl: proxy.url, instanceArn: em.instanceArn, identityStoreId: em.identityStoreId, maxRps: 0, caller: FAST, pollIntervalMs: 1 });
  };

  it('a lost CreateUser / CreateGroup answer is success once the user and group are read back (was: FAILED ConflictException)', async () => {
    const store = await through((op) => op === 'CreateUser' || op === 'CreateGroup');
    try {
      await store.perform({ kind: 'user.create', after: user('lost@example.com') });
      await store.perform({ kind: 'group.create', after: { displayName: 'lost-group', description: 'kept' } });
      // The ids learnt by reading are the live ones: a membership of the two works.
      await store.perform({ kind: 'membership.add', groupName: 'lost-group', userName: 'lost@example.com' });
      expect(proxy!.dropped).toEqual(['CreateUser', 'CreateGroup']);
      const live = await store.snapshot();
      expect(live.users.filter((u) => u.userName === 'lost@example.com')).toHaveLength(1);
      expect(live.memberships.map((m) => `${m.groupName}|${m.userName}`)).toContain('lost-group|lost@example.com');
    } finally {
      await store.close();
    }
  });

  it('"already exists" with other content is still a conflict, named', async () => {
    const store = await through(() => false);
    try {
      const err = await store.perform({ kind: 'user.create', after: { ...user('lost@example.com'), displayName: 'Someone else' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as Error).message).toBe('user lost@example.com already exists with a different displayName; run plan again to see it');
    } finally {
      await store.close();
    }
  });

  it('a lost CreateAccountAssignment answer and a retried DeleteAccountAssignment both succeed (was: FAILED "No such account assignment")', async () => {
    const store = await through((op) => op === 'CreateAccountAssignment' || op === 'DeleteAccountAssignment');
    try {
      await store.perform({ kind: 'assignment.create', assignment });
      expect((await store.snapshot()).assignments.map((a) => a.principalName)).toEqual(['admins']);
      // The retried deletion's request FAILS on AWS (the first one already deleted it): the
      // store reads the pair and finds the goal reached.
      await store.perform({ kind: 'assignment.delete', assignment });
      expect(proxy!.dropped).toEqual(['CreateAccountAssignment', 'DeleteAccountAssignment']);
      expect((await store.snapshot()).assignments).toEqual([]);
      expect(em.callCounts()['sso-admin:DeleteAccountAssignment']).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('an accepted assignment whose status polls all fail is confirmed by reading the pair', async () => {
    const store = await through((op) => op === 'DescribeAccountAssignmentCreationStatus', Infinity);
    try {
      await expect(store.perform({ kind: 'assignment.create', assignment })).resolves.toMatchObject({ writes: 1 });
      expect(proxy!.dropped.length).toBeGreaterThan(1);
      await store.perform({ kind: 'assignment.delete', assignment });
    } finally {
      await store.close();
    }
  });

  it('an accepted assignment whose status cannot be read at all is unknown, not FAILED, and carries its request id', async () => {
    const store = await through((op) => op === 'DescribeAccountAssignmentCreationStatus' || op === 'ListAccountAssignments', Infinity);
    try {
      const err = await store.perform({ kind: 'assignment.create', assignment }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutcomeUnknownError);
      expect((err as OutcomeUnknownError).requestIds).toHaveLength(1);
      expect((err as Error).message).toMatch(/^assigning Admin in 222222222222 to group admins: request [0-9a-f-]+ was accepted but its outcome is unknown/);
    } finally {
      await store.close();
    }
  });
});

describe('one retry layer with a budget', () => {
  it('a throttled change sends at most the caller\'s attempts, not caller × applier (was 10 × 8 = 80)', async () => {
    let sent = 0;
    const server = await serveAwsJson({
      backend: {
        call: (_service, operation) => {
          if (operation === 'CreateGroup') {
            sent++;
            throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
          }
          throw new AwsServiceError('ValidationException', `unexpected ${operation}`);
        },
      },
    });
    const noWait = { sleep: async () => {}, random: () => 0 };
    const store = await openAwsStore({ endpointUrl: server.url, instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000', identityStoreId: 'd-0000000000', maxRps: 0, caller: { ...noWait } });
    try {
      // As the applier runs every change: withRetry with its default policy.
      const change: Change = { kind: 'group.create', after: { displayName: 'throttled' } };
      const err = await withRetry(() => store.perform(change), DEFAULT_RETRY, noWait).catch((e: unknown) => e);
      console.log(`one throttled change: ${sent} CreateGroup requests`);
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as Error).message).toMatch(/identitystore:CreateGroup to http:\/\/127\.0\.0\.1:\d+: ThrottlingException: Rate exceeded \(gave up after 10 attempts/);
      expect(sent).toBe(10);
    } finally {
      await store.close();
      await server.close();
    }
  });

  it('retries a refused connection (ECONNREFUSED) like any transient network failure', async () => {
    // A port that was free a moment ago: nothing listens, every connection is refused.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const caller = new SdkCaller({ endpointUrl: `http://127.0.0.1:${port}`, region: 'us-east-1', retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      const err = await caller.call('sso-admin', 'DescribeAccountAssignmentCreationStatus', { InstanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000', AccountAssignmentCreationRequestId: '11111111-2222-4333-8444-555555555555' }).catch((e: unknown) => e);
      expect(caller.callCounts()).toEqual({ 'sso-admin:DescribeAccountAssignmentCreationStatus': 4 });
      expect((err as Error).message).toMatch(new RegExp(`^sso:DescribeAccountAssignmentCreationStatus to http://127.0.0.1:${port}: .*ECONNREFUSED.* \\(gave up after 4 attempts`));
    } finally {
      caller.close();
    }
  });

  it('a write whose every answer was lost is settled by reading, or reported unknown: never applied or failed blindly', async () => {
    const em = await emulator();
    const retry = { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } };
    const lossy = await lossyProxy(em.url, (op) => op === 'CreateGroup', Infinity);
    // Every GetGroupId answer lost as well: nothing can tell whether the group was created.
    const blind = await lossyProxy(em.url, (op) => op === 'CreateGroup' || op === 'GetGroupId', Infinity);
    const open = (url: string) => openAwsStore({ endpointUrl: url, instanceArn: em.instanceArn, identityStoreId: em.identityStoreId, maxRps: 0, caller: retry });
    const store = await open(lossy.url);
    const blindStore = await open(blind.url);
    try {
      // Three attempts, three answers lost; the first created the group, and reading finds it.
      await store.perform({ kind: 'group.create', after: { displayName: 'g' } });
      expect(em.callCounts()['identitystore:CreateGroup']).toBe(3);
      const err = await blindStore.perform({ kind: 'group.create', after: { displayName: 'h' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(OutcomeUnknownError);
      expect((err as Error).message).toMatch(/^identitystore:CreateGroup to http:\/\/127\.0\.0\.1:\d+: socket hang up .*the request may have taken effect/);
    } finally {
      await blindStore.close();
      await blind.close();
      await lossy.close();
      await store.close();
      await em.close();
    }
  });
});

describe('timeouts', () => {
  it('an endpoint that accepts TCP and never answers fails within the timeout, naming the endpoint', async () => {
    const hung = await hungEndpoint();
    const started = performance.now();
    try {
      const err = await openAwsStore({ endpointUrl: hung.url, httpTimeoutMs: 500 }).catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(err).toBeInstanceOf(TerminalError);
      expect((err as Error).message).toContain(hung.url);
      expect((err as Error).message).toMatch(/no answer in time/);
      expect(elapsed).toBeLessThan(3000);
      expect(hung.connections()).toBeGreaterThan(0);
    } finally {
      await hung.close();
    }
  });
});

describe('throttled reads slow down and finish', () => {
  it('snapshots against an endpoint allowing 2 requests per second, with the default rate of 20', async () => {
    const em = await emulator();
    await seed(em);
    await em.close();
    const throttled = await startEmulator({ dbPath: tempDirs.map((d) => path.join(d, 'live.db')).at(-1)!, tps: 2 });
    const store = await openAwsStore({ endpointUrl: throttled.url, readOnly: true });
    try {
      const live = await store.snapshot();
      expect(live.groups.map((g) => g.displayName)).toEqual(['admins']);
      expect(live.permissionSets.map((p) => p.name)).toEqual(['Admin']);
    } finally {
      await store.close();
      await throttled.close();
    }
  }, 60_000);
});
