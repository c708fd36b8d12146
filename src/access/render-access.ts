import type { Account } from '../model/entities.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import { escapeJsonText, stringifyJson } from '../output/escape-json.js';
import { escapeMarkdown } from '../output/escape-markdown.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { plural } from '../output/plural.js';
import type { AccessDiff, AccessGrant, AccessPath } from './effective-access.js';
import type { PrivilegeChange } from './privilege-diff.js';

// Effective access for people (text, Markdown) and machines (JSON, schemas/output/access*.json).
// User, group and account names may come from a live store anyone could edit: text goes through
// escapeTerminal, Markdown cells through escapeMarkdown, JSON through stringifyJson.

export type AccountNames = ReadonlyMap<string, Account>;

const accountLabel = (id: string, accounts: AccountNames) => {
  const a = accounts.get(id);
  return a ? `${a.name} (${id})` : id;
};

/** Unescaped: `member of group G at FILE:LINE:COL`; the file name is escaped as in diagnostics. */
const pathText = (p: AccessPath): string => {
  const where = p.source ? ` at ${formatLocation(p.source).slice(0, -2)}` : '';
  return p.kind === 'direct' ? `direct assignment${where}` : `member of group ${p.groupName}${where}`;
};

/** One path that grants access, safe for a terminal. */
export const describePath = (p: AccessPath): string => escapeTerminal(pathText(p));

const textLine = (g: AccessGrant, accounts: AccountNames, paths: string): string =>
  escapeTerminal(`${g.userName}  ${accountLabel(g.accountId, accounts)}  ${g.permissionSetName}  `) + paths;

const cell = (text: string): string => escapeMarkdown(text);

export function renderAccessText(grants: readonly AccessGrant[], accounts: AccountNames): string {
  return [...renderAccessTextChunks([grants], accounts)].join('');
}

export function renderAccessMarkdown(grants: readonly AccessGrant[], accounts: AccountNames): string {
  return [...renderAccessMarkdownChunks([grants], accounts)].join('');
}

export function renderAccessJson(grants: readonly AccessGrant[]): string {
  return [...renderAccessJsonChunks([grants])].join('');
}

// The same renderings in pieces, one per user's grants (effectiveAccessByUser), so an
// organisation's millions of grants go out without being held: the text is the same.

export function* renderAccessTextChunks(byUser: Iterable<readonly AccessGrant[]>, accounts: AccountNames): Generator<string> {
  let count = 0;
  for (const grants of byUser) {
    if (grants.length === 0) continue;
    const lines = grants.map((g) => textLine(g, accounts, `via ${g.paths.map(describePath).join('; ')}`));
    count += grants.length;
    yield `${lines.join('\n')}\n`;
  }
  yield count === 0 ? 'No access matches.\n' : `\n${plural(count, 'grant')}.\n`;
}

export function* renderAccessMarkdownChunks(byUser: Iterable<readonly AccessGrant[]>, accounts: AccountNames): Generator<string> {
  yield '| user | account | permission set | via |\n|---|---|---|---|\n';
  const cached = cellCache();
  for (const grants of byUser) {
    for (const g of grants) {
      yield `| ${cached(g.userName)} | ${cached(accountLabel(g.accountId, accounts))} | ${cached(g.permissionSetName)} | ${g.paths.map((p) => cached(pathText(p))).join('<br>')} |\n`;
    }
  }
}

/**
 * cell(), each distinct text escaped once: rows repeat their user, account, permission set and
 * paths (one rule's grants), and escaping was half the time of an organisation's listing.
 */
function cellCache(): (text: string) => string {
  const cells = new Map<string, string>();
  return (text) => {
    let c = cells.get(text);
    if (c === undefined) cells.set(text, (c = cell(text)));
    return c;
  };
}

/** `stringifyJson({ format_version: 1, grants })`, written grant by grant. */
export function* renderAccessJsonChunks(byUser: Iterable<readonly AccessGrant[]>): Generator<string> {
  let first = true;
  for (const grants of byUser) {
    for (const g of grants) {
      const item = escapeJsonText(JSON.stringify(g, null, 2)).replace(/\n/g, '\n    ');
      yield `${first ? '{\n  "format_version": 1,\n  "grants": [\n' : ',\n'}    ${item}`;
      first = false;
    }
  }
  yield first ? '{\n  "format_version": 1,\n  "grants": []\n}' : '\n  ]\n}';
}

export function renderAccessDiffText(diff: AccessDiff, accounts: AccountNames): string {
  return [...renderAccessDiffTextChunks(diff, accounts)].join('');
}

export function renderAccessDiffMarkdown(diff: AccessDiff, accounts: AccountNames): string {
  return [...renderAccessDiffMarkdownChunks(diff, accounts)].join('');
}

// In pieces, a line each: a pull request that takes a permission set from `everyone` loses over
// a million grants at bench M, 200 MB of text that need not be held at once.

export function* renderAccessDiffTextChunks(diff: AccessDiff, accounts: AccountNames): Generator<string> {
  if (diff.gained.length === 0 && diff.lost.length === 0) {
    yield 'No change in effective access.\n';
    return;
  }
  const line = (sign: string, g: AccessGrant) => `${sign} ${textLine(g, accounts, `(${g.paths.map(describePath).join('; ')})`)}\n`;
  for (const g of diff.gained) yield line('+', g);
  for (const g of diff.lost) yield line('-', g);
  yield `\nAccess: ${diff.gained.length} gained, ${diff.lost.length} lost.\n`;
}

export function* renderAccessDiffMarkdownChunks(diff: AccessDiff, accounts: AccountNames): Generator<string> {
  if (diff.gained.length === 0 && diff.lost.length === 0) {
    yield '**Effective access:** no change.\n';
    return;
  }
  yield `**Effective access:** ${diff.gained.length} gained, ${diff.lost.length} lost.\n\n| | user | account | permission set | via |\n|---|---|---|---|---|\n`;
  const cached = cellCache();
  const row = (what: string, g: AccessGrant) =>
    `| ${what} | ${cached(g.userName)} | ${cached(accountLabel(g.accountId, accounts))} | ${cached(g.permissionSetName)} | ${g.paths.map((p) => cached(pathText(p))).join('<br>')} |\n`;
  for (const g of diff.gained) yield row('➕ gains', g);
  for (const g of diff.lost) yield row('➖ loses', g);
}

export function renderAccessDiffJson(diff: AccessDiff, privilege?: readonly PrivilegeChange[]): string {
  return stringifyJson({ format_version: 1, ...(privilege ? { privilege } : {}), gained: diff.gained, lost: diff.lost });
}
