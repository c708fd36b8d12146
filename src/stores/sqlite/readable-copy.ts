import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// SQLite reads a WAL database only where it can create and lock the -shm file beside it. On a
// read-only file system (a read-only mount, a store restored read-only from a CI cache) opening
// one fails with SQLITE_CANTOPEN, or, with the -wal and -shm left beside it, with SQLITE_READONLY
// at the first lock; better-sqlite3 takes no `immutable=1` URI, and `locking_mode = EXCLUSIVE`
// fails to lock on a read-only bind mount (SQLITE_IOERR_LOCK). So the commands that only read
// (plan, drift, access, audit verify) read a copy in the temporary directory: the database and
// its -wal, from which SQLite rebuilds the -shm. Nothing can change the file while it is copied
// through this mount, as nothing can write there.

/** Whether a file beside `file` cannot be created: the case for reading a copy. */
export function cannotWriteBeside(file: string): boolean {
  try {
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

export interface ReadableCopy {
  readonly file: string;
  remove(): void;
}

export function readableCopy(file: string): ReadableCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-read-'));
  const copy = path.join(dir, path.basename(file));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.copyFileSync(file, copy);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
  } catch (err) {
    remove();
    throw err;
  }
  return { file: copy, remove };
}

/**
 * `open(file)`; for a reader that cannot open it where it is (see above), `open` of a copy, which
 * `removeCopy` removes once the reader is closed. An error is the original file's.
 */
export function openForReading<T>(file: string, open: (file: string) => T): { value: T; removeCopy: () => void } {
  try {
    return { value: open(file), removeCopy: () => {} };
  } catch (err) {
    if (!cannotWriteBeside(file)) throw err;
    let copy: ReadableCopy;
    try {
      copy = readableCopy(file);
    } catch {
      throw err;
    }
    try {
      return { value: open(copy.file), removeCopy: copy.remove };
    } catch {
      copy.remove();
      throw err;
    }
  }
}
