import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/stores/emulator/start-emulator.js';
import { awsJson, withTempEmulator } from './fixture.js';

describe('emulator over AWS JSON 1.1', () => {
  let emulator: Emulator;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ emulator, cleanup } = await withTempEmulator()));
  afterAll(async () => cleanup());

  it('answers ListInstances with the instance it announced, and a request id header', async () => {
    const res = await awsJson(emulator.url, 'sso-admin', 'ListInstances');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.Instances).toEqual([expect.objectContaining({ InstanceArn: emulator.instanceArn, IdentityStoreId: emulator.identityStoreId })]);
  });

  it('rejects an over-long permission set name with a ValidationException as AWS words it', async () => {
    const name = 'a'.repeat(33);
    const res = await awsJson(emulator.url, 'sso-admin', 'CreatePermissionSet', { InstanceArn: emulator.instanceArn, Name: name });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(res.body).toEqual({
      __type: 'ValidationException',
      message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32`,
    });
  });

  it('passes the engine\'s errors through with their names: a duplicate is a ConflictException', async () => {
    const input = { InstanceArn: emulator.instanceArn, Name: 'Duplicated' };
    expect((await awsJson(emulator.url, 'sso-admin', 'CreatePermissionSet', input)).status).toBe(200);
    const again = await awsJson(emulator.url, 'sso-admin', 'CreatePermissionSet', input);
    expect(again.status).toBe(400);
    expect(again.body.__type).toBe('ConflictException');
    expect(again.headers.get('x-amzn-errortype')).toBe('ConflictException');
    expect(String(again.body.message)).toMatch(/already exists/);
  });

  it('answers an unknown operation or target with UnknownOperationException', async () => {
    const unknownOp = await awsJson(emulator.url, 'sso-admin', 'MakeEveryoneAdmin');
    expect(unknownOp.status).toBe(400);
    expect(unknownOp.body.__type).toBe('UnknownOperationException');
    const res = await fetch(emulator.url, { method: 'POST', headers: { 'X-Amz-Target': 'NoSuchService.ListThings' }, body: '{}' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('answers malformed JSON with a SerializationException', async () => {
    const res = await awsJson(emulator.url, 'sso-admin', 'ListInstances', '{not json');
    expect(res.status).toBe(400);
    expect(res.body.__type).toBe('SerializationException');
  });

  it('pages ListUsers with NextToken until every user is seen once', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `pager-${i}@example.com`);
    for (const userName of names) {
      const created = await awsJson(emulator.url, 'identitystore', 'CreateUser', {
        IdentityStoreId: emulator.identityStoreId,
        UserName: userName,
        DisplayName: userName,
        Name: { GivenName: 'Page', FamilyName: 'Er' },
      });
      expect(created.status).toBe(200);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await awsJson(emulator.url, 'identitystore', 'ListUsers', {
        IdentityStoreId: emulator.identityStoreId,
        MaxResults: 3,
        ...(token ? { NextToken: token } : {}),
      });
      expect(res.status).toBe(200);
      const users = res.body.Users as { UserName: string }[];
      expect(users.length).toBeLessThanOrEqual(3);
      seen.push(...users.map((u) => u.UserName));
      token = res.body.NextToken as string | undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen.filter((n) => n.startsWith('pager-')).sort()).toEqual(names);
    const bad = await awsJson(emulator.url, 'identitystore', 'ListUsers', { IdentityStoreId: emulator.identityStoreId, NextToken: 'garbage' });
    expect(bad.body.__type).toBe('ValidationException');
  });

  it('counts calls per operation and resets the counts', async () => {
    await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    await awsJson(emulator.url, 'organizations', 'ListRoots');
    await awsJson(emulator.url, 'organizations', 'ListRoots');
    await awsJson(emulator.url, 'sso-admin', 'ListInstances');
    const counts = (await (await fetch(`${emulator.url}/_emulator/calls`)).json()) as Record<string, number>;
    expect(counts).toEqual({ 'organizations:ListRoots': 2, 'sso-admin:ListInstances': 1 });
    expect(emulator.callCounts()).toEqual(counts);
    emulator.resetCounts();
    expect(emulator.callCounts()).toEqual({});
  });
});

describe('emulator limits and faults', () => {
  it('throttles beyond tps with a ThrottlingException, sharing one bucket across SSO Admin operations', async () => {
    const { emulator, cleanup } = await withTempEmulator({ tps: 5 });
    try {
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          awsJson(emulator.url, 'sso-admin', i % 2 ? 'ListInstances' : 'ListPermissionSets', i % 2 ? {} : { InstanceArn: emulator.instanceArn }),
        ),
      );
      const throttled = results.filter((r) => r.status === 400 && r.body.__type === 'ThrottlingException');
      // A burst of tps goes through; a slow machine may refill one more token meanwhile.
      const served = results.filter((r) => r.status === 200).length;
      expect(served).toBeGreaterThanOrEqual(5);
      expect(served).toBeLessThanOrEqual(6);
      expect(throttled.length).toBe(12 - served);
      expect(throttled[0]!.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
      // Organizations has its own bucket: still served.
      expect((await awsJson(emulator.url, 'organizations', 'ListRoots')).status).toBe(200);
      // The bucket refills at tps per second.
      await new Promise((r) => setTimeout(r, 450));
      expect((await awsJson(emulator.url, 'sso-admin', 'ListInstances')).status).toBe(200);
    } finally {
      await cleanup();
    }
  });

  it('throttles in a way the AWS SDK recognises: its standard retry strategy retries and succeeds', async () => {
    const { emulator, cleanup } = await withTempEmulator({ tps: 1 });
    const client = new SSOAdminClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 5,
    });
    try {
      await client.send(new ListInstancesCommand({}));
      const second = await client.send(new ListInstancesCommand({}));
      expect(second.$metadata.attempts).toBeGreaterThan(1);
      expect(second.Instances?.[0]?.InstanceArn).toBe(emulator.instanceArn);
    } finally {
      client.destroy();
      await cleanup();
    }
  });

  it('fails the same requests for the same seed, as 500 InternalServerException or ThrottlingException', async () => {
    const outcomes = async (seed: number) => {
      const { emulator, cleanup } = await withTempEmulator({ failRate: 0.4, seed });
      try {
        const list: string[] = [];
        for (let i = 0; i < 40; i++) {
          const res = await awsJson(emulator.url, 'sso-admin', 'ListInstances');
          list.push(res.status === 200 ? 'ok' : `${res.status} ${String(res.body.__type)}`);
        }
        return list;
      } finally {
        await cleanup();
      }
    };
    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(await outcomes(43)).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', '500 InternalServerException', '400 ThrottlingException']));
  });

  it('adds latency to every request', async () => {
    const { emulator, cleanup } = await withTempEmulator({ latencyMs: 150 });
    try {
      const start = performance.now();
      await awsJson(emulator.url, 'sso-admin', 'ListInstances');
      expect(performance.now() - start).toBeGreaterThanOrEqual(145);
    } finally {
      await cleanup();
    }
  });
});
