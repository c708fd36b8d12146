import { stringifyJson } from './escape-json.js';
import type { DiagnosticJson } from '../diagnostics/diagnostic.js';

// Set by main.ts before a command runs when it was asked for `--format json`. A command that
// stops on an error then still prints one JSON document on stdout (schemas/output/
// error.schema.json), so a script reading stdout always has something to parse, with the same
// diagnostics shape as every other document.

let json = false;
let printed = false;

export const setJsonOutput = (on: boolean): void => {
  json = on;
};
export const isJsonOutput = (): boolean => json;

/** The error document, once per run, only in JSON mode. */
export function printJsonError(error: string, diagnostics: readonly DiagnosticJson[] = []): void {
  if (!json || printed) return;
  printed = true;
  process.stdout.write(`${stringifyJson({ format_version: 1, ok: false, error, diagnostics })}\n`);
}
