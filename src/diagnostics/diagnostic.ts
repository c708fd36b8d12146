import type { SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { escapeFileName } from './escape-location.js';

export type Severity = 'error' | 'warning';

/** A problem found in the input, returned (never thrown) so every problem is reported at once. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Rule id, kebab-case, e.g. `schema`, `duplicate-name`, `unquoted-account-id`. */
  readonly rule: string;
  /** What is wrong and how to fix it, one sentence or two. */
  readonly message: string;
  readonly source?: SourceRange;
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareStrings(a.source?.file ?? '', b.source?.file ?? '') ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      (a.source?.col ?? 0) - (b.source?.col ?? 0) ||
      compareStrings(a.rule, b.rule) ||
      compareStrings(a.message, b.message),
  );
}

/**
 * `FILE:LINE:COL: error [rule] message` — the format editors and CI annotators understand. One
 * line always: the file name is escaped so it cannot end the location early, and the message
 * (which quotes names from the config) shows control characters as escapes.
 */
export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLocation(d.source)}${d.severity} [${escapeTerminal(d.rule)}] ${escapeTerminal(d.message)}`;
}

/** `FILE:LINE:COL: ` (with the file name escaped), or nothing without a source. */
export function formatLocation(source: SourceRange | undefined): string {
  return source ? `${escapeFileName(source.file)}:${source.line}:${source.col}: ` : '';
}

/**
 * The one JSON shape of a diagnostic, in every `--format json` document
 * (schemas/output/diagnostic.schema.json). `file` is the path as read; `text` is the line the
 * text output prints.
 */
export interface DiagnosticJson {
  readonly severity: Severity;
  readonly rule: string;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly col: number | null;
  readonly text: string;
}

export const diagnosticToJson = (d: Diagnostic): DiagnosticJson => ({
  severity: d.severity,
  rule: d.rule,
  message: d.message,
  file: d.source?.file ?? null,
  line: d.source?.line ?? null,
  col: d.source?.col ?? null,
  text: formatDiagnostic(d),
});
