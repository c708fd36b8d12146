import fs from 'node:fs';
import path from 'node:path';
import { TerminalError, UserError } from '../../diagnostics/errors.js';
import type { Change } from '../../diff/change.js';
import type { Organization } from '../../model/entities.js';
import type { LiveState } from '../../model/live.js';
import { engineCaller, IdentityCenterEngine, type EngineOptions } from '../identity-center/engine.js';
import type { LiveStore, PerformHooks, PerformResult, SnapshotOptions, StoreCapabilities } from '../live-store.js';
import { performChange } from '../perform-change.js';
import { readSnapshot } from './read-snapshot.js';
import { sqliteIdResolver } from './sqlite-id-resolver.js';
import { openForReading } from './readable-copy.js';

// The embedded store: a local Identity Center in one SQLite file. Changes go through the same
// AWS calls as the real service (performChange over the engine); snapshots read the tables.

export interface SqliteStoreOptions {
  /** Replaces the stored organisation (it comes from the organisation file). */
  readonly organization?: Organization;
  /** Refuse to perform changes (plan, drift, access, import). */
  readonly readOnly?: boolean;
  /** Clock, randomness and limits of the engine (tests). */
  readonly engine?: EngineOptions;
}

export type SqliteStore = LiveStore & {
  readonly engine: IdentityCenterEngine;
  /** Set when a read-only open found no file: the store is read as empty and nothing is created. */
  readonly missing?: boolean;
};

const EMPTY_ORGANIZATION: Organization = { managementAccountId: '', ous: [], accounts: [] };

/** Concurrency hints mirror AWS's limits, so an apply behaves the same against either store. */
const CAPABILITIES = {
  concurrency: { 'assignment.create': 15, 'assignment.delete': 15, 'permissionSet.provision': 3 },
  defaultConcurrency: 8,
} as const;

export async function openSqliteStore(dbPath: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const resolved = dbPath === ':memory:' ? dbPath : path.resolve(dbPath);
  // Read-only means read-only: a mistyped --store path must not leave a new file (and its
  // directories) behind, and plan must not replace the stored organisation.
  if (options.readOnly && resolved !== ':memory:' && !fs.existsSync(resolved)) return missingStore(resolved, options);
  let engine: IdentityCenterEngine;
  let removeCopy = () => {};
  try {
    const open = (file: string) =>
      IdentityCenterEngine.open(file, {
        ...options.engine,
        // In process, polls do not pause (see perform below), so nothing can wait for a
        // deprovisioning to finish: it finishes with the deletion of the last assignment.
        limits: { deprovisionAfterMs: 0, ...options.engine?.limits },
      });
    // Read-only on a file system it cannot write: a copy (readable-copy.ts).
    if (options.readOnly && resolved !== ':memory:') ({ value: engine, removeCopy } = openForReading(resolved, open));
    else engine = open(resolved);
  } catch (err) {
    throw storeFileError(resolved, err);
  }
  try {
    if (options.organization && !options.readOnly) engine.loadOrganization(options.organization);
  } catch (e) {
    engine.close();
    throw storeFileError(resolved, e);
  }
  const caller = engineCaller(engine);
  const ids = sqliteIdResolver(engine);
  // Read-only: plan against the config's organisation file (as apply will load it) without
  // writing it into the store.
  const organization = (): Organization =>
    (options.readOnly ? options.organization : undefined) ?? engine.organization() ?? EMPTY_ORGANIZATION;

  return {
    url: `sqlite:${resolved}`,
    engine,
    capabilities: (): StoreCapabilities => ({ write: !options.readOnly, ...CAPABILITIES }),
    organization: async () => organization(),
    snapshot: async (snapshotOptions?: SnapshotOptions): Promise<LiveState> =>
      readSnapshot(engine.db, engine.instance, organization(), snapshotOptions, engine.now()),
    perform: async (change: Change, hooks?: PerformHooks): Promise<PerformResult> => {
      if (options.readOnly) throw new TerminalError(`the store sqlite:${resolved} was opened read-only`, 'ReadOnly');
      // In process a request settles on its first status call: no pause between polls.
      return performChange(caller, ids, change, { pollIntervalMs: 0, deadlineMs: 0, sleep: async () => {} }, hooks);
    },
    close: async () => {
      engine.close();
      removeCopy();
    },
  };
}

/** The file and the cause (SQLITE_READONLY, SQLITE_CANTOPEN, EACCES…), never a bare SQLite message. */
function storeFileError(file: string, err: unknown): Error {
  if (err instanceof UserError) return err;
  const e = err as { code?: string; message?: string };
  const code = e.code && !String(e.message ?? '').includes(e.code) ? `${e.code}: ` : '';
  return new UserError(`cannot open the store sqlite:${file}: ${code}${e.message ?? String(err)}`);
}

/** A store file that does not exist yet, read as an empty Identity Center. */
function missingStore(file: string, options: SqliteStoreOptions): SqliteStore {
  const organization = options.organization ?? EMPTY_ORGANIZATION;
  const empty: LiveState = {
    instanceArn: '',
    identityStoreId: '',
    organization,
    users: [],
    groups: [],
    memberships: [],
    permissionSets: [],
    assignments: [],
    provisioning: [],
  };
  return {
    url: `sqlite:${file}`,
    missing: true,
    get engine(): IdentityCenterEngine {
      throw new UserError(`the store sqlite:${file} does not exist`);
    },
    capabilities: (): StoreCapabilities => ({ write: false, ...CAPABILITIES }),
    organization: async () => organization,
    snapshot: async () => empty,
    perform: async () => {
      throw new TerminalError(`the store sqlite:${file} was opened read-only`, 'ReadOnly');
    },
    close: async () => {},
  };
}
