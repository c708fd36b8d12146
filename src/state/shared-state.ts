import type { AuditEntry, AuditRecord } from '../audit/audit-record.js';
import type { AuditHead } from '../audit/verify-chain.js';

// The shared state of a Gatehouse instance: the apply lock, the audit chain and the history of
// applied plans. Apply and `audit` talk to this port only; backends are `sqlite:PATH` (one
// local file, src/state/sqlite-state.ts) and `dynamodb:TABLE` (teams and CI). Every method is
// async because a networked backend is.
//
// Contract for implementers (test/state/ holds the shared contract suite):
// - The lock is a LEASE: one item/row holding (token, owner, host, pid, expiresAt). acquire is
//   a conditional put that succeeds only when there is no lease, the lease has expired, or the
//   holder is provably gone (same host, pid not alive). Nobody else ever deletes or overwrites
//   a live lease. The holder renews it (conditional on its token) and checks it before writes.
// - Audit records are numbered 1, 2, 3… with no gaps. appendAudit chains the entries onto the
//   current last record (prevHash = its hash) and writes each with a conditional put on its
//   sequence number (attribute_not_exists / PRIMARY KEY). When a put finds the number taken,
//   another writer got there first: re-read the tail and re-chain, never overwrite. So two
//   writers can never fork the chain, and the table can be append-only for the apply role.
// - All entries of one appendAudit call land, or the call rejects (a partial batch is allowed
//   only as a prefix, which is still a valid chain). A rejection is final for this run: the
//   caller stops the apply (no retry storm), so do not retry forever inside.
// - Applied plans are append-only too; each carries the audit head at the moment it was
//   recorded. That anchor is how `audit verify` notices a chain cut off together with its head.

export interface LeaseRequest {
  /** Who holds it, shown to whoever waits (e.g. "gatehouse apply (alice)"). */
  readonly owner: string;
  /** Give up after this long; 0 tries once. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** Lease length. The holder renews every ttl/3 and before each write. */
  readonly ttlMs?: number;
  /** The monotonic clock (ms) `deadline()` is on; `performance.now` by default. */
  readonly now?: () => number;
}

export interface Lease {
  readonly owner: string;
  /** False once a renewal found the lease taken over or expired. Cheap, no I/O. */
  held(): boolean;
  /**
   * Reads the lease from the backend and renews it when it is still ours and unexpired: true
   * means no one else can have taken it over for at least ttl from now. The applier calls this
   * before every write; false means stop, without writing.
   */
  confirm(): Promise<boolean>;
  /**
   * Until when, on the request's `now` clock, the lease is surely ours: the last successful
   * claim or renewal, timed from before it was sent, plus the ttl (-Infinity once lost). A
   * waiter cannot judge it over before then, so a write sent before it (with a margin for the
   * request's trip) cannot meet another holder's writes. Cheap, no I/O: checked before every
   * write request.
   */
  deadline(): number;
  /** Deletes the lease if it is still ours (conditional on the token). Idempotent. */
  release(): Promise<void>;
}

export interface AuditFilter {
  /** Records at or after this instant. */
  readonly since?: Date;
  /** A user or group name the record is about. */
  readonly principal?: string;
  /** A plan id, or a prefix of one. */
  readonly planId?: string;
  /** Records with seq greater than this (incremental reads). */
  readonly afterSeq?: number;
}

/** One successful apply run, recorded after its last audit record. */
export interface AppliedPlan {
  readonly planId: string;
  /** SHA-256 of the canonical changes (what review compares). */
  readonly changesDigest: string;
  readonly time: string;
  readonly actor: string;
  readonly gitCommit?: string;
  /** The store URL and instance the plan was applied to. */
  readonly store: string;
  readonly instanceArn: string;
  /** The safety limits in force for that run: the next run cannot loosen them silently. */
  readonly safety: { readonly maxDeletes: number; readonly maxDeleteFraction: number };
  /** The audit head right after this run's records: the truncation anchor. */
  readonly auditHead: AuditHead;
  /** False when some changes failed or were not run (the run is recorded for its anchor). */
  readonly complete?: boolean;
}

export interface SharedState {
  /** e.g. `sqlite:/abs/path/live.db` or `dynamodb:gatehouse@eu-west-1`; used in messages. */
  readonly url: string;
  acquireLock(request: LeaseRequest): Promise<Lease>;
  /** Appends the entries as the next records (see the contract above) and returns them. */
  appendAudit(entries: readonly AuditEntry[]): Promise<AuditRecord[]>;
  /** Records in seq order. */
  readAudit(filter?: AuditFilter): Promise<AuditRecord[]>;
  /**
   * The head as the backend keeps it apart from the records (sqlite: a row written in the same
   * transaction as each append), or 'derived' when the backend has none and the last record is
   * the head (an append-only table cannot update a head item).
   */
  readAuditHead(): Promise<AuditHead | undefined | 'derived'>;
  recordAppliedPlan(plan: AppliedPlan): Promise<void>;
  /** Oldest first. */
  readAppliedPlans(): Promise<AppliedPlan[]>;
  close(): Promise<void>;
}

/** Thrown (wrapped in a UserError by the caller) when the state cannot be written or read. */
export class StateError extends Error {
  constructor(
    readonly stateUrl: string,
    readonly causeText: string,
  ) {
    super(`shared state ${stateUrl}: ${causeText}`);
    this.name = 'StateError';
  }
}
