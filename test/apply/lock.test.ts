import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStoreLock } from '../../src/apply/lock.js';
import { repoRoot } from '../helpers/cli.js';

// Competing processes run the built module (dist/, built before tests), as `gatehouse apply` would.
const lockModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'apply', 'lock.js')).href;

const CHILD = `
const { acquireStoreLock } = await import(process.argv[1]);
const [dbPath, owner, timeoutMs, holdMs] = process.argv.slice(2);
try {
  const lock = await acquireStoreLock(dbPath, { owner, timeoutMs: Number(timeoutMs), pollMs: 20 });
  process.stdout.write('locked\\n');
  await new Promise((r) => setTimeout(r, Number(holdMs)));
  lock.release();
  process.stdout.write('released\\n');
} catch (err) {
  process.stderr.write(err.message + '\\n');
  process.exitCode = 1;
}
`;

interface Child {
  readonly pid: number;
  readonly kill: (signal: NodeJS.Signals) => void;
  readonly locked: Promise<void>;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

function compete(dbPath: string, owner: string, timeoutMs: number, holdMs: number): Child {
  const started = Date.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, lockModule, dbPath, owner, String(timeoutMs), String(holdMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onLocked: () => void = () => {};
  const locked = new Promise<void>((resolve) => (onLocked = resolve));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('locked\n')) onLocked();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Awaited<Child['done']>>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started })),
  );
  return { pid: child.pid!, kill: (s) => child.kill(s), locked, done };
}

let dir: string;
let dbPath: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-lock-'));
  dbPath = path.join(dir, 'live.db');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('acquireStoreLock across processes', () => {
  it('lets one process in; the other times out naming the holder', async () => {
    const holder = compete(dbPath, 'alice', 5_000, 3_000);
    await holder.locked;
    const contender = compete(dbPath, 'bob', 400, 0);
    const lost = await contender.done;
    expect(lost.code).toBe(1);
    expect(lost.ms).toBeGreaterThanOrEqual(400);
    expect(lost.stdout).not.toContain('locked');
    expect(lost.stderr).toMatch(
      new RegExp(`another apply holds the lock on sqlite:.*live\\.db \\(pid ${holder.pid} since \\d{4}-\\d\\d-\\d\\dT.*, by alice\\); waited \\d+\\.\\ds`),
    );
    holder.kill('SIGTERM');
    await holder.done;
  });

  it('takes over the lock of a SIGKILLed holder at once', async () => {
    const holder = compete(dbPath, 'alice', 5_000, 60_000);
    await holder.locked;
    holder.kill('SIGKILL');
    expect((await holder.done).signal).toBe('SIGKILL');
    const next = compete(dbPath, 'bob', 5_000, 0);
    const won = await next.done;
    expect(won.stdout).toBe('locked\nreleased\n');
    expect(won.code).toBe(0);
    // The pid check, not the 30 s heartbeat expiry, freed it.
    expect(won.ms).toBeLessThan(5_000);
  });

  it('a waiting process gets the lock when the holder releases it', async () => {
    const holder = compete(dbPath, 'alice', 5_000, 500);
    await holder.locked;
    const waiter = compete(dbPath, 'bob', 10_000, 0);
    const [first, second] = await Promise.all([holder.done, waiter.done]);
    expect(first.stdout).toBe('locked\nreleased\n');
    expect(second.stdout).toBe('locked\nreleased\n');
    expect(second.code).toBe(0);
  });
});

describe('acquireStoreLock in process', () => {
  it('is exclusive until released, then free again', async () => {
    const lock = await acquireStoreLock(dbPath, { owner: 'alice', timeoutMs: 0 });
    expect(lock.held()).toBe(true);
    await expect(acquireStoreLock(dbPath, { owner: 'bob', timeoutMs: 50, pollMs: 10, storeLabel: 'sqlite:live.db' })).rejects.toThrow(
      /another apply holds the lock on sqlite:live\.db \(pid \d+ since .*, by alice\)/,
    );
    lock.release();
    lock.release(); // idempotent
    const again = await acquireStoreLock(dbPath, { owner: 'bob', timeoutMs: 0 });
    again.release();
  });

  it('treats a lock from another host as stale only once its heartbeat expired', async () => {
    const db = new Database(dbPath);
    db.exec(`CREATE TABLE gatehouse_lock (id INTEGER PRIMARY KEY CHECK (id = 1), token TEXT NOT NULL, owner TEXT NOT NULL,
      pid INTEGER NOT NULL, host TEXT NOT NULL, acquired_at TEXT NOT NULL, expires_at INTEGER NOT NULL)`);
    const insert = db.prepare(`INSERT OR REPLACE INTO gatehouse_lock VALUES (1, 't', 'ci-runner', 4242, 'elsewhere', '2025-01-01T00:00:00.000Z', ?)`);
    insert.run(Date.now() + 60_000);
    await expect(acquireStoreLock(dbPath, { owner: 'bob', timeoutMs: 50, pollMs: 10 })).rejects.toThrow(/pid 4242 on elsewhere since 2025-01-01/);
    insert.run(Date.now() - 1);
    const lock = await acquireStoreLock(dbPath, { owner: 'bob', timeoutMs: 0 });
    expect(db.prepare('SELECT owner, pid FROM gatehouse_lock').get()).toEqual({ owner: 'bob', pid: process.pid });
    lock.release();
    expect(db.prepare('SELECT count(*) AS n FROM gatehouse_lock').get()).toEqual({ n: 0 });
    db.close();
  });

  it('keeps a held lock alive with a heartbeat', async () => {
    const lock = await acquireStoreLock(dbPath, { owner: 'alice', timeoutMs: 0, ttlMs: 90 });
    const db = new Database(dbPath);
    const first = (db.prepare('SELECT expires_at FROM gatehouse_lock').get() as { expires_at: number }).expires_at;
    await new Promise((r) => setTimeout(r, 200));
    const later = (db.prepare('SELECT expires_at FROM gatehouse_lock').get() as { expires_at: number }).expires_at;
    expect(later).toBeGreaterThan(first);
    // Still held by a live process: the pid check keeps others out even between beats.
    await expect(acquireStoreLock(dbPath, { owner: 'bob', timeoutMs: 30, pollMs: 10 })).rejects.toThrow(/by alice/);
    // Someone forcibly took it: the holder notices at the next beat.
    db.prepare(`UPDATE gatehouse_lock SET token = 'other'`).run();
    for (let waited = 0; lock.held() && waited < 3_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(lock.held()).toBe(false);
    lock.release();
    db.close();
  });
});
