import { createHash } from 'node:crypto';
import { canonicalJson } from '../diff/canonical-json.js';

// One write to the live system, as the audit trail keeps it. Records form a hash chain: each
// carries the hash of the one before (as CloudTrail digest files do), so an edit, a deletion or
// a reordering anywhere breaks the chain from that record on.

// Write-ahead: an `intent` record is appended (durably) before each write and an `outcome`
// record after it, naming the intent by its seq. An intent without a definite outcome (the
// process died, or the store could not say whether the write happened) is closed by a later
// run with a `resolution` record: what it found when it read the live object.
export type AuditKind = 'intent' | 'outcome' | 'resolution';

/**
 * intent: `pending`. outcome: `applied`, `failed`, or `unknown` (the store could not tell; never
 * counted as applied). resolution: `applied` (found live as intended) or `not-applied`.
 */
export type AuditOutcome = 'pending' | 'applied' | 'failed' | 'unknown' | 'not-applied';

/** What the applier hands over for one finished change. */
export interface AuditEntry {
  /** Absent on records written before write-ahead records existed: read as `outcome`. */
  readonly kind?: AuditKind;
  /** For outcomes and resolutions: the seq of the intent they close. */
  readonly intentSeq?: number;
  readonly time: Date;
  readonly actor: string;
  readonly gitCommit?: string;
  readonly planId: string;
  /** The change kind, e.g. `assignment.create`. */
  readonly operation: string;
  /** The entity key (changeTarget), e.g. `assignment:GROUP:admins|Admin|111122223333`. */
  readonly target: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestIds: readonly string[];
  readonly outcome: AuditOutcome;
  readonly error?: string;
}

/** An entry as stored: numbered, timestamped as ISO text, chained. */
export interface AuditRecord {
  /** 1-based, no gaps. */
  readonly seq: number;
  readonly kind?: AuditKind;
  readonly intentSeq?: number;
  /** ISO 8601 instant. */
  readonly time: string;
  readonly actor: string;
  readonly gitCommit?: string;
  readonly planId: string;
  readonly operation: string;
  readonly target: string;
  /** Canonical JSON text of the object before the change, when there was one. */
  readonly before?: string;
  readonly after?: string;
  readonly requestIds: readonly string[];
  readonly outcome: AuditOutcome;
  readonly error?: string;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export type UnhashedRecord = Omit<AuditRecord, 'hash'>;

/**
 * SHA-256 over the canonical JSON of every field but `hash` itself, prevHash included. Absent
 * optional fields serialise as null so that adding or removing one changes the hash.
 * before/after are hashed as the stored text, so even a whitespace edit is detected.
 */
export function hashRecord(record: UnhashedRecord): string {
  // kind/intentSeq enter the hash only when present, so chains written before they existed
  // still verify; their presence or absence is still covered (the key set changes the text).
  const body = canonicalJson({
    ...(record.kind !== undefined ? { kind: record.kind } : {}),
    ...(record.intentSeq !== undefined ? { intentSeq: record.intentSeq } : {}),
    seq: record.seq,
    time: record.time,
    actor: record.actor,
    gitCommit: record.gitCommit ?? null,
    planId: record.planId,
    operation: record.operation,
    target: record.target,
    before: record.before ?? null,
    after: record.after ?? null,
    requestIds: record.requestIds,
    outcome: record.outcome,
    error: record.error ?? null,
    prevHash: record.prevHash,
  });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Turns an entry into the next record of a chain whose last record has `prevHash`. */
export function chainRecord(entry: AuditEntry, seq: number, prevHash: string): AuditRecord {
  const unhashed: UnhashedRecord = {
    seq,
    ...(entry.kind !== undefined ? { kind: entry.kind } : {}),
    ...(entry.intentSeq !== undefined ? { intentSeq: entry.intentSeq } : {}),
    time: entry.time.toISOString(),
    actor: entry.actor,
    ...(entry.gitCommit ? { gitCommit: entry.gitCommit } : {}),
    planId: entry.planId,
    operation: entry.operation,
    target: entry.target,
    ...(entry.before !== undefined ? { before: canonicalJson(entry.before) } : {}),
    ...(entry.after !== undefined ? { after: canonicalJson(entry.after) } : {}),
    requestIds: [...entry.requestIds],
    outcome: entry.outcome,
    ...(entry.error !== undefined ? { error: entry.error } : {}),
    prevHash,
  };
  return { ...unhashed, hash: hashRecord(unhashed) };
}
