import fs from 'node:fs';
import Database from 'better-sqlite3';
import { UserError } from '../diagnostics/errors.js';
import { switchToWal } from '../stores/sqlite/switch-to-wal.js';
import { openForReading } from '../stores/sqlite/readable-copy.js';
import type { AppliedPlan, AuditFilter } from '../state/shared-state.js';
import { chainRecord, GENESIS_HASH, type AuditEntry, type AuditKind, type AuditOutcome, type AuditRecord } from './audit-record.js';
import { principalsOfRecord } from './record-principals.js';
import { verifyChain, type AuditHead, type VerifyResult } from './verify-chain.js';

// The audit trail in SQLite. For the embedded store it lives in the store's own file (so a copy
// of the store carries its history); for AWS in a local state file. The store engine holds its
// own connection to the same file, possibly in another process: WAL lets readers go on while
// one writer appends, and busy_timeout waits out the other's write transactions.

export type { AuditFilter } from '../state/shared-state.js';

export interface AuditLog {
  /** Appends the entries as the next records, all or none, and returns them. */
  append(entries: readonly AuditEntry[]): AuditRecord[];
  read(filter?: AuditFilter): AuditRecord[];
  verify(): VerifyResult;
  head(): AuditHead | undefined;
  recordAppliedPlan(plan: AppliedPlan): void;
  appliedPlans(): AppliedPlan[];
  close(): void;
}

export interface OpenAuditLogOptions {
  /** Refuse to create the file (for reading commands: a typo in --store is not an empty log). */
  readonly mustExist?: boolean;
  /** Open for reading only (audit log/verify): never creates tables in someone's file. */
  readonly readOnly?: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS gatehouse_audit (
  seq INTEGER PRIMARY KEY,
  time TEXT NOT NULL,
  actor TEXT NOT NULL,
  git_commit TEXT,
  plan_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  target TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  request_ids TEXT NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gatehouse_audit_time ON gatehouse_audit (time);
CREATE INDEX IF NOT EXISTS gatehouse_audit_plan ON gatehouse_audit (plan_id);
-- The chain cannot show that its tail was cut off; this row (count and last hash, written in
-- the same transaction as every append) can, as CloudTrail's digest files do for log files.
CREATE TABLE IF NOT EXISTS gatehouse_audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  count INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
-- Successful apply runs, each with the audit head after its records: the anchor that shows a
-- chain cut off together with its head row.
CREATE TABLE IF NOT EXISTS gatehouse_applied_plans (
  seq INTEGER PRIMARY KEY,
  plan_id TEXT NOT NULL,
  body TEXT NOT NULL
);
`;

/** How long a statement waits for another process's lock (WAL switch included: switch-to-wal.ts). */
const BUSY_TIMEOUT_MS = 10_000;

/** Columns added after the first release; added in place to older files. */
const ADDED_COLUMNS: readonly (readonly [string, string])[] = [
  ['kind', 'TEXT'],
  ['intent_seq', 'INTEGER'],
];

interface RecordRow {
  seq: number;
  kind: string | null;
  intent_seq: number | null;
  time: string;
  actor: string;
  git_commit: string | null;
  plan_id: string;
  operation: string;
  target: string;
  before_json: string | null;
  after_json: string | null;
  request_ids: string;
  outcome: string;
  error: string | null;
  prev_hash: string;
  hash: string;
}

interface HeadRow {
  count: number;
  last_hash: string;
}

export function openAuditLog(dbPath: string, options: OpenAuditLogOptions = {}): AuditLog {
  if (options.mustExist && !fs.existsSync(dbPath)) throw new UserError(`no audit log: ${dbPath} does not exist`);
  if (options.readOnly) {
    // Read here, where a file system that cannot be written makes SQLite fail, not at the first
    // read; then from a copy (readable-copy.ts).
    const { value: db, removeCopy } = openForReading(dbPath, (file) => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
        db.prepare('SELECT count(*) FROM sqlite_master').get();
        return db;
      } catch (err) {
        db.close();
        throw err;
      }
    });
    const log = readOnlyLog(db);
    return {
      ...log,
      close: () => {
        log.close();
        removeCopy();
      },
    };
  }
  const db = new Database(dbPath);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return prepareForWriting(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

function prepareForWriting(db: Database.Database): AuditLog {
  switchToWal(db, BUSY_TIMEOUT_MS);
  // In WAL mode NORMAL syncs at checkpoints instead of on every commit: a committed record
  // survives the process being killed (it is in the WAL), and only an OS crash or power loss
  // can take the last few, together with the store writes around them in the same WAL. FULL
  // cost an fsync per record, the bulk of a large apply's time.
  db.pragma('synchronous = NORMAL');
  // Whichever connection commits past the threshold checkpoints: the same one as the store's
  // engine, or this connection would checkpoint the shared WAL ten times as often.
  db.pragma('wal_autocheckpoint = 10000');
  createOrMigrateSchema(db);
  return readWriteLog(db);
}

/**
 * One IMMEDIATE transaction: two processes opening a new file at once both saw the table
 * without the added columns and both added them, and the second failed with "duplicate column
 * name" (most failures of the fresh-open race). Holding the write lock from the start
 * makes look-then-add one step, and BEGIN IMMEDIATE waits on busy_timeout for the other.
 */
function createOrMigrateSchema(db: Database.Database): void {
  db.transaction(() => {
    db.exec(SCHEMA);
    const columns = new Set(db.prepare<[], { name: string }>('PRAGMA table_info(gatehouse_audit)').all().map((c) => c.name));
    for (const [name, type] of ADDED_COLUMNS) if (!columns.has(name)) db.exec(`ALTER TABLE gatehouse_audit ADD COLUMN ${name} ${type}`);
  }).immediate();
}

function readWriteLog(db: Database.Database): AuditLog {
  const reader = readOnlyLog(db);
  const selectHead = db.prepare<[], HeadRow>('SELECT count, last_hash FROM gatehouse_audit_head WHERE id = 1');
  const insertRecord = db.prepare(
    `INSERT INTO gatehouse_audit (seq, kind, intent_seq, time, actor, git_commit, plan_id, operation, target, before_json,
       after_json, request_ids, outcome, error, prev_hash, hash)
     VALUES (@seq, @kind, @intent_seq, @time, @actor, @git_commit, @plan_id, @operation, @target, @before_json,
       @after_json, @request_ids, @outcome, @error, @prev_hash, @hash)`,
  );
  const upsertHead = db.prepare(
    `INSERT INTO gatehouse_audit_head (id, count, last_hash) VALUES (1, @count, @last_hash)
     ON CONFLICT (id) DO UPDATE SET count = excluded.count, last_hash = excluded.last_hash`,
  );

  const appendAll = db.transaction((entries: readonly AuditEntry[]): AuditRecord[] => {
    // Chained onto the head, not onto whatever rows are there: a tampered table stays detectably
    // tampered instead of being papered over by the next append.
    const head = selectHead.get();
    let count = head?.count ?? 0;
    let prevHash = head?.last_hash ?? GENESIS_HASH;
    const records: AuditRecord[] = [];
    for (const entry of entries) {
      const record = chainRecord(entry, ++count, prevHash);
      insertRecord.run(toRow(record));
      records.push(record);
      prevHash = record.hash;
    }
    if (records.length > 0) upsertHead.run({ count, last_hash: prevHash });
    return records;
  });

  const insertApplied = db.prepare('INSERT INTO gatehouse_applied_plans (plan_id, body) VALUES (?, ?)');
  return {
    ...reader,
    // IMMEDIATE takes the write lock before reading the head, so two appenders (two processes)
    // cannot both chain onto the same head.
    append: (entries) => appendAll.immediate(entries),
    recordAppliedPlan(plan) {
      insertApplied.run(plan.planId, JSON.stringify(plan));
    },
  };
}

function readOnlyLog(db: Database.Database): AuditLog {
  const hasTable = (name: string): boolean =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  const columns = (): Set<string> =>
    new Set(db.prepare<[], { name: string }>('PRAGMA table_info(gatehouse_audit)').all().map((c) => c.name));
  const head = (): AuditHead | undefined => {
    if (!hasTable('gatehouse_audit_head')) return undefined;
    const row = db.prepare<[], HeadRow>('SELECT count, last_hash FROM gatehouse_audit_head WHERE id = 1').get();
    return row ? { count: row.count, lastHash: row.last_hash } : undefined;
  };
  const rows = (where: string, params: Record<string, string | number>): RecordRow[] => {
    if (!hasTable('gatehouse_audit')) return [];
    // A file from before the write-ahead columns, opened read-only, cannot be migrated.
    const have = columns();
    const missing = ['kind', 'intent_seq'].filter((c) => !have.has(c)).map((c) => `, NULL AS ${c}`).join('');
    return db.prepare<Record<string, string | number>, RecordRow>(`SELECT *${missing} FROM gatehouse_audit ${where} ORDER BY seq`).all(params);
  };
  return {
    append() {
      throw new UserError('the audit log was opened read-only');
    },
    recordAppliedPlan() {
      throw new UserError('the audit log was opened read-only');
    },
    read(filter = {}) {
      const where: string[] = [];
      const params: Record<string, string | number> = {};
      if (filter.since) {
        // ISO strings from toISOString() order like the instants they denote.
        where.push('time >= @since');
        params.since = filter.since.toISOString();
      }
      if (filter.planId) {
        where.push('substr(plan_id, 1, length(@planId)) = @planId');
        params.planId = filter.planId;
      }
      if (filter.afterSeq !== undefined) {
        where.push('seq > @afterSeq');
        params.afterSeq = filter.afterSeq;
      }
      const records = rows(where.length ? `WHERE ${where.join(' AND ')}` : '', params).map(fromRow);
      const principal = filter.principal;
      return principal === undefined ? records : records.filter((r) => principalsOfRecord(r).includes(principal));
    },
    verify() {
      // One read transaction, so an append in another process cannot land between the two reads.
      return db.transaction(() => verifyChain(rows('', {}).map(fromRow), head()))();
    },
    head,
    appliedPlans() {
      if (!hasTable('gatehouse_applied_plans')) return [];
      return db
        .prepare<[], { body: string }>('SELECT body FROM gatehouse_applied_plans ORDER BY seq')
        .all()
        .flatMap((r) => {
          try {
            return [JSON.parse(r.body) as AppliedPlan];
          } catch {
            return [];
          }
        });
    },
    close: () => db.close(),
  };
}

function toRow(record: AuditRecord): RecordRow {
  return {
    seq: record.seq,
    kind: record.kind ?? null,
    intent_seq: record.intentSeq ?? null,
    time: record.time,
    actor: record.actor,
    git_commit: record.gitCommit ?? null,
    plan_id: record.planId,
    operation: record.operation,
    target: record.target,
    before_json: record.before ?? null,
    after_json: record.after ?? null,
    request_ids: JSON.stringify(record.requestIds),
    outcome: record.outcome,
    error: record.error ?? null,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

function fromRow(row: RecordRow): AuditRecord {
  return {
    seq: row.seq,
    ...(row.kind !== null ? { kind: row.kind as AuditKind } : {}),
    ...(row.intent_seq !== null ? { intentSeq: row.intent_seq } : {}),
    time: row.time,
    actor: row.actor,
    ...(row.git_commit !== null ? { gitCommit: row.git_commit } : {}),
    planId: row.plan_id,
    operation: row.operation,
    target: row.target,
    ...(row.before_json !== null ? { before: row.before_json } : {}),
    ...(row.after_json !== null ? { after: row.after_json } : {}),
    requestIds: parseRequestIds(row.request_ids),
    outcome: row.outcome as AuditOutcome,
    ...(row.error !== null ? { error: row.error } : {}),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A tampered request_ids column must surface as a hash mismatch, not as a crash. */
function parseRequestIds(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.map(String) : [text];
  } catch {
    return [text];
  }
}
