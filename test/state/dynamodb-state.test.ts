import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/audit-record.js';
import { openState } from '../../src/state/open-state.js';
import { verifyState } from '../../src/state/verify-state.js';
import { startDynalite, type Dynalite } from './dynalite-server.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';
import { stateChild } from './state-child.js';

// What the dynamodb backend does beyond the shared contract (state-contract.ts): lease expiry
// is its only takeover, retried puts whose answer was lost are recognised, errors are one line.

let dynalite: Dynalite;
let proxy: RecordingProxy;
let n = 0;

beforeAll(async () => {
  dynalite = await startDynalite();
  proxy = await startRecordingProxy(dynalite.endpoint);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'dynalite', AWS_SECRET_ACCESS_KEY: 'dynalite' });
});
afterAll(async () => {
  await proxy?.stop();
  await dynalite?.stop();
});

const freshTable = async () => {
  const table = `gatehouse-ddb-${++n}`;
  await dynalite.createTable(table);
  return table;
};

const entry = (i: number): AuditEntry => ({
  kind: 'intent',
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actor: 'test',
  planId: 'plan',
  operation: 'user.create',
  target: `user:u${i}`,
  after: { i },
  requestIds: [],
  outcome: 'pending',
});

describe('dynamodb state', () => {
  it('does not take over a killed holder before its lease expires: a pid says nothing across runners', async () => {
    const table = await freshTable();
    const url = `dynamodb:${table}@eu-west-1`;
    const ttl = 2_500;
    const holder = stateChild(['hold', url, 'killed holder', String(ttl)], dynalite.env);
    expect(await holder.line('locked')).toBe('');
    holder.kill('SIGKILL');
    await holder.exited;
    const item = await dynalite.client().send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'lock' }, sk: { N: '0' } }, ConsistentRead: true }));
    const expiresAt = Number(item.Item!.expiresAt!.N);
    const state = await openState(url, { endpointUrl: dynalite.endpoint });
    try {
      // Same host, and the pid is dead: still not free until the lease runs out.
      await expect(state.acquireLock({ owner: 'next', timeoutMs: 0 })).rejects.toThrow(/another apply holds the lock on dynamodb:.*killed holder.*lease runs/);
      const lease = await state.acquireLock({ owner: 'next', timeoutMs: 15_000, pollMs: 50 });
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
      await lease.release();
    } finally {
      await state.close();
    }
  });

  it('recognises its own put when the answer was lost and the SDK retried: no duplicate record, no fork', async () => {
    const table = await freshTable();
    const state = await openState(`dynamodb:${table}@eu-west-1`, { endpointUrl: proxy.endpoint });
    try {
      await state.appendAudit([entry(0)]);
      // The second record's PutItem reaches the table; its answer never comes back.
      proxy.loseAnswer('PutItem', 1);
      const written = await state.appendAudit([entry(1), entry(2)]);
      expect(written.map((r) => r.seq)).toEqual([2, 3]);
      const records = await state.readAudit();
      expect(records.map((r) => r.target)).toEqual(['user:u0', 'user:u1', 'user:u2']);
      expect((await verifyState(state)).chain).toMatchObject({ ok: true, count: 3 });
    } finally {
      await state.close();
    }
  });

  it('holds the lease when the answer to its claim was lost', async () => {
    const table = await freshTable();
    const state = await openState(`dynamodb:${table}@eu-west-1`, { endpointUrl: proxy.endpoint });
    try {
      proxy.loseAnswer('PutItem', 1);
      const lease = await state.acquireLock({ owner: 'me', timeoutMs: 0 });
      expect(await lease.confirm()).toBe(true);
      await lease.release();
      const again = await state.acquireLock({ owner: 'me again', timeoutMs: 0 });
      await again.release();
    } finally {
      await state.close();
    }
  });

  it('signs with the credentials of the profile it is given (the command\'s --profile), not the environment\'s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-profile-'));
    const saved = { ...process.env };
    try {
      fs.writeFileSync(path.join(dir, 'credentials'), '[state-admin]\naws_access_key_id = PROFILEKEY\naws_secret_access_key = secret\n');
      fs.writeFileSync(path.join(dir, 'config'), '[profile state-admin]\nregion = eu-west-1\n');
      Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'), AWS_CONFIG_FILE: path.join(dir, 'config') });
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      const table = await freshTable();
      const state = await openState(`dynamodb:${table}@eu-west-1`, { endpointUrl: proxy.endpoint, profile: 'state-admin' });
      const from = proxy.calls.length;
      await state.appendAudit([entry(0)]);
      await state.close();
      const keys = new Set(proxy.calls.slice(from).map((c) => c.accessKeyId));
      expect(keys).toEqual(new Set(['PROFILEKEY']));
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in one line what is wrong: a missing table, an unreachable endpoint, a bad URL, a read-only state', async () => {
    const missing = await openState('dynamodb:no-such-table@eu-west-1', { endpointUrl: dynalite.endpoint });
    await expect(missing.readAudit()).rejects.toThrow(/^shared state dynamodb:no-such-table@eu-west-1: table no-such-table does not exist at http:\/\/127\.0\.0\.1:\d+; create it as docs\/aws-setup\.md describes/);
    await missing.close();
    const down = await openState('dynamodb:gatehouse@eu-west-1', { endpointUrl: 'http://127.0.0.1:9' });
    await expect(down.readAppliedPlans()).rejects.toThrow(/cannot reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED/);
    await down.close();
    await expect(openState('dynamodb:ab')).rejects.toThrow(/"ab" is not a DynamoDB table name/);
    await expect(openState('dynamodb:gatehouse@Ireland')).rejects.toThrow(/"Ireland" is not an AWS region/);
    const readOnly = await openState(`dynamodb:${await freshTable()}@eu-west-1`, { endpointUrl: dynalite.endpoint, readOnly: true });
    await expect(readOnly.acquireLock({ owner: 'x', timeoutMs: 0 })).rejects.toThrow(/read-only/);
    await readOnly.close();
  });
});
