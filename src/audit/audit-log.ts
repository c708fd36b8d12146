import fs from 'node:fs';
import Database from 'better-sqlite3';
import { UserError } from '../diagnostics/errors.js';
import { chainRecord, GENESIS_HASH, type AuditEntry, type AuditOutcome, type AuditRecord } from './audit-record.js';
import { principalsOfRecord } from './record-principals.js';
import { verifyChain, type AuditHead, type VerifyResult } from './verify-chain.js';

// The audit trail in SQLite. For the embedded store it lives in the store's own file (so a copy
// of the store carries its history); for AWS in a local state file. The store engine holds its
// own connection to the same file, possibly in another process: WAL lets readers go on while
// one writer appends, and busy_timeout waits out the other's write transactions.

export interface AuditFilter {
  /** Records at or after this instant. */
  readonly since?: Date;
  /** A user or group name the record is about. */
  readonly principal?: string;
  /** A plan id, or a prefix of one (text output shows the first 12 characters). */
  readonly planId?: string;
}

export interface AuditLog {
  /** Appends the entries as the next records, all or none, and returns them. */
  append(entries: readonly AuditEntry[]): AuditRecord[];
  read(filter?: AuditFilter): AuditRecord[];
  verify(): VerifyResult;
  close(): void;
}

export interface OpenAuditLogOptions {
  /** Refuse to create the file (for reading commands: a typo in --store is not an empty log). */
  readonly mustExist?: boolean;
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
`;

interface RecordRow {
  seq: number;
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
  const db = new Database(dbPath);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL syncs at checkpoints instead of on every commit: a committed record
  // survives the process being killed (it is in the WAL), and only an OS crash or power loss
  // can take the last few, together with the store writes around them in the same WAL. FULL
  // cost an fsync per record, the bulk of a large apply's time.
  db.pragma('synchronous = NORMAL');
  // Whichever connection commits past the threshold checkpoints: the same one as the store's
  // engine, or this connection would checkpoint the shared WAL ten times as often.
  db.pragma('wal_autocheckpoint = 10000');
  db.pragma('busy_timeout = 10000');
  db.exec(SCHEMA);

  const selectHead = db.prepare<[], HeadRow>('SELECT count, last_hash FROM gatehouse_audit_head WHERE id = 1');
  const insertRecord = db.prepare(
    `INSERT INTO gatehouse_audit (seq, time, actor, git_commit, plan_id, operation, target, before_json,
       after_json, request_ids, outcome, error, prev_hash, hash)
     VALUES (@seq, @time, @actor, @git_commit, @plan_id, @operation, @target, @before_json,
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

  return {
    // IMMEDIATE takes the write lock before reading the head, so two appenders (two processes)
    // cannot both chain onto the same head.
    append: (entries) => appendAll.immediate(entries),
    read(filter = {}) {
      const where: string[] = [];
      const params: Record<string, string> = {};
      if (filter.since) {
        // ISO strings from toISOString() order like the instants they denote.
        where.push('time >= @since');
        params.since = filter.since.toISOString();
      }
      if (filter.planId) {
        where.push('substr(plan_id, 1, length(@planId)) = @planId');
        params.planId = filter.planId;
      }
      const sql = `SELECT * FROM gatehouse_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
      const records = db.prepare<Record<string, string>, RecordRow>(sql).all(params).map(fromRow);
      const principal = filter.principal;
      return principal === undefined ? records : records.filter((r) => principalsOfRecord(r).includes(principal));
    },
    verify() {
      // One read transaction, so an append in another process cannot land between the two reads.
      return db.transaction(() => {
        const rows = db.prepare<[], RecordRow>('SELECT * FROM gatehouse_audit ORDER BY seq').all();
        const head = selectHead.get();
        const asHead: AuditHead | undefined = head ? { count: head.count, lastHash: head.last_hash } : undefined;
        return verifyChain(rows.map(fromRow), asHead);
      })();
    },
    close: () => db.close(),
  };
}

function toRow(record: AuditRecord): RecordRow {
  return {
    seq: record.seq,
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
