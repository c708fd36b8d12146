import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/audit/audit-record.js';
import type { AppliedPlan, Lease, SharedState } from '../../src/state/shared-state.js';
import { verifyState } from '../../src/state/verify-state.js';
import { stateChild } from './state-child.js';

// The contract of src/state/shared-state.ts, run against every backend (sqlite:PATH and
// dynamodb:TABLE against dynalite). Each case gets a fresh state; other processes reach the
// same state by its URL.

export interface StateBackend {
  /** A fresh, empty state; its URL opens the same state from another process. */
  fresh(): Promise<{ url: string; open(options?: { readOnly?: boolean }): Promise<SharedState> }>;
  /** Environment for another process (endpoint, region, credentials). */
  readonly env: Record<string, string>;
  /**
   * Cuts the chain back to `count` records the way someone with write access to the backend
   * could (sqlite: rows and head row; dynamodb: DeleteItem on the tail items).
   */
  truncate(url: string, count: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  kind: 'intent',
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
  actor: 'contract',
  planId: `plan-${i < 5 ? 'early' : 'late'}`,
  operation: 'assignment.create',
  target: `assignment:USER:user${i}|Admin|111122223333`,
  after: { principalName: `user${i}`, n: i },
  requestIds: [`r${i}`],
  outcome: 'pending',
  ...extra,
});

const plan = (n: number, auditHead: AppliedPlan['auditHead']): AppliedPlan => ({
  planId: `${n}`.repeat(64).slice(0, 64),
  changesDigest: 'c'.repeat(64),
  time: new Date(Date.UTC(2026, 0, 2, 0, 0, n)).toISOString(),
  actor: 'contract',
  gitCommit: 'abc123',
  store: 'sqlite:/tmp/live.db',
  instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  safety: { maxDeletes: 10, maxDeleteFraction: 0.2 },
  auditHead,
  complete: true,
});

export function describeStateContract(name: string, setup: () => Promise<StateBackend>, teardown: () => Promise<void>): void {
  describe(`shared state contract: ${name}`, () => {
    let backend: StateBackend;
    const opened: SharedState[] = [];
    const leases: Lease[] = [];
    beforeAll(async () => {
      backend = await setup();
    });
    afterAll(teardown);
    afterEach(async () => {
      for (const l of leases.splice(0)) await l.release().catch(() => {});
      for (const s of opened.splice(0)) await s.close().catch(() => {});
    });
    const fresh = async () => {
      const f = await backend.fresh();
      const open = async (options?: { readOnly?: boolean }) => {
        const s = await f.open(options);
        opened.push(s);
        return s;
      };
      return { url: f.url, open };
    };
    const acquire = async (state: SharedState, owner: string, timeoutMs: number, ttlMs = 30_000) => {
      const lease = await state.acquireLock({ owner, timeoutMs, ttlMs, pollMs: 25 });
      leases.push(lease);
      return lease;
    };

    it('lock: one holder at a time; the other waits, gives up naming the holder, and gets it once released', async () => {
      const f = await fresh();
      const a = await f.open();
      const b = await f.open();
      const lease = await acquire(a, 'gatehouse apply (alice)', 0);
      const started = Date.now();
      await expect(acquire(b, 'gatehouse apply (bob)', 300)).rejects.toThrow(/another apply holds the lock.*alice/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
      await lease.release();
      await lease.release(); // idempotent
      const second = await acquire(b, 'gatehouse apply (bob)', 0);
      expect(second.held()).toBe(true);
      // Racing for a free lock: exactly one wins.
      await second.release();
      const results = await Promise.allSettled([acquire(a, 'a', 0), acquire(b, 'b', 0)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('lock: the holder renews its lease, so it outlives its ttl; confirm() renews and says it is still held', async () => {
      const f = await fresh();
      const a = await f.open();
      const b = await f.open();
      const lease = await acquire(a, 'holder', 0, 400);
      await sleep(1_300);
      expect(lease.held()).toBe(true);
      expect(await lease.confirm()).toBe(true);
      await expect(acquire(b, 'waiter', 0)).rejects.toThrow(/holds the lock/);
    });

    it('lock: deadline() is a ttl after the claim was sent, on the clock the caller passed; a renewal moves it on; released, -Infinity', async () => {
      // The applier compares it with that clock before every write request (src/apply/lease-guard.ts).
      const f = await fresh();
      const a = await f.open();
      let clock = 5_000;
      const lease = await a.acquireLock({ owner: 'holder', timeoutMs: 0, ttlMs: 60_000, pollMs: 25, now: () => clock });
      leases.push(lease);
      expect(lease.deadline()).toBe(65_000);
      clock = 20_000;
      expect(await lease.confirm()).toBe(true);
      expect(lease.deadline()).toBe(80_000);
      await lease.release();
      expect(lease.deadline()).toBe(-Infinity);
    });

    it('lock: a holder paused past its lease is taken over after expiry, and then finds out (confirm false) and cannot release the new lease', async () => {
      const f = await fresh();
      const ttl = 1_000;
      const holder = stateChild(['hold', f.url, 'paused holder', String(ttl)], backend.env);
      try {
        expect(await holder.line('locked')).toBe('');
        const b = await f.open();
        await expect(acquire(b, 'waiter', 0)).rejects.toThrow(/holds the lock.*paused holder/);
        holder.kill('SIGSTOP');
        const stopped = Date.now();
        const lease = await acquire(b, 'waiter', 15_000);
        // Not at once: the lease ran out first (the last renewal was at most ttl/3 before the stop).
        expect(Date.now() - stopped).toBeGreaterThanOrEqual(ttl / 2);
        holder.kill('SIGCONT');
        holder.send('confirm');
        expect(await holder.line('confirm')).toBe('false');
        holder.send('release');
        expect(await holder.line('released')).toBe('');
        expect(await lease.confirm()).toBe(true);
        await expect(acquire(await f.open(), 'third', 0)).rejects.toThrow(/holds the lock.*waiter/);
      } finally {
        holder.kill('SIGKILL');
        await holder.exited;
      }
    });

    it('lock: a killed holder does not block forever (its lease is taken over within its ttl)', async () => {
      const f = await fresh();
      const ttl = 1_500;
      const holder = stateChild(['hold', f.url, 'killed holder', String(ttl)], backend.env);
      expect(await holder.line('locked')).toBe('');
      holder.kill('SIGKILL');
      await holder.exited;
      const killed = Date.now();
      const lease = await acquire(await f.open(), 'next', 10_000);
      expect(lease.held()).toBe(true);
      expect(Date.now() - killed).toBeLessThan(ttl + 2_000);
    });

    it('audit: two processes appending at once never fork the chain (numbers contiguous, chain verifies, nothing lost)', async () => {
      const f = await fresh();
      const count = 45;
      const children = ['one', 'two'].map((n) => stateChild(['append', f.url, String(count), n], backend.env));
      try {
        await Promise.all(children.map((c) => c.line('ready')));
        for (const c of children) c.send('go');
        const outputs = await Promise.all(children.map((c) => c.line('done')));
        const written = outputs.map((o) => JSON.parse(o) as { seq: number; hash: string; target: string }[]);
        const state = await f.open({ readOnly: true });
        const records = await state.readAudit();
        expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 2 * count }, (_, i) => i + 1));
        const verified = await verifyState(state);
        expect(verified.chain).toEqual({ ok: true, count: 2 * count, lastHash: records[records.length - 1]!.hash });
        // What each writer was told it wrote is exactly what is stored, in its own order.
        const bySeq = new Map(records.map((r) => [r.seq, r]));
        for (const [i, w] of written.entries()) {
          expect(w).toHaveLength(count);
          expect(w.map((r) => r.target)).toEqual(Array.from({ length: count }, (_, k) => `user:${['one', 'two'][i]}${k}`));
          for (const r of w) expect(bySeq.get(r.seq)?.hash).toBe(r.hash);
        }
      } finally {
        for (const c of children) c.kill('SIGKILL');
        await Promise.all(children.map((c) => c.exited));
      }
    });

    it('audit: a batch lands whole, or as a prefix and the call rejects; the chain stays valid and continues', async () => {
      const f = await fresh();
      const state = await f.open();
      const first = await state.appendAudit([entry(0), entry(1), entry(2)]);
      expect(first.map((r) => r.seq)).toEqual([1, 2, 3]);
      expect(first[1]!.prevHash).toBe(first[0]!.hash);
      // The third entry cannot be recorded (an invalid time): the batch stops there.
      await expect(state.appendAudit([entry(3), entry(4), entry(5, { time: new Date(Number.NaN) }), entry(6)])).rejects.toThrow();
      const after = await state.readAudit();
      const landed = after.slice(3).map((r) => r.target);
      expect([[], [entry(3).target], [entry(3).target, entry(4).target]]).toContainEqual(landed);
      expect((await verifyState(state)).chain.ok).toBe(true);
      const next = await state.appendAudit([entry(7)]);
      expect(next[0]!.seq).toBe(after.length + 1);
      expect(next[0]!.prevHash).toBe(after[after.length - 1]!.hash);
      const verified = await verifyState(state);
      expect(verified.chain).toMatchObject({ ok: true, count: after.length + 1 });
      // The write-ahead records: every intent here is still open.
      expect(verified.unresolved.map((r) => r.seq)).toEqual((await state.readAudit()).map((r) => r.seq));
    });

    it('audit: records read back exactly as returned, filtered by time, plan prefix, principal and seq', async () => {
      const f = await fresh();
      const state = await f.open();
      const written = await state.appendAudit(Array.from({ length: 8 }, (_, i) => entry(i)));
      const outcome = await state.appendAudit([
        { ...entry(8, { kind: 'outcome', outcome: 'applied', error: 'none', gitCommit: 'deadbeef' }), intentSeq: 1, before: { x: [1, 'two'] } },
      ]);
      const reader = await f.open({ readOnly: true });
      expect(await reader.readAudit()).toEqual([...written, ...outcome]);
      expect((await reader.readAudit({ since: new Date(Date.UTC(2026, 0, 1, 0, 0, 6)) })).map((r) => r.seq)).toEqual([7, 8, 9]);
      expect((await reader.readAudit({ planId: 'plan-ea' })).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
      expect((await reader.readAudit({ afterSeq: 7 })).map((r) => r.seq)).toEqual([8, 9]);
      expect((await reader.readAudit({ principal: 'user3' })).map((r) => r.seq)).toEqual([4]);
      expect((await verifyState(reader)).unresolved.map((r) => r.seq)).toEqual([2, 3, 4, 5, 6, 7, 8]);
      await expect(reader.appendAudit([entry(9)])).rejects.toThrow(/read-only/);
    });

    it('applied plans: append-only, oldest first, read back whole, also from two writers at once', async () => {
      const f = await fresh();
      const a = await f.open();
      const b = await f.open();
      const head = { count: 0, lastHash: '0'.repeat(64) };
      await a.recordAppliedPlan(plan(1, head));
      await Promise.all([a.recordAppliedPlan(plan(2, head)), b.recordAppliedPlan(plan(3, head))]);
      const plans = await (await f.open({ readOnly: true })).readAppliedPlans();
      expect(plans[0]).toEqual(plan(1, head));
      expect(plans.slice(1).sort((x, y) => x.planId.localeCompare(y.planId))).toEqual([plan(2, head), plan(3, head)]);
    });

    it('head and anchor: the head matches the last record, and a chain cut back behind an applied plan fails verify', async () => {
      const f = await fresh();
      const state = await f.open();
      expect(await verifyState(state)).toMatchObject({ chain: { ok: true, count: 0 }, appliedPlans: 0 });
      const records = await state.appendAudit([entry(0), entry(1), entry(2)]);
      const last = records[2]!;
      const head = await state.readAuditHead();
      expect(head === 'derived' || (head?.count === 3 && head.lastHash === last.hash)).toBe(true);
      await state.recordAppliedPlan(plan(1, { count: 3, lastHash: last.hash }));
      await state.appendAudit([entry(3)]);
      expect((await verifyState(state)).chain).toEqual({ ok: true, count: 4, lastHash: (await state.readAudit())[3]!.hash });

      await backend.truncate(f.url, 2);
      const reader = await f.open({ readOnly: true });
      const broken = await verifyState(reader);
      expect(broken.chain.ok).toBe(false);
      expect(broken.chain).toMatchObject({ seq: 3 });
      expect(JSON.stringify(broken.chain)).toMatch(/missing|truncated/);
    });
  });
}
