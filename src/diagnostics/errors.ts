// Errors at the edges are classified once, where they happen (store, network, file system):
// retryable ones are retried with backoff by the applier, terminal ones stop the change.

export class GatehouseError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Worth retrying after a pause: throttling, a conflicting operation still in progress. */
export class RetryableError extends GatehouseError {}

/** Retrying cannot help: validation failure, not found, already exists, access denied. */
export class TerminalError extends GatehouseError {}

/**
 * A write whose effect is not known: the request may have reached AWS but its answer was lost
 * (a dropped connection, a timeout), or AWS accepted an asynchronous request whose status could
 * not be read. Neither applied nor failed: the applier records it as unknown and it is resolved
 * by reading the live object (the next plan shows whether it took effect). Not retryable by
 * the applier: the store has already retried within its time budget.
 */
export class OutcomeUnknownError extends GatehouseError {
  constructor(message: string, code: string, readonly requestIds: readonly string[] = []) {
    super(message, code);
  }
}

/**
 * The writer no longer holds the lease that makes it the only writer (it expired while the
 * process was paused, or another apply took it over). Thrown by the check before a write
 * request: the change stops there, sending nothing more, and the apply stops. Never retried
 * and never classified as a store error; a change it interrupts has an unknown outcome.
 */
export class LeaseLostError extends GatehouseError {
  constructor(message: string) {
    super(message, 'LeaseLost');
  }
}

/** Bad input from the user (flags, files); the CLI prints the message and exits 1. */
export class UserError extends GatehouseError {
  constructor(message: string) {
    super(message, 'UserError');
  }
}

export const isRetryable = (e: unknown): e is RetryableError => e instanceof RetryableError;
export const isOutcomeUnknown = (e: unknown): e is OutcomeUnknownError => e instanceof OutcomeUnknownError;
