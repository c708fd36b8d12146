import { compareStrings } from '../model/keys.js';
import { escapeMarkdown } from './escape-markdown.js';
import { groupThousands } from './plural.js';

// Every Markdown output of Gatehouse (plan, access diff, drift) has to fit somewhere with a
// limit: a pull request comment or an issue body (65,536 characters), a job summary (1 MiB per
// step). A 2-line change in a mid-size organisation produced a 255 KB access diff (issue #10),
// and the first 60 KB of that, cut anywhere, tells a reviewer nothing. So a document over its
// budget keeps its head (headline, what blocks apply) and its detail is replaced by a summary:
// counts by account, permission set and group, which is what a reviewer scans for. Only when
// the summary itself does not fit is something cut: the summary to its largest rows, then the
// head. A document with nothing to count (a list of errors) has its detail cut between lines or
// blocks. Each time, a note says what was done and where the whole text is.

/** One counted thing (a change, a grant, a finding) and what it touches. */
export interface TallyEntry {
  readonly sign: '+' | '-' | '~';
  readonly account?: string;
  readonly permissionSet?: string;
  readonly group?: string;
}

/**
 * Where the reader finds the text this rendering had to shorten: never the command that printed
 * it as it was (that would print the same shortened text again).
 */
export type WholeText =
  | { readonly where: 'job-summary'; readonly url?: string }
  /** `read`: the command that prints the file as Markdown, when it is not Markdown itself (a plan file). */
  | { readonly where: 'file'; readonly path: string; readonly read?: string }
  | { readonly where: 'command'; readonly command: string }
  /** Kept nowhere: said rather than pointing to a command that prints something else. */
  | { readonly where: 'nowhere' };

export interface BudgetedMarkdown {
  /** Kept whole when at all possible: headline, what blocks apply. */
  readonly head: string;
  /**
   * The detail, cut at a line when it does not fit; or whole blocks (one finding each, say),
   * cut between blocks, with "…and N more".
   */
  readonly body: string | readonly string[];
  /** A last short line kept when it fits (a digest, a footer). */
  readonly tail?: string;
  /** What the summary counts. */
  readonly tally: readonly TallyEntry[] | Tally;
  /**
   * For a document streamed piece by piece, of which only the beginning is at hand: its whole
   * length and how many blocks the body has in all (the body holds the first of them).
   */
  readonly totals?: { readonly length: number; readonly blocks: number };
  /** What the document is, for the notes: "plan", "access diff", "drift report". */
  readonly what: string;
  /** What one block of a block body is, plural: "findings" (default "more not shown here"). */
  readonly blocksAre?: string;
}

export interface FitResult {
  readonly text: string;
  /** False when something was left out. */
  readonly complete: boolean;
  /** What was done to fit: nothing, the detail replaced by the summary (cut too, or not), or cut. */
  readonly shortened: 'no' | 'summarised' | 'summary-cut' | 'cut';
}

/** A pull request comment or issue body: GitHub refuses anything longer. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** GITHUB_STEP_SUMMARY: GitHub's limit is 1 MiB per step. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

const TALLY_ROWS = 10;

/** What a Markdown output to stdout gets unless told otherwise: a comment's limit, with room to spare. */
export const DEFAULT_MARKDOWN_BUDGET = 60_000;
/** `--max-chars 0`: no budget, the whole text. */
export const NO_MARKDOWN_BUDGET = Number.POSITIVE_INFINITY;
/** Below this a summary and a note no longer fit: `--max-chars` refuses it. */
export const MIN_MARKDOWN_BUDGET = 1_000;

/**
 * A rendered document whose detail is a table (a row per grant, say): the lines before the first
 * table are the head, kept; the table's rows are cut whole, after the header, with "…and N more
 * rows". A table is never cut by a line of text, which GFM would render as one more row.
 */
export function fitTableMarkdown(
  markdown: string,
  tally: readonly TallyEntry[] | Tally,
  what: string,
  budget: number,
  whole: WholeText,
  /** When `markdown` is the beginning of a longer table: the whole length and number of rows. */
  totals?: { readonly length: number; readonly rows: number },
): FitResult {
  if (markdown.length <= budget && !totals) return { text: markdown, complete: true, shortened: 'no' };
  const lines = markdown.split('\n');
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  const at = lines.findIndex((l) => l.startsWith('|'));
  if (at < 0) return fitMarkdown({ head: '', body: markdown, tally, what, ...(totals ? { totals: { length: totals.length, blocks: 0 } } : {}) }, budget, whole);
  const header = lines.slice(at, at + 2).join('\n');
  // A partial table may end in half a row: drop it (it is counted among those left out).
  const rows = lines.slice(at + 2);
  if (totals && rows.length > 0 && !markdown.endsWith('\n')) rows.pop();
  return fitMarkdown(
    { head: lines.slice(0, at).join('\n'), body: [header, ...rows], tally, what, blocksAre: 'rows', ...(totals ? { totals: { length: totals.length, blocks: totals.rows + 1 } } : {}) },
    budget,
    whole,
  );
}

export function wholeTextNote(what: string, whole: WholeText): string {
  switch (whole.where) {
    case 'job-summary':
      return `The whole ${what} is in the job summary${whole.url ? ` of [this workflow run](${whole.url})` : ' of this workflow run'}.`;
    case 'file':
      return `The whole ${what} is in ${escapeMarkdown(whole.path)}${whole.read ? ` (\`${whole.read.replace(/`/g, '')}\` prints it)` : ''}.`;
    case 'command':
      return `Run \`${whole.command.replace(/`/g, '')}\` for the whole ${what}.`;
    case 'nowhere':
      return `This run keeps the whole ${what} nowhere else.`;
    default: {
      const never: never = whole;
      throw new Error(`unknown location ${String(never)}`);
    }
  }
}

/** The note above a shortened document: what was done to it, and where the whole text is. */
function shortenedNote(what: string, length: number, done: Exclude<FitResult['shortened'], 'no'>, whole: WholeText, rows?: number): string {
  const how = {
    summarised: 'its detail is replaced by counts by account, permission set and group',
    'summary-cut': `its detail is replaced by counts by account, permission set and group, and even those are cut${rows ? ` to the largest ${rows} of each` : ''}`,
    cut: 'only its beginning is shown',
  }[done];
  return `> [!NOTE]\n> This ${what} is longer than fits here (${groupThousands(length)} characters), so ${how}. ${wholeTextNote(what, whole)}\n`;
}

/**
 * The document whole when it fits. Else its head and its detail replaced by the summary (counts
 * by account, permission set and group), all rows of it when they fit, the largest rows when
 * not; a document with nothing to count keeps as much detail as fits. The head is cut last.
 */
export function fitMarkdown(doc: BudgetedMarkdown, budget: number, whole: WholeText): FitResult {
  const tail = doc.tail ?? '';
  const full = joinParts(doc.head, typeof doc.body === 'string' ? doc.body : doc.body.join('\n'), tail);
  const fullLength = doc.totals?.length ?? full.length;
  if (fullLength <= budget && !doc.totals) return { text: full, complete: true, shortened: 'no' };
  const withTail = (parts: string[]) => {
    const text = joinParts(...parts, tail);
    return text.length <= budget ? text : joinParts(...parts);
  };
  const tally = doc.tally instanceof Tally ? doc.tally : Tally.of(doc.tally);
  if (hasCounts(tally)) {
    const complete = renderTally(tally, Infinity);
    for (const rows of [Infinity, TALLY_ROWS, 5, 2, 1]) {
      const summary = rows === Infinity ? complete : renderTally(tally, rows);
      const done = summary === complete ? 'summarised' : 'summary-cut';
      const text = withTail([doc.head, shortenedNote(doc.what, fullLength, done, whole, rows), summary]);
      if (text.length <= budget) return { text, complete: false, shortened: done };
    }
  } else {
    const note = shortenedNote(doc.what, fullLength, 'cut', whole);
    const fixed = joinParts(doc.head, note, tail);
    const keepTail = fixed.length + 200 < budget;
    const room = budget - (keepTail ? fixed : joinParts(doc.head, note)).length - 2;
    if (room >= 0) {
      const cut = typeof doc.body === 'string' ? cutMarkdown(doc.body, room) : cutBlocks(doc.body, room, doc.blocksAre, doc.totals?.blocks);
      return { text: joinParts(doc.head, note, cut, keepTail ? tail : ''), complete: false, shortened: 'cut' };
    }
  }
  // Even the head (with the smallest summary) does not fit: the note, then the head cut like any body.
  const note = shortenedNote(doc.what, fullLength, 'cut', whole);
  const cut = cutMarkdown(doc.head, budget - note.length - 2);
  return { text: joinParts(note, cut), complete: false, shortened: 'cut' };
}

function joinParts(...parts: string[]): string {
  const kept = parts.filter((p) => p.length > 0).map((p) => (p.endsWith('\n') ? p : `${p}\n`));
  return kept.join('\n');
}

interface Counts {
  plus: number;
  minus: number;
  changed: number;
}

const DIMENSIONS = [
  ['Account', (e: TallyEntry) => e.account],
  ['Permission set', (e: TallyEntry) => e.permissionSet],
  ['Group', (e: TallyEntry) => e.group],
] as const;

/**
 * Counts by account, permission set and group, added one entry at a time: a document streamed
 * piece by piece (millions of grants) is counted without holding its entries.
 */
export class Tally {
  readonly counts: readonly Map<string, Counts>[] = DIMENSIONS.map(() => new Map<string, Counts>());

  add(e: TallyEntry): void {
    this.count(e.sign, e.account, e.permissionSet, e.group);
  }

  /** One entry, given as its fields: a plan of 100,000 changes is counted without an object each. */
  count(sign: TallyEntry['sign'], account: string | undefined, permissionSet: string | undefined, group: string | undefined): void {
    if (account !== undefined) bump(this.counts[0]!, account, sign);
    if (permissionSet !== undefined) bump(this.counts[1]!, permissionSet, sign);
    if (group !== undefined) bump(this.counts[2]!, group, sign);
  }

  /** Renames the accounts counted so far (counted by id, shown by name and id). */
  relabelAccounts(label: (account: string) => string): void {
    const accounts = this.counts[0]!;
    const renamed = [...accounts].map(([k, c]) => [label(k), c] as const);
    accounts.clear();
    for (const [k, c] of renamed) {
      const known = accounts.get(k);
      if (known) {
        known.plus += c.plus;
        known.minus += c.minus;
        known.changed += c.changed;
      } else accounts.set(k, c);
    }
  }

  static of(entries: readonly TallyEntry[]): Tally {
    const tally = new Tally();
    for (const e of entries) tally.add(e);
    return tally;
  }
}

function bump(counts: Map<string, Counts>, key: string, sign: TallyEntry['sign']): void {
  let c = counts.get(key);
  if (!c) counts.set(key, (c = { plus: 0, minus: 0, changed: 0 }));
  if (sign === '+') c.plus++;
  else if (sign === '-') c.minus++;
  else c.changed++;
}

/** True when the summary has something to count (entries that name an account, permission set or group). */
export function hasCounts(entries: readonly TallyEntry[] | Tally): boolean {
  const tally = entries instanceof Tally ? entries : Tally.of(entries);
  return tally.counts.some((c) => c.size > 0);
}

/** Counts by account, by permission set and by group: the largest first, then "N others". */
export function renderTally(entries: readonly TallyEntry[] | Tally, rows = TALLY_ROWS): string {
  const tally = entries instanceof Tally ? entries : Tally.of(entries);
  const out: string[] = [];
  for (const [i, [title]] of DIMENSIONS.entries()) {
    const counts = tally.counts[i]!;
    if (counts.size === 0) continue;
    const sorted = [...counts].sort(([a, x], [b, y]) => total(y) - total(x) || compareStrings(a, b));
    out.push(`| ${title} | + | ~ | - |`, '|:--|--:|--:|--:|');
    for (const [name, c] of sorted.slice(0, rows)) out.push(`| ${escapeMarkdown(name)} | ${c.plus} | ${c.changed} | ${c.minus} |`);
    const rest = sorted.slice(rows);
    if (rest.length > 0) {
      const sum = rest.reduce((s, [, c]) => ({ plus: s.plus + c.plus, minus: s.minus + c.minus, changed: s.changed + c.changed }), { plus: 0, minus: 0, changed: 0 });
      out.push(`| _${rest.length} more_ | ${sum.plus} | ${sum.changed} | ${sum.minus} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const total = (c: Counts) => c.plus + c.minus + c.changed;

/** The first whole blocks that fit in `limit`, then how many were left out. */
export function cutBlocks(blocks: readonly string[], limit: number, blocksAre?: string, totalBlocks = blocks.length): string {
  const kept: string[] = [];
  let length = 0;
  for (const block of blocks) {
    if (length + block.length + 1 + 60 > limit) break;
    kept.push(block);
    length += block.length + 1;
  }
  const left = totalBlocks - kept.length;
  if (left > 0) kept.push(`\n_…and ${groupThousands(left)} more${blocksAre ? ` ${blocksAre}` : ''} not shown here._`);
  return kept.join('\n');
}

const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * The first lines of `markdown` that fit in `limit` characters, with an open code block and open
 * <details> closed again, so what follows renders as intended, and "…" marking the cut.
 */
export function cutMarkdown(markdown: string, limit: number): string {
  if (markdown.length <= limit) return markdown;
  const lines = markdown.split('\n');
  const kept: string[] = [];
  let length = 0;
  let fence: string | undefined;
  let details = 0;
  const closing = () => (fence ? fence.length + 1 : 0) + details * 11 + 4;
  for (const line of lines) {
    const nextFence = fenceAfter(line, fence);
    const inCode = fence !== undefined || nextFence !== undefined;
    const nextDetails = inCode ? details : details + count(line, /<details\b/g) - count(line, /<\/details>/g);
    const added = line.length + 1;
    const reserve = (nextFence ? nextFence.length + 1 : 0) + Math.max(0, nextDetails) * 11 + 4;
    if (length + added + reserve > limit) break;
    kept.push(line);
    length += added;
    fence = nextFence;
    details = Math.max(0, nextDetails);
  }
  if (closing() > limit - length) {
    // Nothing fits: not even the closing lines; give the empty cut.
    return '';
  }
  if (fence) kept.push(fence);
  kept.push('…');
  for (let i = 0; i < details; i++) kept.push('</details>');
  return `${kept.join('\n')}\n`;
}

function fenceAfter(line: string, open: string | undefined): string | undefined {
  const m = FENCE.exec(line);
  if (!m) return open;
  const marker = m[1]!;
  if (open === undefined) return marker;
  // A fence closes only with the same character, at least as long, and nothing after it.
  return marker[0] === open[0] && marker.length >= open.length && line.trim() === marker ? undefined : open;
}

const count = (line: string, re: RegExp) => (line.match(re) ?? []).length;
