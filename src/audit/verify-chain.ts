import { GENESIS_HASH, hashRecord, type AuditRecord } from './audit-record.js';

/** The chain's head as last written: record count and the last record's hash. */
export interface AuditHead {
  readonly count: number;
  readonly lastHash: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly lastHash: string }
  | { readonly ok: false; readonly seq: number; readonly reason: string };

/**
 * Checks records (in stored seq order) against each other and against the head.
 *
 * The order of the checks picks the most telling reason for the first bad record: a gap in
 * seq is a deletion; a prevHash that does not match the previous record is a deletion with
 * renumbering, an insertion or a reordering; a hash that does not match the record's own
 * fields is an edit.
 *
 * A chain alone cannot tell that its last records were cut off, since the remaining records are
 * still a valid chain; the head (written in the same transaction as every append) can. Someone
 * able to rewrite the whole file can recompute everything, so publish the head hash elsewhere
 * (CI logs, a pull request) when that matters.
 */
export function verifyChain(records: readonly AuditRecord[], head: AuditHead | undefined): VerifyResult {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const expectedSeq = i + 1;
    if (record.seq !== expectedSeq) {
      return record.seq > expectedSeq
        ? { ok: false, seq: expectedSeq, reason: 'missing (deleted?)' }
        : { ok: false, seq: record.seq, reason: 'duplicate sequence number (inserted?)' };
    }
    if (record.prevHash !== prevHash) {
      return {
        ok: false,
        seq: record.seq,
        reason:
          i === 0
            ? 'does not start the chain (records before it deleted?)'
            : `does not follow record ${i} (reordered, replaced or inserted?)`,
      };
    }
    if (hashRecord(record) !== record.hash) return { ok: false, seq: record.seq, reason: 'hash mismatch (edited?)' };
    prevHash = record.hash;
  }
  const count = records.length;
  if (!head) {
    return count === 0
      ? { ok: true, count, lastHash: prevHash }
      : { ok: false, seq: 1, reason: 'head row missing (deleted?)' };
  }
  if (head.count > count) {
    return { ok: false, seq: count + 1, reason: `missing: the head records ${head.count} records (log truncated?)` };
  }
  if (head.count < count) {
    return { ok: false, seq: head.count + 1, reason: `not in the head, which records ${head.count} records (appended outside gatehouse?)` };
  }
  if (head.lastHash !== prevHash) {
    return { ok: false, seq: count, reason: 'hash differs from the head (last record replaced?)' };
  }
  return { ok: true, count, lastHash: prevHash };
}
