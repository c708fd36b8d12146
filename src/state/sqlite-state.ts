import fs from 'node:fs';
import path from 'node:path';
import { acquireStoreLock } from '../apply/lock.js';
import { openAuditLog, type AuditLog } from '../audit/audit-log.js';
import { UserError } from '../diagnostics/errors.js';
import type { Lease, SharedState } from './shared-state.js';

// `sqlite:PATH`: the lock, the audit chain and the applied plans in one SQLite file. For the
// embedded store this is the store's own file, so a copy of the store carries its history and
// the audit head sits next to the data it describes. Appends run in BEGIN IMMEDIATE
// transactions (audit-log.ts), so two processes cannot both chain onto the same head.

export interface SqliteStateOptions {
  /** For `audit log|verify`: the file must exist, and nothing is created or migrated in it. */
  readonly readOnly?: boolean;
}

export function openSqliteState(file: string, options: SqliteStateOptions = {}): SharedState {
  const dbPath = path.resolve(file);
  const url = `sqlite:${dbPath}`;
  if (options.readOnly && !fs.existsSync(dbPath)) throw new UserError(`no audit log: ${dbPath} does not exist`);
  let log: AuditLog;
  try {
    if (!options.readOnly) fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    log = openAuditLog(dbPath, { readOnly: options.readOnly === true });
  } catch (err) {
    throw stateError(url, err, dbPath);
  }
  const guard = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(stateError(url, err, dbPath));
    }
  };
  return {
    url,
    async acquireLock(request): Promise<Lease> {
      let lock: Awaited<ReturnType<typeof acquireStoreLock>>;
      try {
        lock = await acquireStoreLock(dbPath, { ...request, storeLabel: url });
      } catch (err) {
        // A bare "attempt to write a readonly database" named no file.
        throw stateError(url, err, dbPath);
      }
      return {
        owner: lock.owner,
        held: () => lock.held(),
        confirm: async () => lock.confirm(),
        deadline: () => lock.deadline(),
        release: async () => lock.release(),
      };
    },
    appendAudit: (entries) => guard(() => log.append(entries)),
    readAudit: (filter) => guard(() => log.read(filter)),
    readAuditHead: () => guard(() => log.head()),
    recordAppliedPlan: (plan) => guard(() => log.recordAppliedPlan(plan)),
    readAppliedPlans: () => guard(() => log.appliedPlans()),
    close: async () => log.close(),
  };
}

/** SQLite errors name the file and the cause (SQLITE_FULL, SQLITE_READONLY, EACCES…). */
export function stateError(url: string, err: unknown, file?: string): UserError {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code && !String(e.message ?? '').includes(e.code) ? `${e.code}: ` : '';
  const os = file !== undefined && /^SQLITE_(CANTOPEN|READONLY|PERM|IOERR)/.test(e.code ?? '') ? osCause(file) : undefined;
  return new UserError(`cannot use the shared state ${url}: ${code}${e.message ?? String(err)}${os ? ` (${os})` : ''}`);
}

const OS_CAUSES: Readonly<Record<string, string>> = {
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/**
 * Why SQLite could not open or write the file, as the OS says it: SQLite reports only "unable
 * to open database file" or "attempt to write a readonly database", and the usual reasons are a
 * read-only file system or a directory the user may not write (WAL mode creates -wal and -shm
 * files next to the database).
 */
function osCause(file: string): string | undefined {
  for (const p of [file, path.dirname(file)]) {
    try {
      fs.accessSync(p, fs.constants.W_OK);
    } catch (err) {
      const errno = (err as NodeJS.ErrnoException).code ?? '';
      if (errno === 'ENOENT') continue;
      return `${p}: ${OS_CAUSES[errno] ?? errno}`;
    }
  }
  return undefined;
}
