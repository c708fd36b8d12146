import type { Change } from '../diff/change.js';
import type { Organization } from '../model/entities.js';
import type { LiveState } from '../model/live.js';

// The one port every store implements (sqlite, aws). The planner never knows which it talks to.

export interface StoreCapabilities {
  /** False for a read-only client (plan, drift, access, import against AWS). */
  readonly write: boolean;
  /** Suggested concurrency per change kind prefix within a wave, e.g. { 'assignment.create': 15 }. */
  readonly concurrency: Readonly<Record<string, number>>;
  /** Default when no kind-specific entry exists. */
  readonly defaultConcurrency: number;
}

export interface PerformResult {
  /** AWS request ids of the asynchronous operations the change started (assignment, provisioning). */
  readonly requestIds: readonly string[];
  /** Number of API writes the change took (for audit and benchmarks). */
  readonly writes: number;
}

/**
 * Runs immediately before every write request a change sends (each retry too), with the
 * request's operation name. The applier checks its lease there: a throw (LeaseLostError) stops
 * the change before that request, and nothing more is sent for it.
 */
export type RequestGuard = (operation: string) => void | Promise<void>;

export interface PerformHooks {
  readonly beforeRequest?: RequestGuard;
}

export interface SnapshotOptions {
  /**
   * When set, the store may skip reading assignments and provisioning of permission sets
   * outside this list (the managed scope). Undefined reads everything.
   */
  readonly permissionSetNames?: readonly string[];
}

export interface LiveStore {
  /** e.g. `sqlite:/path/live.db` or `aws`. */
  readonly url: string;
  capabilities(): StoreCapabilities;
  organization(): Promise<Organization>;
  /**
   * Everything the planner compares, and what this store's caller cannot do (`restrictions`:
   * e.g. a delegated administrator and the management account), so a plan tells it at the
   * config's file:line instead of an apply meeting AccessDenied half-way.
   */
  snapshot(options?: SnapshotOptions): Promise<LiveState>;
  /**
   * Perform one change and wait until it has taken effect (asynchronous AWS requests polled
   * to SUCCEEDED). Throws RetryableError or TerminalError (diagnostics/errors.ts), or what
   * `hooks.beforeRequest` threw.
   */
  perform(change: Change, hooks?: PerformHooks): Promise<PerformResult>;
  close(): Promise<void>;
}
