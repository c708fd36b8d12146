import { GatehouseError } from '../diagnostics/errors.js';

// Exit codes are the CLI contract (DESIGN.md): 0 ok / no changes, 1 error, 2 changes or drift.
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

/**
 * Wraps a command action: its resolved number is the exit code; anything thrown becomes a one-line
 * message and exit 1. A stack trace is printed only with GATEHOUSE_DEBUG=1.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      process.stderr.write(`Error: ${describeError(err)}\n`);
      if (process.env.GATEHOUSE_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exitCode = EXIT_ERROR;
    }
  };
}

export function describeError(err: unknown): string {
  if (err instanceof GatehouseError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
