import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir, type CliResult } from '../helpers/cli.js';
import {
  apply,
  applyArgs,
  applyAsync,
  auditVerify,
  AWS_ENV,
  CRASH_CONFIG,
  lockReleased,
  openIntents,
  startEmulatorIn,
  unaccountedWrites,
  workspace,
  type Workspace,
} from '../helpers/crash-harness.js';
import { auditRecords } from '../helpers/store-digest.js';
import type { WriteLogEmulator } from '../helpers/write-log-emulator.js';

// Issue #8, "Audit trail that cannot miss a write", through the CLI: `apply --store aws` against
// the emulator (which logs every write it carries out) is interrupted from outside, as an
// operator, GitHub's "Cancel workflow" (SIGINT), a CI runner (SIGTERM), a closed pipe or a full
// disk would. After each, the next run resolves what was left open from the live state, every
// write the store saw has an audit record, the store converges, and `audit verify` passes.
// Seeded interruptions at many points are in apply-crash-points.test.ts.

const c1 = path.join(CRASH_CONFIG, 'c1');
// Slow enough that a signal lands in the middle of the waves.
const LATENCY_MS = 120;

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('gatehouse-interrupt-');
});
afterAll(() => tmp.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the audit trail holds at least `n` outcome records (the apply is mid-waves), or fails. */
async function untilOutcomes(ws: Workspace, n: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (auditRecords(ws.statePath).filter((r) => r.kind === 'outcome').length >= n) return;
    } catch {
      // The file is being created: try again.
    }
    await sleep(20);
  }
  throw new Error(`the apply did not record ${n} outcomes in ${timeoutMs} ms`);
}

/** The checks that follow every interruption: rerun, then account for every write. */
async function rerunAndCheck(ws: Workspace, emulator: WriteLogEmulator, context: string, extra: string[] = [], writeFreeRun = false): Promise<CliResult> {
  const config = c1;
  const rerun = await apply(ws, config, emulator.url, {}, extra);
  const all = `${context}\n--- rerun\n${rerun.stdout}${rerun.stderr}`;
  expect(rerun.code, all).toBe(0);
  expect(rerun.stdout, all).toMatch(/Apply complete!/);
  expect(unaccountedWrites(ws, emulator.writes()), all).toEqual([]);
  expect(openIntents(ws), all).toEqual([]);
  const verify = auditVerify(ws);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  if (writeFreeRun) {
    // The rerun's exit 0 already says the store converged (apply re-reads after its waves);
    // once, also see that a third run finds nothing to do and writes nothing.
    emulator.clearWrites();
    const again = await apply(ws, config, emulator.url, {}, extra);
    expect(again.stdout, again.stderr).toContain('No changes');
    expect(emulator.writes()).toEqual([]);
  }
  return rerun;
}

describe('apply interrupted from outside', () => {
  it('SIGKILL mid-apply: the next run resolves the open intents from the live state', async () => {
    const ws = workspace(tmp.dir, 'sigkill');
    const emulator = await startEmulatorIn(ws, LATENCY_MS);
    try {
      const run = applyAsync(ws, c1, emulator.url);
      await untilOutcomes(ws, 3);
      run.child.kill('SIGKILL');
      const killed = await run.done;
      expect(killed.code).toBe(-1);
      expect(emulator.writes().length).toBeGreaterThan(0);
      // Requests the dead process sent still land (as on AWS): the emulator answers after its latency.
      await sleep(3 * LATENCY_MS);
      const rerun = await rerunAndCheck(ws, emulator, `--- killed\n${killed.stderr}`, [], true);
      // A SIGKILL between an intent and its outcome leaves it open; the rerun says so when it did.
      if (rerun.stderr.includes('Resolved')) expect(rerun.stderr).toMatch(/Resolved \d+ writes? left unrecorded by an interrupted apply \(read from the live state/);
    } finally {
      await emulator.close();
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} mid-apply: exit ${code}; in-flight changes finish with outcomes; the lock is released; it says what was done and what was not`, async () => {
      const ws = workspace(tmp.dir, signal);
      const emulator = await startEmulatorIn(ws, LATENCY_MS);
      try {
        const run = applyAsync(ws, c1, emulator.url);
        await untilOutcomes(ws, 3);
        run.child.kill(signal);
        const stopped = await run.done;
        const context = `--- ${signal}\n${stopped.stdout}${stopped.stderr}`;
        expect(stopped.code, context).toBe(code);
        expect(stopped.stderr).toContain(`Received ${signal}: starting no new changes; waiting for those in flight (a second ${signal} forces exit).`);
        expect(stopped.stderr).toMatch(new RegExp(`Apply stopped \\(interrupted by ${signal}\\)\\.`));
        expect(stopped.stderr).toMatch(/done: [1-9]\d* applied; not done: 0 failed, 0 unknown, [1-9]\d* not started or skipped\./);
        expect(stopped.stderr).toMatch(/SKIPPED [+~-] .*: not started\n/);
        expect(stopped.stdout).not.toContain('Apply complete');
        expect(stopped.stderr).not.toMatch(/\n\s+at /);
        // Every change that started finished and was recorded before the exit.
        expect(openIntents(ws)).toEqual([]);
        expect(unaccountedWrites(ws, emulator.writes())).toEqual([]);
        expect(lockReleased(ws)).toBe(true);
        // The rerun does not wait for a lock and has nothing to resolve.
        const rerun = await rerunAndCheck(ws, emulator, context);
        expect(rerun.stderr).not.toContain('Resolved');
      } finally {
        await emulator.close();
      }
    });
  }

  it('a second SIGINT forces the exit; the next run resolves what the first left in flight', async () => {
    const ws = workspace(tmp.dir, 'sigint-twice');
    // Very slow answers, so changes are still in flight when the second signal comes.
    const emulator = await startEmulatorIn(ws, 1500);
    try {
      const run = applyAsync(ws, c1, emulator.url);
      await untilOutcomes(ws, 1);
      run.child.kill('SIGINT');
      await sleep(300);
      run.child.kill('SIGINT');
      const forced = await run.done;
      const context = `--- forced\n${forced.stdout}${forced.stderr}`;
      expect(forced.code, context).toBe(130);
      expect(forced.stderr).toContain('Forced exit on SIGINT: changes in flight may have no outcome record; the next apply resolves them by reading the live state.');
      expect(openIntents(ws).length, context).toBeGreaterThan(0);
      await emulator.close();
      // The write requests sent before the forced exit may still land: let the emulator finish
      // them (a new one on the same database answers at full speed).
      const fast = await startEmulatorIn(ws);
      try {
        const rerun = await apply(ws, c1, fast.url);
        expect(rerun.code, `${context}\n${rerun.stderr}`).toBe(0);
        expect(rerun.stderr).toMatch(/Resolved \d+ writes? left unrecorded by an interrupted apply/);
        expect(openIntents(ws)).toEqual([]);
        expect(auditVerify(ws).code).toBe(0);
      } finally {
        await fast.close();
      }
    } finally {
      await emulator.close().catch(() => {});
    }
  });
});

describe('apply with its stdout closed early (`gatehouse apply | head -1`)', () => {
  // text: the plan goes out before the waves, `head -1` takes its first line and leaves, and the
  // summary at the end meets a closed pipe. json: one document at the end, so the reader leaves
  // at once (`head -n 0`) to close the pipe before it.
  for (const [format, reader] of [
    ['text', 'head -1'],
    ['json', 'head -n 0'],
  ] as const) {
    it(`--format ${format} | ${reader}: no unhandled EPIPE, the apply completes, no record is lost`, async () => {
      const ws = workspace(tmp.dir, `epipe-${format}`);
      const emulator = await startEmulatorIn(ws, 20);
      try {
        const args = [...applyArgs(c1, emulator.url), '--format', format].map((a) => `'${a}'`).join(' ');
        // bash: the exit status of gatehouse itself, not of head.
        // Spawned asynchronously: the emulator answers from this process's event loop.
        const status = await new Promise<number | null>((resolve) => {
          const child = spawn('bash', ['-c', `'${process.execPath}' '${cliPath}' ${args} 2>stderr.txt | ${reader} >/dev/null; echo "\${PIPESTATUS[0]}" > rc.txt`], {
            cwd: ws.cwd,
            env: { ...process.env, ...AWS_ENV, CI: 'true', NO_COLOR: '1', GATEHOUSE_ACTOR: 'test' },
            stdio: 'ignore',
          });
          child.on('close', (code) => resolve(code));
        });
        expect(status).toBe(0);
        const stderr = readFileSync(path.join(ws.cwd, 'stderr.txt'), 'utf8');
        const rc = Number(readFileSync(path.join(ws.cwd, 'rc.txt'), 'utf8').trim());
        expect(stderr).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
        expect(rc, stderr).toBe(0);
        expect(emulator.writes().length).toBeGreaterThan(0);
        expect(unaccountedWrites(ws, emulator.writes())).toEqual([]);
        expect(openIntents(ws)).toEqual([]);
        // Every change has its intent and its outcome.
        const records = auditRecords(ws.statePath);
        expect(records.filter((x) => x.kind === 'intent').length).toBe(18);
        expect(records.filter((x) => x.kind === 'outcome' && x.outcome === 'applied').length).toBe(18);
        expect(auditVerify(ws).code).toBe(0);
      } finally {
        await emulator.close();
      }
    });
  }
});

// A full disk under the audit trail: a tmpfs of a few hundred KiB, mounted in a private mount
// namespace (`unshare -m`, which needs root or user namespaces). Where that is not possible the
// test says so and is skipped.
const canMountTmpfs = (() => {
  const probe = spawnSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; rc=$?; rmdir "$d"; exit $rc'], { encoding: 'utf8' });
  const rootless = probe.status === 0 ? probe : spawnSync('unshare', ['-rm', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs "$d" && umount "$d"; rc=$?; rmdir "$d"; exit $rc'], { encoding: 'utf8' });
  return probe.status === 0 ? ['-m'] : rootless.status === 0 ? ['-rm'] : undefined;
})();

describe('apply with the audit trail on a full disk', () => {
  it.skipIf(!canMountTmpfs)('stops at the failed append, naming the file and the cause; the next run resolves and converges', async () => {
    const ws = workspace(tmp.dir, 'disk-full');
    const emulator = await startEmulatorIn(ws, 20);
    const mnt = path.join(ws.cwd, 'small-disk');
    const saved = path.join(ws.cwd, 'saved');
    mkdirSync(mnt);
    mkdirSync(saved);
    const state = path.join(mnt, 'state.db');
    try {
      // Inside the namespace: mount a 256 KiB tmpfs, apply with --state on it, then copy what the
      // apply left (database and WAL) out before the namespace, and its tmpfs, go away.
      const args = [...applyArgs(c1, emulator.url), '--state', `sqlite:${state}`].map((a) => `'${a}'`).join(' ');
      const script = [
        `mount -t tmpfs -o size=256k tmpfs '${mnt}'`,
        `'${process.execPath}' '${cliPath}' ${args} > '${saved}/stdout.txt' 2> '${saved}/stderr.txt'`,
        `echo $? > '${saved}/rc.txt'`,
        `df -k '${mnt}' | tail -1 > '${saved}/df.txt'`,
        `cp '${mnt}'/state.db* '${saved}/'`,
      ].join('; ');
      const r = await new Promise<number | null>((resolve) => {
        const child = spawn('unshare', [...canMountTmpfs!, 'sh', '-c', script], {
          cwd: ws.cwd,
          env: { ...process.env, ...AWS_ENV, CI: 'true', NO_COLOR: '1', GATEHOUSE_ACTOR: 'test' },
          stdio: 'ignore',
        });
        child.on('close', (c) => resolve(c));
      });
      expect(r).toBe(0);
      const stderr = readFileSync(path.join(saved, 'stderr.txt'), 'utf8');
      const stdout = readFileSync(path.join(saved, 'stdout.txt'), 'utf8');
      const context = `--- full disk (df: ${readFileSync(path.join(saved, 'df.txt'), 'utf8').trim()})\n${stdout}${stderr}`;
      expect(Number(readFileSync(path.join(saved, 'rc.txt'), 'utf8')), context).toBe(1);
      // Named file, named cause, one line; no stack trace, no "Apply complete".
      expect(stderr, context).toMatch(new RegExp(`Error: cannot use the shared state sqlite:${state.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: (SQLITE_FULL: )?database or disk is full`));
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stdout).not.toContain('Apply complete');
      // Stopped at once: changes not yet started stay not started (no retry storm).
      expect(stderr, context).toMatch(/not done: .* [1-9]\d* not started or skipped/);

      // The next run, on a disk with room (the saved copy): resolves, converges, verifies.
      const copy = path.join(saved, 'state.db');
      expect(existsSync(copy)).toBe(true);
      const moved: Workspace = { ...ws, statePath: copy };
      await rerunAndCheck(moved, emulator, context, ['--state', `sqlite:${copy}`]);
    } finally {
      await emulator.close();
    }
  });
});
