import type { AuditRecord } from '../audit/audit-record.js';
import { verifyChain, type VerifyResult } from '../audit/verify-chain.js';
import type { AppliedPlan, SharedState } from './shared-state.js';

// `audit verify` over any backend: the hash chain against the head, the chain against the
// anchors in the applied-plan history, and the write-ahead records against each other.

export interface StateVerifyResult {
  readonly chain: VerifyResult;
  /** Intents with no outcome that settles them (applied/failed) nor a resolution. */
  readonly unresolved: readonly AuditRecord[];
  readonly appliedPlans: number;
}

export async function verifyState(state: SharedState): Promise<StateVerifyResult> {
  // Head first, then records: a concurrent append makes the records longer than the head, which
  // verifyChain reports; the other order could miss a truncation racing with an append.
  const head = await state.readAuditHead();
  const records = await state.readAudit();
  const plans = await state.readAppliedPlans();
  let chain = verifyChain(records, head === 'derived' ? derivedHead(records) : head);
  if (chain.ok) chain = checkAnchors(records, plans) ?? chain;
  return { chain, unresolved: chain.ok ? unresolvedIntents(records) : [], appliedPlans: plans.length };
}

const derivedHead = (records: readonly AuditRecord[]) =>
  records.length === 0 ? undefined : { count: records.length, lastHash: records[records.length - 1]!.hash };

/**
 * Each applied plan recorded the head after its records. A chain (with its head) cut back to
 * before that point, or deleted wholesale, no longer holds that record: the cut shows.
 */
function checkAnchors(records: readonly AuditRecord[], plans: readonly AppliedPlan[]): VerifyResult | undefined {
  for (const plan of plans) {
    const { count, lastHash } = plan.auditHead;
    if (count === 0) continue;
    const record = records[count - 1];
    if (!record) {
      return {
        ok: false,
        seq: records.length + 1,
        reason: `missing: plan ${plan.planId.slice(0, 12)} applied at ${plan.time} left ${count} records, the chain has ${records.length} (truncated?)`,
      };
    }
    if (record.hash !== lastHash) {
      return { ok: false, seq: count, reason: `hash differs from the one plan ${plan.planId.slice(0, 12)} recorded at ${plan.time} (chain rewritten?)` };
    }
  }
  return undefined;
}

/** Intents in seq order that no later record closes definitively. */
export function unresolvedIntents(records: readonly AuditRecord[]): AuditRecord[] {
  const closed = new Set<number>();
  for (const r of records) {
    if (r.intentSeq === undefined) continue;
    if (r.kind === 'resolution' || (r.kind === 'outcome' && r.outcome !== 'unknown')) closed.add(r.intentSeq);
  }
  return records.filter((r) => r.kind === 'intent' && !closed.has(r.seq));
}
