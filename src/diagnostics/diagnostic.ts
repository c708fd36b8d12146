import type { SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';

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

/** `FILE:LINE:COL: error [rule] message` — the format editors and CI annotators understand. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.source ? `${d.source.file}:${d.source.line}:${d.source.col}: ` : '';
  return `${where}${d.severity} [${d.rule}] ${d.message}`;
}
