import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { Locator } from './locator.js';

export const MAX_DEPTH = 64;

/**
 * Cheap checks on the raw text before the YAML parser sees it: binary content, line breaks YAML
 * does not read as the editor shows them, collections nested deeper than `maxDepth` — flow
 * (`[[[[…`) or block (`- - - -…`, ever deeper indentation) — and aliases that could expand the
 * file far beyond its size. The parser recurses per level and runs out of stack, or time, long
 * before any config needs that depth. Returns at most one diagnostic; parsing is skipped when
 * there is one.
 */
export function prescanYamlText(text: string, locator: Locator, maxDepth = MAX_DEPTH): Diagnostic | undefined {
  const scanned = scanText(text, locator, maxDepth, true);
  if (scanned.diagnostic) return scanned.diagnostic;
  // A quote still open at the end was not a quoted scalar (`x: a 'b`): everything after it was
  // skipped. Count again as if there were no quotes, which can only over-count nesting.
  if (scanned.openQuote) {
    const again = scanText(text, locator, maxDepth, false);
    if (again.diagnostic) return again.diagnostic;
  }
  return aliasExpansion(text, locator);
}

/**
 * The nesting as counted without regard to quotes: where the text first goes deeper than
 * `maxDepth`, whatever a quote might have hidden. For locating a parser's stack overflow.
 */
export function conservativeDepthProblem(text: string, locator: Locator, maxDepth = MAX_DEPTH): Diagnostic | undefined {
  return scanText(text, locator, maxDepth, false).diagnostic;
}

function scanText(text: string, locator: Locator, maxDepth: number, trackQuotes: boolean): { diagnostic?: Diagnostic; openQuote?: boolean } {
  let depth = 0;
  let quote: '"' | "'" | undefined;
  // Until the end of the line, nothing is structure: a comment, or a line of a block scalar.
  let comment = false;
  let lineBegin = 0;
  // The last `|` or `>` on this line outside quotes and comments, and the indentation a line
  // must exceed to belong to the block scalar it started (-1: not in one).
  let indicator = -1;
  let blockScalarIndent = -1;
  // Indentation of the open block levels: a line indented deeper than the last opens one more.
  const indents: number[] = [];
  const lineStart = (i: number): Diagnostic | undefined =>
    quote === undefined && depth === 0 && blockLevels(text, i, indents) > maxDepth ? tooDeep(locator, i, maxDepth) : undefined;
  if (text.length > 0) {
    const deep = lineStart(0);
    if (deep) return { diagnostic: deep };
  }
  // Only these characters change the state; the regex skips the rest natively (~4x faster than
  // looking at every character of a 15 MB config).
  const interesting = /[\n\r#"'\\[\]{}|>\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufffd]/g;
  for (let match = interesting.exec(text); match !== null; match = interesting.exec(text)) {
    const i = match.index;
    const c = text.charCodeAt(i);
    if (isBinaryCode(c)) {
      return {
        diagnostic: {
          severity: 'error',
          rule: 'binary-file',
          message:
            c === 0xfffd
              ? 'the file holds U+FFFD (the replacement character), usually left by a broken conversion to UTF-8; save it as UTF-8'
              : `the file contains the control character U+${c.toString(16).toUpperCase().padStart(4, '0')}; is it a binary file? Config files must be UTF-8 YAML text`,
          source: locator.position(i),
        },
      };
    }
    if (c === 13 ? text.charCodeAt(i + 1) !== 10 : c === 0x85 || c === 0x2028 || c === 0x2029) return { diagnostic: oddLineBreak(locator, i, c) };
    if (c === 13) continue;
    if (c === 10) {
      // A block scalar (`key: |`) holds text, whatever quotes or brackets are in it: a quote in
      // it would otherwise hide the lines after it from this scan.
      if (blockScalarIndent < 0 && indicator >= 0 && quote === undefined && depth === 0) blockScalarIndent = blockScalarHeader(text, lineBegin, indicator, i);
      comment = false;
      indicator = -1;
      lineBegin = i + 1;
      if (blockScalarIndent >= 0) {
        if (isBlockScalarLine(text, i + 1, blockScalarIndent)) {
          comment = true;
          continue;
        }
        blockScalarIndent = -1;
      }
      if (i + 1 < text.length) {
        const deep = lineStart(i + 1);
        if (deep) return { diagnostic: deep };
      }
      continue;
    }
    if (comment) continue;
    if (quote) {
      // An escaped character is skipped whatever it is.
      if (quote === '"' && c === 92 /* \ */) interesting.lastIndex = i + 2;
      else if (text[i] === quote) quote = undefined;
      continue;
    }
    if (c === 35 /* # */ && (i === 0 || isSpace(text.charCodeAt(i - 1)))) comment = true;
    else if (c === 124 || c === 62) indicator = i;
    else if (c === 34 || c === 39) {
      if (trackQuotes && startsQuotedScalar(text, i)) quote = text[i] as '"' | "'";
    } else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return { diagnostic: tooDeep(locator, i, maxDepth) };
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return { openQuote: quote !== undefined };
}

/**
 * If the line from `begin` to `end` ends with a block scalar header (`key: |`, `- >-`, `? |2`,
 * optionally followed by a comment), the indentation its content lines must exceed: the column
 * where the line's node starts, after any `- ` / `? ` indicators. Over-estimating it only makes
 * the scan read text as structure (a false alarm); it never hides a line. Otherwise -1.
 */
function blockScalarHeader(text: string, begin: number, indicator: number, end: number): number {
  const prev = text.charCodeAt(indicator - 1);
  if (indicator > begin && prev !== 32) return -1;
  if (!/^[1-9+-]{0,2}[ ]*(?:#.*)?$/.test(text.slice(indicator + 1, end).replace(/\r$/, ''))) return -1;
  let j = begin;
  for (;;) {
    while (text.charCodeAt(j) === 32) j++;
    if ((text[j] === '-' || text[j] === '?') && text.charCodeAt(j + 1) === 32 && j + 1 < indicator) j += 2;
    else break;
  }
  return j - begin;
}

/** Whether the line starting at `start` is blank or indented more than `indent`. */
function isBlockScalarLine(text: string, start: number, indent: number): boolean {
  let j = start;
  while (text.charCodeAt(j) === 32) j++;
  const c = text.charCodeAt(j);
  return Number.isNaN(c) ? false : c === 10 || c === 13 || j - start > indent;
}

/**
 * Whether the quote at `i` starts a quoted scalar: only where a node can start — at the start
 * of a line, after `[ { ,`, or after `: ` `- ` `? ` — not inside a plain scalar (`it's`,
 * `x: a 'b`), where YAML reads it as an ordinary character.
 */
function startsQuotedScalar(text: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && text.charCodeAt(j) === 32) j--;
  if (j < 0) return true;
  const p = text.charCodeAt(j);
  if (p === 10 || p === 13 || p === 91 || p === 123 || p === 44) return true;
  // `: 'x'`, `- 'x'`, `? 'x'` need the space; `:'x'` is one plain scalar in block context.
  return j < i - 1 && (p === 58 || p === 45 || p === 63);
}

const LINE_BREAK_NAMES: Readonly<Record<number, string>> = {
  13: 'a carriage return without a line feed (an old Mac line break)',
  0x85: 'U+0085 NEXT LINE (NEL)',
  0x2028: 'U+2028 LINE SEPARATOR',
  0x2029: 'U+2029 PARAGRAPH SEPARATOR',
};

/**
 * YAML 1.2 reads a lone CR as a line break but the `yaml` package's comment scanner does not,
 * and U+0085/U+2028/U+2029 are line breaks in YAML 1.1 and some editors but not in YAML 1.2: a
 * file using them shows different lines than the parser reads (a whole file has parsed as one
 * comment). Rejected rather than guessed.
 */
const oddLineBreak = (locator: Locator, offset: number, c: number): Diagnostic => ({
  severity: 'error',
  rule: 'line-break',
  message: `the file contains ${LINE_BREAK_NAMES[c]}, which editors and YAML parsers disagree on; use LF (or CRLF) line breaks only`,
  source: locator.position(offset),
});

/** Characters the aliases of one file may expand to, at most (counted from the text). */
export const MAX_ALIAS_EXPANSION_CHARS = 4_000_000;

const ANCHOR = /(?:^[ ]*|[ ,[{])&([^\s,[\]{}]+)/gm;
const ALIAS = /(?:^[ ]*|[ ,[{])\*([^\s,[\]{}]+)/gm;

/**
 * An upper bound of what the aliases of a file expand to, from the text alone: each alias can
 * repeat at most the text from its anchor to the end. 99 aliases (under the alias-count limit)
 * of a 1M-element anchor are thus refused in milliseconds, before a parser builds the anchor's
 * million nodes (seconds and hundreds of MB in the `yaml` package).
 */
function aliasExpansion(text: string, locator: Locator): Diagnostic | undefined {
  if (!text.includes('&') || !text.includes('*')) return undefined;
  const anchors = new Map<string, number>();
  for (const m of text.matchAll(ANCHOR)) if (!anchors.has(m[1]!)) anchors.set(m[1]!, m.index! + m[0].length - m[1]!.length - 1);
  if (anchors.size === 0) return undefined;
  let total = 0;
  for (const m of text.matchAll(ALIAS)) {
    const anchor = anchors.get(m[1]!);
    if (anchor === undefined) continue;
    total += text.length - anchor;
    if (total > MAX_ALIAS_EXPANSION_CHARS)
      return {
        severity: 'error',
        rule: 'alias-expansion',
        message: `the aliases in this file (*${m[1]!} and the ones before it) could expand it to more than ${MAX_ALIAS_EXPANSION_CHARS} characters; write the values out or use fewer aliases of large anchors`,
        source: locator.position(m.index! + m[0].length - m[1]!.length - 1),
      };
  }
  return undefined;
}

const tooDeep = (locator: Locator, offset: number, maxDepth: number): Diagnostic => ({
  severity: 'error',
  rule: 'too-deep',
  message: `collections are nested deeper than ${maxDepth} levels; no Gatehouse config needs that, flatten the file`,
  source: locator.position(offset),
});

/**
 * Block nesting depth at the line starting at `start`: the open indentation levels, plus one per
 * compact indicator (`- - x`, `? ? x`). Blank and comment lines leave the levels alone.
 */
function blockLevels(text: string, start: number, indents: number[]): number {
  let i = start;
  while (text.charCodeAt(i) === 32) i++;
  const c = text.charCodeAt(i);
  if (Number.isNaN(c) || c === 10 || c === 13 || c === 35) return indents.length;
  const indent = i - start;
  while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
  indents.push(indent);
  let compact = 0;
  while ((text[i] === '-' || text[i] === '?') && text.charCodeAt(i + 1) === 32) {
    compact++;
    i += 2;
    while (text.charCodeAt(i) === 32) i++;
  }
  return indents.length + compact;
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

/** C0 controls other than tab/newline/CR, DEL, and U+FFFD (what invalid UTF-8 decodes to). */
const isBinaryCode = (c: number): boolean =>
  (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0x7f || c === 0xfffd;
