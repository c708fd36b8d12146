import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouseAsync, processState, tempDir, waitUntilStopped } from '../helpers/cli.js';
import { ORG } from '../emulator/fixture.js';
import { IdentityCenterEngine } from '../../src/stores/identity-center/engine.js';
import { AWS_ENV, applyAsync, auditVerify, CRASH_CONFIG, lockHolder, lockReleased, openIntents, startEmulatorIn, unaccountedWrites, until, workspace } from '../helpers/crash-harness.js';

// The residual risk left by issue #8's lock fix: the lease was confirmed once before each
// change, but a change of several requests (CreatePermissionSet, then
// AttachManagedPolicyToPermissionSet, PutInlinePolicyToPermissionSet, …) sent the rest of its
// requests without looking again. AWS has no fencing token (nothing in the sso-admin model
// lets a request carry a lock generation that Identity Center would check), so a holder paused
// half-way (SIGSTOP, a stalled VM) and resumed after another apply took the lease over wrote
// over that apply's work. Every write request is now checked against the lease's deadline
// first (src/apply/lease-guard.ts), in the store (src/stores/perform-session.ts, and before
// every SDK attempt in src/stores/aws/sdk-caller.ts).
//
// Holder A applies c1 with --concurrency 1 and freezes itself (GATEHOUSE_FAULT=stop:
// between-requests:2) between CreatePermissionSet ReadOnly and its first attach: the first pass
// of that phase is permission set Admin (create, then attach AdministratorAccess), the second
// is ReadOnly. B waits for A's lease to expire, takes it over and applies c2, where ReadOnly has
// no inline policy; a late PutInlinePolicyToPermissionSet from A would be a real write over
// B's state (and the third plan would show it).

const c1 = path.join(CRASH_CONFIG, 'c1');
const c2 = path.join(CRASH_CONFIG, 'c2');
const TTL = '2s';
const FAULT = 'stop:between-requests:2';
const LOST = /lost the apply lock on sqlite:\S+ \(lease expired or taken over by another apply\); stopped permission set ReadOnly before sending AttachManagedPolicyToPermissionSet; the next apply reads what its earlier requests did/;

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('gatehouse-lease-mid-');
});
afterAll(() => tmp.cleanup());

/** The audit records of a state file, as (kind, operation, target, outcome), in order. */
function trail(file: string): { seq: number; kind: string; operation: string; target: string; outcome: string; intent_seq: number | null; error: string | null }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT seq, kind, operation, target, outcome, intent_seq, error FROM gatehouse_audit ORDER BY seq').all() as never;
  } finally {
    db.close();
  }
}

/** The Identity Center data of an embedded store (every table but Gatehouse's lock, audit and plan history). */
function liveDigest(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const hash = createHash('sha256');
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'gatehouse_%' ORDER BY name").all();
    for (const { name } of tables) hash.update(`${name}\n${db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort().join('\n')}\n`);
    return hash.digest('hex');
  } finally {
    db.close();
  }
}

describe('a lock holder paused inside a multi-request change, past its lease', () => {
  it('aws store (SDK against the emulator): resumed, it sends zero requests, records the change as unknown and exits 1; the new holder converges', async () => {
    const ws = workspace(tmp.dir, 'aws');
    const emulator = await startEmulatorIn(ws);
    try {
      const holder = applyAsync(ws, c1, emulator.url, { GATEHOUSE_FAULT: FAULT }, ['--lock-ttl', TTL, '--concurrency', '1']);
      const pid = holder.child.pid!;
      await waitUntilStopped(pid, 30_000);
      // Frozen right after CreatePermissionSet ReadOnly, before anything else for it.
      const sent = emulator.writes();
      expect(sent[sent.length - 1]).toEqual({ operation: 'sso-admin:CreatePermissionSet', target: 'permissionSet:ReadOnly' });
      const held = lockHolder(ws.statePath)!;
      expect(held.pid).toBe(pid);

      // B takes over only once the lease has expired (A's pid is alive), then converges to c2.
      const second = applyAsync(ws, c2, emulator.url, {}, ['--lock-ttl', TTL, '--lock-timeout', '30s']);
      const takenAt = await until('the second apply to take the lock', () => (lockHolder(ws.statePath)?.pid === second.child.pid ? Date.now() : undefined), 30_000);
      expect(takenAt).toBeGreaterThanOrEqual(held.expires_at);
      const done = await second.done;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toMatch(/Apply complete!/);
      // B found A's intent for ReadOnly open and resolved it by reading (created, not finished).
      expect(done.stderr).toMatch(/Resolved 1 write left unrecorded by an interrupted apply/);
      expect(lockReleased(ws)).toBe(true);
      expect(unaccountedWrites(ws, emulator.writes())).toEqual([]);
      const recordsBefore = trail(ws.statePath).length;

      // A resumes: not one request more, although its change had more to send.
      emulator.clearWrites();
      expect(processState(pid)).toBe('T');
      process.kill(pid, 'SIGCONT');
      const resumed = await holder.done;
      expect(emulator.writeAttempts(), resumed.stderr).toEqual([]);
      expect(resumed.code, resumed.stderr).toBe(1);
      expect(resumed.stderr).toMatch(LOST);
      expect(resumed.stderr).toMatch(/UNKNOWN \+ permission set ReadOnly/);
      expect(resumed.stderr).not.toMatch(/\n\s+at /);
      expect(resumed.stdout).not.toContain('Apply complete');

      // Its intent is closed as unknown (B's resolution already settles it); nothing is open.
      const added = trail(ws.statePath).slice(recordsBefore);
      expect(added).toEqual([expect.objectContaining({ kind: 'outcome', operation: 'permissionSet.create', target: 'permissionSet:ReadOnly', outcome: 'unknown' })]);
      expect(added[0]!.error).toMatch(LOST);
      expect(openIntents(ws)).toEqual([]);
      const verify = auditVerify(ws);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);

      // A third run plans nothing: the store is as B left it.
      // (Asynchronously: the emulator answers from this process.)
      const plan = await gatehouseAsync(['plan', '--config', c2, '--store', 'aws', '--endpoint-url', emulator.url], { cwd: ws.cwd, env: AWS_ENV }).done;
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
      expect(plan.stdout).toContain('No changes');
    } finally {
      await emulator.close();
    }
  }, 60_000);

  // The embedded store performs the same calls in process (src/stores/identity-center/engine.ts
  // through PerformSession, no SDK), and keeps the lock and the audit trail in its own file.
  // No emulator counts its requests here: a late request from A would change the store's
  // Identity Center tables (the inline policy B removed), which must stay exactly as B left them.
  it('embedded sqlite store: resumed, it changes nothing, records the change as unknown and exits 1; the new holder converges', async () => {
    const dir = path.join(tmp.dir, 'embedded');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'live.db');
    const engine = IdentityCenterEngine.open(file);
    engine.loadOrganization(ORG);
    engine.close();
    const store = `sqlite:${file}`;
    const ws = { cwd: dir, dbPath: file, statePath: file };
    const run = (config: string, env: Record<string, string>, extra: string[]) =>
      gatehouseAsync(['apply', '--auto-approve', '--config', config, '--store', store, '--lock-ttl', TTL, ...extra], { cwd: dir, env });

    const holder = run(c1, { GATEHOUSE_FAULT: FAULT }, ['--concurrency', '1']);
    const pid = holder.child.pid!;
    await waitUntilStopped(pid, 30_000);
    const held = lockHolder(file)!;
    expect(held.pid).toBe(pid);
    const last = trail(file).at(-1)!;
    expect(last).toMatchObject({ kind: 'intent', operation: 'permissionSet.create', target: 'permissionSet:ReadOnly' });

    const second = run(c2, {}, ['--lock-timeout', '30s']);
    const takenAt = await until('the second apply to take the lock', () => (lockHolder(file)?.pid === second.child.pid ? Date.now() : undefined), 30_000);
    expect(takenAt).toBeGreaterThanOrEqual(held.expires_at);
    const done = await second.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Apply complete!/);
    expect(done.stderr).toMatch(/Resolved 1 write left unrecorded by an interrupted apply/);
    const converged = liveDigest(file);
    const recordsBefore = trail(file).length;

    process.kill(pid, 'SIGCONT');
    const resumed = await holder.done;
    expect(resumed.code, resumed.stderr).toBe(1);
    expect(liveDigest(file), resumed.stderr).toBe(converged);
    expect(resumed.stderr).toMatch(LOST);
    expect(resumed.stderr).not.toMatch(/\n\s+at /);
    expect(resumed.stdout).not.toContain('Apply complete');
    const added = trail(file).slice(recordsBefore);
    expect(added).toEqual([expect.objectContaining({ kind: 'outcome', operation: 'permissionSet.create', target: 'permissionSet:ReadOnly', outcome: 'unknown' })]);
    expect(openIntents(ws)).toEqual([]);
    const verify = auditVerify(ws);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);

    const plan = await gatehouseAsync(['plan', '--config', c2, '--store', store], { cwd: dir }).done;
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');
  }, 60_000);
});
