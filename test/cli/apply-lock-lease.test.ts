import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processState, tempDir } from '../helpers/cli.js';
import { apply, applyAsync, auditVerify, CRASH_CONFIG, lockHolder, lockReleased, openIntents, startEmulatorIn, unaccountedWrites, until, workspace } from '../helpers/crash-harness.js';

// Issue #8, "The lock": the lease expires ttl after the last renewal even while its holder is
// alive. A holder paused past it (SIGSTOP, a stalled VM, a blocked event loop) may be taken over,
// but only once the lease has expired; when it resumes it must find out before its next write and
// stop without writing. The holder pauses itself with GATEHOUSE_FAULT=stop:<phase>:<n> (SIGSTOP
// to itself), between two changes or right between an intent and its write, with --concurrency 1
// so nothing else is in flight; the test resumes it with SIGCONT.

const c1 = path.join(CRASH_CONFIG, 'c1');
const c2 = path.join(CRASH_CONFIG, 'c2');
const TTL = '2s';

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('gatehouse-lease-');
});
afterAll(() => tmp.cleanup());

// The second apply converges the store to its config. Where it is c2, which has no user dave,
// a late CreateUser dave from the resumed holder would be a real write (and would show), not an
// idempotent no-op on what the second apply already created.
describe.each([
  ['between two changes', 'stop:after-outcome:5', c1, 'user bob@example.com'],
  ['between an intent and its write', 'stop:after-intent:8', c2, 'user dave@example.com'],
])('a lock holder paused %s past its lease', (_where, fault, secondConfig, next) => {
  it('is taken over only after the lease expired; resumed, it stops before writing, and writes nothing', async () => {
    const ws = workspace(tmp.dir, fault.replace(/:/g, '-'));
    const emulator = await startEmulatorIn(ws);
    try {
      const holder = applyAsync(ws, c1, emulator.url, { GATEHOUSE_FAULT: fault }, ['--lock-ttl', TTL, '--concurrency', '1']);
      const pid = holder.child.pid!;
      await until('the holder to stop itself', () => (processState(pid) === 'T' ? true : undefined));
      const held = lockHolder(ws.statePath)!;
      expect(held.pid).toBe(pid);

      // A second apply: it must wait for the lease to expire (the holder's pid is alive, so
      // only expiry frees it), then take over and converge the store.
      const second = applyAsync(ws, secondConfig, emulator.url, {}, ['--lock-ttl', TTL, '--lock-timeout', '30s']);
      const takenAt = await until('the second apply to take the lock', () => {
        const row = lockHolder(ws.statePath);
        return row && row.pid === second.child.pid ? Date.now() : undefined;
      });
      expect(takenAt).toBeGreaterThanOrEqual(held.expires_at);
      const done = await second.done;
      expect(done.code, done.stderr).toBe(0);
      expect(done.stdout).toMatch(/Apply complete!/);
      expect(lockReleased(ws)).toBe(true);
      expect(unaccountedWrites(ws, emulator.writes())).toEqual([]);

      // The holder resumes: it must not send a single write.
      emulator.clearWrites();
      process.kill(pid, 'SIGCONT');
      const resumed = await holder.done;
      expect(emulator.writeAttempts(), resumed.stderr).toEqual([]);
      expect(resumed.code, resumed.stderr).toBe(1);
      expect(resumed.stderr).toMatch(/lost the apply lock on sqlite:\S+ \(lease expired or taken over by another apply\); stopped before writing /);
      expect(resumed.stderr).toContain(`stopped before writing ${next}\n`);
      expect(resumed.stderr).not.toMatch(/\n\s+at /);
      expect(resumed.stdout).not.toContain('Apply complete');

      // The trail accounts for both processes' writes, and nothing is left open.
      expect(openIntents(ws)).toEqual([]);
      expect(auditVerify(ws).code).toBe(0);
      const again = await apply(ws, secondConfig, emulator.url);
      expect(again.stdout, again.stderr).toContain('No changes');
    } finally {
      await emulator.close();
    }
  });
});
