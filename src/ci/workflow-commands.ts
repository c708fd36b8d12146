import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { escapeTerminal, UNSAFE_CHARACTERS, visibleEscape } from '../output/escape-terminal.js';

// GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), which the
// runner turns into annotations at file:line on the pull request. A value is escaped as the
// runner unescapes it (actions/toolkit, packages/core/src/command.ts): in the message `%`, CR and
// LF; in a property also `:` and `,`, which would otherwise end the property. Without that, a
// file named `x,line=1::` or a message holding a newline followed by `::add-mask::` forges
// commands. Everything else a name may hold (ESC, bidi overrides) is shown as an escape first.

export function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeCommandProperty(text: string): string {
  return escapeCommandData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A file name for the `file=` property. CR and LF travel as the runner's own %0D / %0A, so the
 * property decodes back to the real path; every other control or format character (ESC, NUL,
 * bidi overrides) has no escape the runner knows and is shown as a visible escape instead.
 */
function escapeFileProperty(file: string): string {
  return escapeCommandProperty(file.replace(UNSAFE_CHARACTERS, (c) => (c === '\n' || c === '\r' ? c : visibleEscape(c))));
}

export interface AnnotationOptions {
  /** The repository checkout (GITHUB_WORKSPACE): annotation paths are relative to it. */
  readonly workspace: string;
  /** Where relative diagnostic paths start (the process's working directory). */
  readonly cwd: string;
}

/**
 * A file as the repository knows it: relative to the workspace, with `/`. Undefined for a file
 * outside the workspace, which GitHub could not show anyway (and whose path is nobody's business).
 */
export function repositoryPath(file: string, options: AnnotationOptions): string | undefined {
  const relative = path.relative(path.resolve(options.workspace), path.resolve(options.cwd, file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

/** One `::error …::…` or `::warning …::…` line (without the newline) for a diagnostic. */
export function annotationCommand(d: Diagnostic, options: AnnotationOptions): string {
  const properties: string[] = [];
  const file = d.source ? repositoryPath(d.source.file, options) : undefined;
  if (d.source && file !== undefined) {
    properties.push(`file=${escapeFileProperty(file)}`, `line=${d.source.line}`, `col=${d.source.col}`);
  }
  properties.push(`title=${escapeCommandProperty(`Gatehouse ${escapeTerminal(d.rule)}`)}`);
  // A diagnostic whose file is outside the workspace still says where, in the message.
  const where = d.source && file === undefined ? `${escapeTerminal(d.source.file)}:${d.source.line}:${d.source.col}: ` : '';
  return `::${d.severity} ${properties.join(',')}::${escapeCommandData(where + escapeTerminal(d.message))}`;
}

/** GitHub shows the first 10 error and 10 warning annotations of a step, and drops the rest. */
export const ANNOTATIONS_SHOWN_PER_STEP = 10;

/** Every diagnostic as a workflow command, then a notice when GitHub will not show them all. */
export function annotationCommands(diagnostics: readonly Diagnostic[], options: AnnotationOptions & { readonly sarifFile?: string }): string[] {
  const lines = diagnostics.map((d) => annotationCommand(d, options));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors > ANNOTATIONS_SHOWN_PER_STEP || warnings > ANNOTATIONS_SHOWN_PER_STEP) {
    const where = options.sarifFile ? `all of them are in ${options.sarifFile} (SARIF, for code scanning)` : 'pass --sarif FILE and upload it to code scanning to see them all';
    lines.push(`::notice title=Gatehouse::${escapeCommandData(`${errors} errors and ${warnings} warnings: GitHub shows the first ${ANNOTATIONS_SHOWN_PER_STEP} of each on the pull request; ${where}, and the log above lists every one.`)}`);
  }
  return lines;
}
