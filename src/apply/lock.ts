import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { UserError } from '../diagnostics/errors.js';
import { switchToWal } from '../stores/sqlite/switch-to-wal.js';

// One writer per store, across processes: two applies interleaving their waves could each see
// the other's half-done work as drift and undo it. The lock is a row in the store's own SQLite
// file (for AWS, the local state file), taken inside BEGIN IMMEDIATE so the check-then-claim
// is atomic. A holder that dies without releasing (SIGKILL, power loss) must not block forever:
// on the same host its pid is checked for liveness; elsewhere its heartbeat expires.

export interface StoreLockOptions {
  /** Who holds it, for the message others see (e.g. the audit actor). */
  readonly owner: string;
  /** Give up after this long; 0 tries once. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** A lock whose heartbeat is older than this is stale; the holder renews it every ttl/3. */
  readonly ttlMs?: number;
  /** How to name the store in messages; defaults to `sqlite:<dbPath>`. */
  readonly storeLabel?: string;
  /** A monotonic clock in ms for `deadline()` (default `performance.now`): a wall-clock step must not stretch the lease. */
  readonly now?: () => number;
}

export interface StoreLock {
  readonly owner: string;
  /** False once another process took the lock over (our heartbeat found it gone). */
  held(): boolean;
  /**
   * Reads the lock row and renews it when it is still ours and unexpired. A holder that was
   * paused (SIGSTOP, a blocked event loop) past its lease may have been taken over: this is how
   * it finds out before its next write. Once false, it stays false.
   */
  confirm(): boolean;
  /**
   * Until when (on the `now` clock) the lease is surely ours: the last successful claim or
   * renewal, timed from before it was sent, plus the ttl. No one can judge it expired earlier.
   */
  deadline(): number;
  release(): void;
}

interface LockRow {
  token: string;
  owner: string;
  pid: number;
  host: string;
  acquired_at: string;
  expires_at: number;
}

const DEFAULT_POLL_MS = 250;
const DEFAULT_TTL_MS = 30_000;
/** How long one statement waits for another process's write (the WAL switch included: switch-to-wal.ts). */
const BUSY_TIMEOUT_MS = 5000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS gatehouse_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  token TEXT NOT NULL,
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  expires_at INTEGER NOT NULL
)`;

export async function acquireStoreLock(dbPath: string, options: StoreLockOptions): Promise<StoreLock> {
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const label = options.storeLabel ?? `sqlite:${dbPath}`;
  const db = new Database(dbPath);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    switchToWal(db, BUSY_TIMEOUT_MS);
    db.exec(SCHEMA);
  } catch (err) {
    db.close();
    throw err;
  }

  const token = randomUUID();
  const host = os.hostname();
  const select = db.prepare<[], LockRow>('SELECT * FROM gatehouse_lock WHERE id = 1');
  const claim = db.prepare(
    `INSERT OR REPLACE INTO gatehouse_lock (id, token, owner, pid, host, acquired_at, expires_at)
     VALUES (1, @token, @owner, @pid, @host, @acquired_at, @expires_at)`,
  );
  const monotonic = options.now ?? (() => performance.now());
  let claimedAt = 0;
  const tryClaim = db.transaction((): LockRow | undefined => {
    const current = select.get();
    // Read before the wall clock that sets expires_at, so the local deadline is never the later one.
    const sent = monotonic();
    const now = Date.now();
    if (current && !isStale(current, host, now)) return current;
    claimedAt = sent;
    claim.run({ token, owner: options.owner, pid: process.pid, host, acquired_at: new Date(now).toISOString(), expires_at: now + ttlMs });
    return undefined;
  });

  const started = Date.now();
  for (;;) {
    let holder: LockRow | undefined;
    try {
      holder = tryClaim.immediate();
    } catch (err) {
      db.close();
      throw err;
    }
    if (!holder) return holdLock(db, token, options.owner, ttlMs, monotonic, claimedAt + ttlMs);
    const waited = Date.now() - started;
    if (waited >= options.timeoutMs) {
      db.close();
      throw new UserError(
        `another apply holds the lock on ${label} (pid ${holder.pid}${holder.host === host ? '' : ` on ${holder.host}`} ` +
          `since ${holder.acquired_at}, by ${holder.owner}); waited ${(waited / 1000).toFixed(1)}s`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(1, options.timeoutMs - waited))));
  }
}

function holdLock(db: Database.Database, token: string, owner: string, ttlMs: number, monotonic: () => number, firstDeadline: number): StoreLock {
  let held = true;
  let deadline = firstDeadline;
  // Renews only an unexpired lease: once expired, another process may already have judged it
  // free, so the holder must not resurrect it (even if nobody has taken it yet).
  const renewLive = db.prepare('UPDATE gatehouse_lock SET expires_at = ? WHERE id = 1 AND token = ? AND expires_at >= ?');
  /** One renewal; throws when the database cannot tell. */
  const renew = (): void => {
    const sent = monotonic();
    const now = Date.now();
    if (renewLive.run(now + ttlMs, token, now).changes === 0) held = false;
    else deadline = Math.max(deadline, sent + ttlMs);
  };
  const heartbeat = setInterval(() => {
    try {
      if (!held) return;
      renew();
    } catch {
      // A busy database delays one beat; the next one (ttl/3 later) tries again.
    }
  }, Math.max(10, Math.floor(ttlMs / 3)));
  // The heartbeat alone must not keep a finished process alive.
  heartbeat.unref();
  let released = false;
  return {
    owner,
    held: () => held && !released,
    confirm() {
      if (!held || released) return false;
      try {
        renew();
      } catch {
        // Cannot tell: treat as lost rather than write without a lock.
        held = false;
      }
      return held;
    },
    deadline: () => (held && !released ? deadline : -Infinity),
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      try {
        db.prepare('DELETE FROM gatehouse_lock WHERE id = 1 AND token = ?').run(token);
      } finally {
        db.close();
      }
    },
  };
}

function isStale(row: LockRow, host: string, now: number): boolean {
  if (row.expires_at < now) return true;
  return row.host === host && !isProcessAlive(row.pid);
}

/** Signal 0 checks existence without signalling; EPERM means it exists but is not ours. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
