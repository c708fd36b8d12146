import { escapeTerminal, UNSAFE_CHARACTERS, visibleEscape } from './escape-terminal.js';

// Markdown for pull request comments and issues. A name is data: it must not open a table cell
// (`|`), a code span (backtick), HTML, a heading, a link, emphasis, or mention a person or team
// (`@org/team` notifies them). Control characters are shown as escapes first (escape-terminal).

/** Characters with a meaning anywhere in CommonMark/GFM inline text, escaped with a backslash. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]#!|~]/g;
/** A value that could start a line: no list item (`- `, `+ `, `1. `) or quote out of it. */
const LINE_START = /^(\s*)([-+>]|\d+[.)])/;

/**
 * Plain text in Markdown (table cells included): punctuation backslash-escaped, `<`, `>` and `&`
 * as entities (no HTML), and `@` as an entity so it cannot mention anyone.
 */
export function escapeMarkdown(text: string): string {
  return escapeTerminal(text)
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(LINE_START, (_, space: string, mark: string) => `${space}\\${mark}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@/g, '&#64;');
}

/**
 * An inline code span that survives backticks in the text (a longer fence). In a table cell GFM
 * splits on `|` even inside code, so there it is `\|`, which GFM shows as `|`.
 */
export function markdownCode(text: string, options: { inTable?: boolean } = {}): string {
  let safe = escapeTerminal(text);
  if (options.inTable) safe = safe.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || safe.startsWith(' ') || safe.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

/** Lines of a fenced code block: controls shown as escapes; the fence outruns any backticks. */
export function markdownCodeBlock(language: string, lines: readonly string[]): string[] {
  // Loops, not spreads: a plan's section can hold 100,000 lines, past the engine's argument limit.
  const out: string[] = [''];
  let longest = 2;
  for (const line of lines) {
    const safe = line.replace(UNSAFE_CHARACTERS, visibleEscape);
    if (safe.includes('`')) for (const run of safe.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
    out.push(safe);
  }
  const fence = '`'.repeat(longest + 1);
  out[0] = `${fence}${language}`;
  out.push(fence);
  return out;
}

/** Text inside HTML (e.g. `<summary>`): entities only, and no mention. */
export function escapeHtml(text: string): string {
  return escapeTerminal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/@/g, '&#64;');
}
