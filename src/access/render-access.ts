import type { Account } from '../model/entities.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import { stringifyJson } from '../output/escape-json.js';
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
const pathCells = (g: AccessGrant): string => g.paths.map((p) => cell(pathText(p))).join('<br>');

export function renderAccessText(grants: readonly AccessGrant[], accounts: AccountNames): string {
  if (grants.length === 0) return 'No access matches.\n';
  const lines = grants.map((g) => textLine(g, accounts, `via ${g.paths.map(describePath).join('; ')}`));
  return `${lines.join('\n')}\n\n${plural(grants.length, 'grant')}.\n`;
}

export function renderAccessMarkdown(grants: readonly AccessGrant[], accounts: AccountNames): string {
  const rows = grants.map(
    (g) => `| ${cell(g.userName)} | ${cell(accountLabel(g.accountId, accounts))} | ${cell(g.permissionSetName)} | ${pathCells(g)} |`,
  );
  return ['| user | account | permission set | via |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function renderAccessJson(grants: readonly AccessGrant[]): string {
  return stringifyJson({ format_version: 1, grants });
}

export function renderAccessDiffText(diff: AccessDiff, accounts: AccountNames): string {
  if (diff.gained.length === 0 && diff.lost.length === 0) return 'No change in effective access.\n';
  const line = (sign: string, g: AccessGrant) => `${sign} ${textLine(g, accounts, `(${g.paths.map(describePath).join('; ')})`)}`;
  return [
    ...diff.gained.map((g) => line('+', g)),
    ...diff.lost.map((g) => line('-', g)),
    '',
    `Access: ${diff.gained.length} gained, ${diff.lost.length} lost.`,
    '',
  ].join('\n');
}

export function renderAccessDiffMarkdown(diff: AccessDiff, accounts: AccountNames): string {
  if (diff.gained.length === 0 && diff.lost.length === 0) return '**Effective access:** no change.\n';
  const rows = [
    ...diff.gained.map((g) => ['➕ gains', g] as const),
    ...diff.lost.map((g) => ['➖ loses', g] as const),
  ].map(([what, g]) => `| ${what} | ${cell(g.userName)} | ${cell(accountLabel(g.accountId, accounts))} | ${cell(g.permissionSetName)} | ${pathCells(g)} |`);
  return [
    `**Effective access:** ${diff.gained.length} gained, ${diff.lost.length} lost.`,
    '',
    '| | user | account | permission set | via |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function renderAccessDiffJson(diff: AccessDiff, privilege?: readonly PrivilegeChange[]): string {
  return stringifyJson({ format_version: 1, ...(privilege ? { privilege } : {}), gained: diff.gained, lost: diff.lost });
}
