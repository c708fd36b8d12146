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

/** Bad input from the user (flags, files); the CLI prints the message and exits 1. */
export class UserError extends GatehouseError {
  constructor(message: string) {
    super(message, 'UserError');
  }
}

export const isRetryable = (e: unknown): e is RetryableError => e instanceof RetryableError;
