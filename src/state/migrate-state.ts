import { chainRecord, GENESIS_HASH, type AuditEntry, type AuditRecord } from '../audit/audit-record.js';
import { canonicalJson } from '../diff/canonical-json.js';
import type { AppliedPlan, SharedState } from './shared-state.js';
import { verifyState } from './verify-state.js';

// `audit migrate`: copies an audit chain and its applied plans from one backend to another
// (e.g. the sqlite file a team started with to the DynamoDB table CI shares), keeping every
// record's hash, so the target verifies on its own and a head hash published earlier still
// names a record in it.
//
// Everything is checked before the first write: the source must verify, the target must be
// empty or hold a prefix of the source (a migrate interrupted half-way is simply run again),
// and each record to copy must come out of the target's chaining with its original hash.

export type MigrateResult =
  | { readonly ok: true; readonly copied: number; readonly kept: number; readonly plansCopied: number; readonly count: number; readonly lastHash: string }
  | { readonly ok: false; readonly reason: string };

const BATCH = 25;

export async function migrateState(source: SharedState, target: SharedState): Promise<MigrateResult> {
  const checked = await verifyState(source);
  if (!checked.chain.ok) return { ok: false, reason: `the source ${source.url} does not verify (record ${checked.chain.seq}: ${checked.chain.reason}); nothing was copied` };
  const records = await source.readAudit();
  const plans = await source.readAppliedPlans();

  const present = await target.readAudit();
  const presentPlans = await target.readAppliedPlans();
  const recordClash = firstDifference(present.map((r) => r.hash), records.map((r) => r.hash));
  if (recordClash !== undefined) {
    return {
      ok: false,
      reason: `the target ${target.url} already holds ${present.length} audit records that are not a prefix of the source's ${records.length} (they differ from record ${recordClash}); nothing was copied`,
    };
  }
  const planClash = firstDifference(presentPlans.map(canonicalJson), plans.map(canonicalJson));
  if (planClash !== undefined) {
    return {
      ok: false,
      reason: `the target ${target.url} already holds ${presentPlans.length} applied plans that are not a prefix of the source's ${plans.length} (they differ from plan ${planClash}); nothing was copied`,
    };
  }

  const toCopy = records.slice(present.length);
  let prevHash = present[present.length - 1]?.hash ?? GENESIS_HASH;
  const entries: AuditEntry[] = [];
  for (const record of toCopy) {
    const entry = entryOf(record);
    if (!entry || chainRecord(entry, record.seq, prevHash).hash !== record.hash) {
      return { ok: false, reason: `record ${record.seq} of the source cannot be written again with the same hash (its fields are not in the form gatehouse writes); nothing was copied` };
    }
    entries.push(entry);
    prevHash = record.hash;
  }

  for (let i = 0; i < entries.length; i += BATCH) {
    const written = await target.appendAudit(entries.slice(i, i + BATCH));
    for (const [k, w] of written.entries()) {
      const original = toCopy[i + k]!;
      // Only another writer appending at the same moment can cause this: the caller holds the
      // target's lock, so it means someone writes without it.
      if (w.seq !== original.seq || w.hash !== original.hash) {
        return { ok: false, reason: `record ${original.seq} was written to the target as record ${w.seq} with another hash: something else appended to ${target.url} during the migration` };
      }
    }
  }
  const newPlans: readonly AppliedPlan[] = plans.slice(presentPlans.length);
  for (const plan of newPlans) await target.recordAppliedPlan(plan);

  const after = await verifyState(target);
  if (!after.chain.ok) return { ok: false, reason: `the target ${target.url} does not verify after the copy (record ${after.chain.seq}: ${after.chain.reason})` };
  return { ok: true, copied: toCopy.length, kept: present.length, plansCopied: newPlans.length, count: after.chain.count, lastHash: after.chain.lastHash };
}

/** 1-based index of the first element of `prefix` that differs from `whole`, or undefined when it is a prefix. */
function firstDifference(prefix: readonly string[], whole: readonly string[]): number | undefined {
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== whole[i]) return i + 1;
  return undefined;
}

/** The entry that chainRecord turns back into `record`, when the stored text allows it. */
function entryOf(record: AuditRecord): AuditEntry | undefined {
  const time = new Date(record.time);
  if (Number.isNaN(time.getTime())) return undefined;
  const parse = (text: string | undefined): { value?: unknown } | undefined => {
    if (text === undefined) return {};
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return undefined;
    }
  };
  const before = parse(record.before);
  const after = parse(record.after);
  if (!before || !after) return undefined;
  return {
    ...(record.kind !== undefined ? { kind: record.kind } : {}),
    ...(record.intentSeq !== undefined ? { intentSeq: record.intentSeq } : {}),
    time,
    actor: record.actor,
    ...(record.gitCommit !== undefined ? { gitCommit: record.gitCommit } : {}),
    planId: record.planId,
    operation: record.operation,
    target: record.target,
    ...('value' in before ? { before: before.value } : {}),
    ...('value' in after ? { after: after.value } : {}),
    requestIds: record.requestIds,
    outcome: record.outcome,
    ...(record.error !== undefined ? { error: record.error } : {}),
  };
}
