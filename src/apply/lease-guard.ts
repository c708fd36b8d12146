import type { Lease } from '../state/shared-state.js';

// The check before every write request (issue 8, "The lock"; the residual risk of its close).
// AWS has no fencing token: a request that reaches Identity Center is carried out whoever sent
// it, so the only way for a paused holder (SIGSTOP, a stalled VM, a blocked event loop) not to
// write over the next holder is to check, locally and right before each request, that its
// lease still has time left. A change of several requests (a permission set, then each of its
// policies, then provisioning) is checked before each one, not only before the first.
//
// The check is a clock comparison against the lease's deadline (the last renewal, timed from
// before it was sent, plus the ttl: no waiter can judge the lease over earlier). Only when less
// than `marginMs` is left does it cost I/O: it confirms (renews) the lease, and stops if that
// fails. What remains, and cannot be closed without fencing: a freeze that falls between this
// check and the request leaving the socket, or a request that spends longer than the margin in
// the network before AWS acts on it.

export type LeaseVerdict = 'send' | 'renew-first';

/**
 * Pure: may a request go out at `now` under a lease that is surely ours until `deadline`,
 * keeping `marginMs` for its trip? Otherwise the lease must be renewed first (or is lost).
 */
export function leaseVerdict(deadline: number, now: number, marginMs: number): LeaseVerdict {
  return now + marginMs < deadline ? 'send' : 'renew-first';
}

/** The margin kept for a request's trip: a third of the lease, the gap the heartbeat leaves. */
export const leaseMargin = (ttlMs: number): number => Math.floor(ttlMs / 3);

export interface LeaseGuardOptions {
  /** The clock `lease.deadline()` is on (monotonic ms). */
  readonly now: () => number;
  readonly marginMs: number;
  /** The error to stop with (a LeaseLostError naming the change and the request). */
  readonly lost: (operation: string) => Error;
}

/** The check to run before each write request of one change: resolves to send, throws to stop. */
export function leaseGuard(lease: Lease, options: LeaseGuardOptions): (operation: string) => void | Promise<void> {
  return (operation) => {
    if (!lease.held()) throw options.lost(operation);
    if (leaseVerdict(lease.deadline(), options.now(), options.marginMs) === 'send') return;
    return renewOrStop(lease, operation, options);
  };
}

async function renewOrStop(lease: Lease, operation: string, options: LeaseGuardOptions): Promise<void> {
  if (!(await lease.confirm())) throw options.lost(operation);
  // Renewed: the deadline moved a whole ttl on, unless the renewal itself took that long.
  if (leaseVerdict(lease.deadline(), options.now(), options.marginMs) !== 'send') throw options.lost(operation);
}
