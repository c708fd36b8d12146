import type Database from 'better-sqlite3';

// `PRAGMA journal_mode = WAL` on a file that is not yet in WAL mode (a fresh state, store or
// lock file) writes the file header, and it does so by opening a read transaction to look at
// the header and only then upgrading it to a write (sqlite3BtreeSetVersion). SQLite calls the
// busy handler only for a connection that holds no lock yet (sqlite3BtreeBeginTrans): a reader
// that waited for the write lock could deadlock with the writer waiting for it to go. So when
// two processes open the same new file at once, the one that loses the upgrade gets
// SQLITE_BUSY at once, whatever busy_timeout says ("the presence of a busy handler does not
// guarantee that it will be invoked": sqlite.org/c3ref/busy_handler.html). That was CI's
// "two processes appending at once" timing out: 3% of two-process and 12% of three-process
// opens of a fresh state failed this way (and with the duplicate-column race in audit-log.ts).
//
// The failed statement has released its read lock, so the winner can finish; the loser
// retrying a moment later finds the header already says WAL and writes nothing. Only
// SQLITE_BUSY is retried, and only until `timeoutMs`, the connection's busy timeout.

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** Switches `db` to WAL, retrying the lost-upgrade SQLITE_BUSY; returns the journal mode now in force. */
export function switchToWal(db: Database.Database, timeoutMs: number): string {
  const deadline = Date.now() + timeoutMs;
  for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, LONGEST_PAUSE_MS)) {
    try {
      return String(db.pragma('journal_mode = WAL', { simple: true }));
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() + pause > deadline) throw err;
    }
    sleepSync(pause);
  }
}

/** Opening a database is synchronous (better-sqlite3), so the pause is too. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
