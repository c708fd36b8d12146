import { GatehouseError, UserError } from '../diagnostics/errors.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { debug, isDebug, redactSecrets } from '../output/debug.js';
import { printJsonError } from '../output/json-mode.js';

// Exit codes are the CLI contract (DESIGN.md): 0 ok / no changes, 1 error, 2 changes or drift.
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

/**
 * Wraps a command action: its resolved number is the exit code; anything thrown becomes a one-line
 * message and exit 1. The stack of an internal error (not a UserError) is printed only with
 * --debug (or GATEHOUSE_DEBUG=1), with secrets redacted.
 */
export function action<A extends unknown[]>(
  fn: (...args: A) => Promise<number>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const t0 = performance.now();
    try {
      process.exitCode = await fn(...args);
    } catch (err) {
      const message = redactSecrets(describeError(err));
      process.stderr.write(`Error: ${errorLines(message)}\n`);
      printJsonError(message);
      if (isDebug() && err instanceof Error && !(err instanceof UserError)) process.stderr.write(`${redactSecrets(err.stack ?? '')}\n`);
      process.exitCode = EXIT_ERROR;
    }
    debug(`exit ${String(process.exitCode)} after ${Math.round(performance.now() - t0)} ms`);
  };
}

/**
 * An error message on stderr. Messages from AWS and the SDK can span lines; each line is kept,
 * escaped, and indented under `Error:` so none can pass for a line of its own (a forged
 * `file:line:col` or `Error:`), instead of one line full of `\x0A`.
 */
export function errorLines(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => escapeTerminal(line))
    .filter((line, i) => i === 0 || line.trim() !== '')
    .join('\n  ');
}

export function describeError(err: unknown): string {
  if (err instanceof GatehouseError) return err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}
