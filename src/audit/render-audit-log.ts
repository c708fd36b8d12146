import { stringifyJson } from '../output/escape-json.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import type { AuditRecord } from './audit-record.js';

export const AUDIT_LOG_FORMAT_VERSION = 1;

/**
 * One line per record: the columns a person scans, then the error of a failed write. Actor,
 * target and error come from the config, the live store, the environment (GATEHOUSE_ACTOR) and
 * AWS's answers: shown as visible escapes, so no record can colour, hide or forge a line.
 */
export function renderAuditLogText(records: readonly AuditRecord[]): string {
  if (records.length === 0) return 'No audit records.\n';
  const lines = records.map((r) => {
    const requests = r.requestIds.length ? ` requests=${r.requestIds.join(',')}` : '';
    const commit = r.gitCommit ? ` commit=${r.gitCommit.slice(0, 12)}` : '';
    const error = r.error ? `\n      error: ${escapeTerminal(r.error)}` : '';
    // Write-ahead records say what they are: INTENT, then e.g. APPLIED (of #12) or RESOLVED NOT-APPLIED.
    const label =
      r.kind === 'intent'
        ? 'INTENT'
        : r.kind === 'resolution'
          ? `RESOLVED ${r.outcome.toUpperCase()}${r.intentSeq !== undefined ? ` (of #${r.intentSeq})` : ''}`
          : `${r.outcome.toUpperCase()}${r.intentSeq !== undefined ? ` (of #${r.intentSeq})` : ''}`;
    // The line holds no control character of its own, so escaping it whole escapes every field.
    return `${escapeTerminal(`#${r.seq} ${r.time} ${r.actor} ${label} ${r.operation} ${r.target} plan=${r.planId.slice(0, 12)}${commit}${requests}`)}${error}`;
  });
  return `${lines.join('\n')}\n`;
}

/** Stable JSON: before/after parsed back into objects, field order fixed. */
export function renderAuditLogJson(records: readonly AuditRecord[]): string {
  const body = { format_version: AUDIT_LOG_FORMAT_VERSION, records: records.map(auditRecordJson) };
  return `${stringifyJson(body)}\n`;
}

/** One record as `audit log --format json` and `audit export` write it. */
export function auditRecordJson(r: AuditRecord) {
  return {
    seq: r.seq,
    kind: r.kind ?? 'outcome',
    intent_seq: r.intentSeq ?? null,
    time: r.time,
    actor: r.actor,
    git_commit: r.gitCommit ?? null,
    plan_id: r.planId,
    operation: r.operation,
    target: r.target,
    before: r.before === undefined ? null : parseOrText(r.before),
    after: r.after === undefined ? null : parseOrText(r.after),
    request_ids: r.requestIds,
    outcome: r.outcome,
    error: r.error ?? null,
    prev_hash: r.prevHash,
    hash: r.hash,
  };
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
