import { escapeMarkdown, markdownCode } from '../output/escape-markdown.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import type { PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeChange } from './privilege-diff.js';

// The privilege part of an access diff, which reviewers read first: one line per (direction,
// levels, permission set) with the number of users and accounts, then the names. Names come
// from configs and live stores anyone may edit: text goes through escapeTerminal, Markdown
// through escapeMarkdown / markdownCode (src/output).

const NAMES_SHOWN = 10;

/** Accounts by id; only the name is read. */
export type AccountNames = ReadonlyMap<string, { readonly name: string }>;

interface Style {
  readonly text: (s: string) => string;
  readonly code: (s: string) => string;
}
const TEXT: Style = { text: escapeTerminal, code: (s) => `\`${escapeTerminal(s)}\`` };
const MARKDOWN: Style = { text: escapeMarkdown, code: (s) => markdownCode(s) };

const levelText = (l: PrivilegeLevel) => (l === 'none' ? 'no access' : l);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function accountsText(c: PrivilegeChange): string {
  const total = c.accounts.length;
  const prod = c.productionAccounts.length;
  if (prod === total) return plural(total, prod > 0 ? 'production account' : 'account');
  return prod === 0 ? plural(total, 'account') : `${plural(total, 'account')} (${prod} production)`;
}

/** "14 users in 3 production accounts go from read-only to admin through `Restricted`: managed policy AdministratorAccess added". */
export function privilegeHeadline(c: PrivilegeChange, style: Style = TEXT): string {
  const users = c.users.length;
  const to = `${levelText(c.to)}${c.possibly && c.direction === 'gain' ? ' (possibly)' : ''}`;
  const from = `${levelText(c.from)}${c.possibly && c.direction === 'loss' ? ' (possibly)' : ''}`;
  return `${plural(users, 'user')} in ${accountsText(c)} ${users === 1 ? 'goes' : 'go'} from ${from} to ${to} through ${style.code(c.through)}: ${style.text(c.why)}`;
}

function names(list: readonly string[], style: Style): string {
  const shown = list.slice(0, NAMES_SHOWN).map(style.text).join(', ');
  return list.length <= NAMES_SHOWN ? shown : `${shown} and ${list.length - NAMES_SHOWN} more`;
}

const accountNames = (c: PrivilegeChange, accounts: AccountNames) => c.accounts.map((id) => accounts.get(id)?.name ?? id);

export function renderPrivilegeDiffText(changes: readonly PrivilegeChange[], accounts: AccountNames): string {
  if (changes.length === 0) return 'Privilege: no change in privilege level.\n\n';
  const lines = ['Privilege:'];
  for (const c of changes) {
    lines.push(`  ${c.direction === 'gain' ? '▲' : '▼'} ${privilegeHeadline(c)}`);
    lines.push(`      ${names(c.users, TEXT)} in ${names(accountNames(c, accounts), TEXT)}`);
  }
  return `${lines.join('\n')}\n\n`;
}

export function renderPrivilegeDiffMarkdown(changes: readonly PrivilegeChange[], accounts: AccountNames): string {
  if (changes.length === 0) return '**Privilege:** no change in privilege level.\n\n';
  const gains = changes.filter((c) => c.direction === 'gain').length;
  const losses = changes.length - gains;
  const out = [`**Privilege:** ${plural(gains, 'gain')}, ${losses} loss${losses === 1 ? '' : 'es'}.`, ''];
  for (const c of changes) {
    out.push(`- ${c.direction === 'gain' ? '🔺' : '🔻'} ${privilegeHeadline(c, MARKDOWN)}`);
    out.push(`  <br><sub>${names(c.users, MARKDOWN)} in ${names(accountNames(c, accounts), MARKDOWN)}</sub>`);
  }
  return `${out.join('\n')}\n\n`;
}
