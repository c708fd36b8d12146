import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuditKind, AuditOutcome, AuditRecord } from '../audit/audit-record.js';
import type { AppliedPlan } from './shared-state.js';

// The layout of a `dynamodb:TABLE` state: one table, a string partition key `pk` and a number
// sort key `sk`. Three partitions, so an IAM policy can tell them apart with
// dynamodb:LeadingKeys (docs/aws-setup.md):
//   pk = "audit", sk = seq   one audit record per item, written once (PutItem, attribute_not_exists)
//   pk = "plans", sk = n     one applied plan per item, written once (the same)
//   pk = "lock",  sk = 0     the apply lease: the only item ever updated or deleted
// Records keep their fields as plain attributes (readable in the console, filterable by a
// SIEM export); the chain's hash covers them, so an edit in place shows in `audit verify`.

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
export const AUDIT_PARTITION = 'audit';
export const PLANS_PARTITION = 'plans';
export const LOCK_PARTITION = 'lock';

export type Item = Record<string, AttributeValue>;

export const keyOf = (partition: string, sort: number): Item => ({
  [PARTITION_KEY]: { S: partition },
  [SORT_KEY]: { N: String(sort) },
});

const str = (value: string): AttributeValue => ({ S: value });
const num = (value: number): AttributeValue => ({ N: String(value) });

export function auditItem(record: AuditRecord): Item {
  const item: Item = {
    ...keyOf(AUDIT_PARTITION, record.seq),
    time: str(record.time),
    actor: str(record.actor),
    planId: str(record.planId),
    operation: str(record.operation),
    target: str(record.target),
    requestIds: { L: record.requestIds.map(str) },
    outcome: str(record.outcome),
    prevHash: str(record.prevHash),
    hash: str(record.hash),
  };
  if (record.kind !== undefined) item.kind = str(record.kind);
  if (record.intentSeq !== undefined) item.intentSeq = num(record.intentSeq);
  if (record.gitCommit !== undefined) item.gitCommit = str(record.gitCommit);
  if (record.before !== undefined) item.before = str(record.before);
  if (record.after !== undefined) item.after = str(record.after);
  if (record.error !== undefined) item.error = str(record.error);
  return item;
}

/**
 * Reads what is there without judging it: a missing or mistyped attribute becomes a value the
 * hash will not match, so `audit verify` names the record instead of the reader crashing.
 */
export function recordOfItem(item: Item): AuditRecord {
  const s = (name: string): string | undefined => item[name]?.S;
  const n = (name: string): number | undefined => {
    const text = item[name]?.N;
    return text === undefined ? undefined : Number(text);
  };
  const kind = s('kind');
  const intentSeq = n('intentSeq');
  const gitCommit = s('gitCommit');
  const before = s('before');
  const after = s('after');
  const error = s('error');
  return {
    seq: n(SORT_KEY) ?? 0,
    ...(kind !== undefined ? { kind: kind as AuditKind } : {}),
    ...(intentSeq !== undefined ? { intentSeq } : {}),
    time: s('time') ?? '',
    actor: s('actor') ?? '',
    ...(gitCommit !== undefined ? { gitCommit } : {}),
    planId: s('planId') ?? '',
    operation: s('operation') ?? '',
    target: s('target') ?? '',
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    requestIds: (item.requestIds?.L ?? []).map((v) => v.S ?? JSON.stringify(v)),
    outcome: (s('outcome') ?? '') as AuditOutcome,
    ...(error !== undefined ? { error } : {}),
    prevHash: s('prevHash') ?? '',
    hash: s('hash') ?? '',
  };
}

/** The plan as JSON text (its shape grows over time), with its id beside it for people. */
export function appliedPlanItem(n: number, plan: AppliedPlan): Item {
  return { ...keyOf(PLANS_PARTITION, n), planId: str(plan.planId), time: str(plan.time), body: str(JSON.stringify(plan)) };
}

export function appliedPlanOfItem(item: Item): AppliedPlan | undefined {
  const body = item.body?.S;
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as AppliedPlan;
  } catch {
    return undefined;
  }
}

/** The apply lease. `rvn` (record version) changes at every renewal: waiters watch it. */
export interface LeaseItem {
  readonly token: string;
  readonly rvn: string;
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  readonly acquiredAt: string;
  /** Epoch milliseconds, on the holder's clock. */
  readonly expiresAt: number;
  readonly ttlMs: number;
}

export const LEASE_KEY = keyOf(LOCK_PARTITION, 0);

export function leaseItem(lease: LeaseItem): Item {
  return {
    ...LEASE_KEY,
    token: str(lease.token),
    rvn: str(lease.rvn),
    owner: str(lease.owner),
    host: str(lease.host),
    pid: num(lease.pid),
    acquiredAt: str(lease.acquiredAt),
    expiresAt: num(lease.expiresAt),
    ttlMs: num(lease.ttlMs),
  };
}

export function leaseOfItem(item: Item): LeaseItem {
  return {
    token: item.token?.S ?? '',
    rvn: item.rvn?.S ?? '',
    owner: item.owner?.S ?? 'unknown',
    host: item.host?.S ?? 'unknown',
    pid: Number(item.pid?.N ?? 0),
    acquiredAt: item.acquiredAt?.S ?? 'unknown',
    expiresAt: Number(item.expiresAt?.N ?? 0),
    ttlMs: Number(item.ttlMs?.N ?? 0),
  };
}
