import { stringifyJson } from './escape-json.js';
import type { DiagnosticJson } from '../diagnostics/diagnostic.js';

// Set by main.ts before a command runs when it was asked for `--format json`. A command that
// stops on an error then still prints one JSON document on stdout (schemas/output/
// error.schema.json), so a script reading stdout always has something to parse, with the same
// diagnostics shape as every other document.
//
// One document, never two: a command can fail after it printed its result (plan's `--out`
// file cannot be written, a drift issue cannot be synced). A second document would make stdout
// unparseable, so once anything reached stdout in JSON mode the error goes to stderr only
// (the exit code still says 1). Watching stdout itself, rather than asking every command to
// report that it printed, keeps that true for commands written later.

let json = false;
let printed = false;
let watching = false;

export const setJsonOutput = (on: boolean): void => {
  json = on;
  if (on && !watching) watchStdout();
};
export const isJsonOutput = (): boolean => json;

function watchStdout(): void {
  watching = true;
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  process.stdout.write = ((...args: unknown[]) => {
    printed = true;
    return write(...args);
  }) as typeof process.stdout.write;
}

/** The error document, once per run, only in JSON mode, and only when nothing else was printed. */
export function printJsonError(error: string, diagnostics: readonly DiagnosticJson[] = []): void {
  if (!json || printed) return;
  process.stdout.write(`${stringifyJson({ format_version: 1, ok: false, error, diagnostics })}\n`);
}
