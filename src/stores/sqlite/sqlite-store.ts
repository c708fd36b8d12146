import path from 'node:path';
import { TerminalError } from '../../diagnostics/errors.js';
import type { Change } from '../../diff/change.js';
import type { Organization } from '../../model/entities.js';
import type { LiveState } from '../../model/live.js';
import { engineCaller, IdentityCenterEngine, type EngineOptions } from '../identity-center/engine.js';
import type { LiveStore, PerformResult, SnapshotOptions, StoreCapabilities } from '../live-store.js';
import { performChange } from '../perform-change.js';
import { readSnapshot } from './read-snapshot.js';
import { sqliteIdResolver } from './sqlite-id-resolver.js';

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

export type SqliteStore = LiveStore & { readonly engine: IdentityCenterEngine };

const EMPTY_ORGANIZATION: Organization = { managementAccountId: '', ous: [], accounts: [] };

/** Concurrency hints mirror AWS's limits, so an apply behaves the same against either store. */
const CAPABILITIES = {
  concurrency: { 'assignment.create': 15, 'assignment.delete': 15, 'permissionSet.provision': 3 },
  defaultConcurrency: 8,
} as const;

export async function openSqliteStore(dbPath: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const resolved = dbPath === ':memory:' ? dbPath : path.resolve(dbPath);
  const engine = IdentityCenterEngine.open(resolved, options.engine);
  try {
    if (options.organization) engine.loadOrganization(options.organization);
  } catch (e) {
    engine.close();
    throw e;
  }
  const caller = engineCaller(engine);
  const ids = sqliteIdResolver(engine);
  const organization = (): Organization => engine.organization() ?? EMPTY_ORGANIZATION;

  return {
    url: `sqlite:${resolved}`,
    engine,
    capabilities: (): StoreCapabilities => ({ write: !options.readOnly, ...CAPABILITIES }),
    organization: async () => organization(),
    snapshot: async (snapshotOptions?: SnapshotOptions): Promise<LiveState> =>
      readSnapshot(engine.db, engine.instance, organization(), snapshotOptions),
    perform: async (change: Change): Promise<PerformResult> => {
      if (options.readOnly) throw new TerminalError(`the store sqlite:${resolved} was opened read-only`, 'ReadOnly');
      // In process a request settles on its first status call: no pause between polls.
      return performChange(caller, ids, change, { pollIntervalMs: 0, deadlineMs: 0, sleep: async () => {} });
    },
    close: async () => engine.close(),
  };
}
