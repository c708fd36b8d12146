import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseGuard, leaseMargin, leaseVerdict } from '../../src/apply/lease-guard.js';
import { acquireStoreLock } from '../../src/apply/lock.js';
import { LeaseLostError } from '../../src/diagnostics/errors.js';
import type { Lease } from '../../src/state/shared-state.js';

// The check before every write request (issue 8: AWS has no fencing, so a paused holder must
// find out locally, before each request, whether its lease still has time left). The clock is
// injected: the deadline is the last renewal, timed from before it was sent, plus the ttl.

describe('leaseVerdict (pure)', () => {
  it('sends while more than the margin is left, and asks for a renewal from then on', () => {
    expect(leaseVerdict(10_000, 5_000, 3_000)).toBe('send');
    expect(leaseVerdict(10_000, 7_000, 3_000)).toBe('renew-first');
    expect(leaseVerdict(10_000, 12_000, 3_000)).toBe('renew-first');
    expect(leaseVerdict(-Infinity, 0, 0)).toBe('renew-first');
    expect(leaseMargin(30_000)).toBe(10_000);
  });
});

describe('leaseGuard over the sqlite lock', () => {
  let dir: string;
  let dbPath: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lease-guard-'));
    dbPath = path.join(dir, 'state.db');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('costs no I/O while the deadline is far, renews near it, and stops once the lease is taken over', async () => {
    let clock = 1_000;
    const now = () => clock;
    const lock = await acquireStoreLock(dbPath, { owner: 'a', timeoutMs: 0, ttlMs: 60_000, now });
    const lease: Lease = { owner: 'a', held: lock.held, confirm: async () => lock.confirm(), deadline: lock.deadline, release: async () => lock.release() };
    expect(lease.deadline()).toBe(61_000);
    const db = new Database(dbPath);
    const expiresAt = () => (db.prepare('SELECT expires_at FROM gatehouse_lock').get() as { expires_at: number }).expires_at;
    const guard = leaseGuard(lease, { now, marginMs: 20_000, lost: (op) => new LeaseLostError(`lost before ${op}`) });

    // Far from the deadline: a clock comparison, answered synchronously, nothing renewed.
    const before = expiresAt();
    clock = 30_000;
    expect(guard('AttachManagedPolicyToPermissionSet')).toBeUndefined();
    expect(expiresAt()).toBe(before);

    // Within the margin: renewed (a whole ttl from now), then sent.
    clock = 45_000;
    await expect(guard('PutInlinePolicyToPermissionSet')).resolves.toBeUndefined();
    expect(lease.deadline()).toBe(105_000);

    // A holder paused past its lease and taken over: the renewal fails, the request is not sent.
    db.prepare(`UPDATE gatehouse_lock SET token = 'b'`).run();
    clock = 200_000;
    await expect(guard('ProvisionPermissionSet')).rejects.toThrow('lost before ProvisionPermissionSet');
    expect(lease.held()).toBe(false);
    expect(lease.deadline()).toBe(-Infinity);
    // Once lost, the cheap check alone refuses.
    expect(() => guard('CreateAccountAssignment')).toThrow(LeaseLostError);
    db.close();
    lock.release();
  });
});
