import type { Account } from '../model/entities.js';
import type { AccessDiff, AccessGrant, AccessPath } from './effective-access.js';

export type AccountNames = ReadonlyMap<string, Account>;

const accountLabel = (id: string, accounts: AccountNames) => {
  const a = accounts.get(id);
  return a ? `${a.name} (${id})` : id;
};

export const describePath = (p: AccessPath): string => {
  const where = p.source ? ` at ${p.source.file}:${p.source.line}:${p.source.col}` : '';
  return p.kind === 'direct' ? `direct assignment${where}` : `member of group ${p.groupName}${where}`;
};

export function renderAccessText(grants: readonly AccessGrant[], accounts: AccountNames): string {
  if (grants.length === 0) return 'No access matches.\n';
  const lines = grants.map(
    (g) => `${g.userName}  ${accountLabel(g.accountId, accounts)}  ${g.permissionSetName}  via ${g.paths.map(describePath).join('; ')}`,
  );
  return `${lines.join('\n')}\n\n${grants.length} grant${grants.length === 1 ? '' : 's'}.\n`;
}

export function renderAccessMarkdown(grants: readonly AccessGrant[], accounts: AccountNames): string {
  const rows = grants.map(
    (g) => `| ${g.userName} | ${accountLabel(g.accountId, accounts)} | ${g.permissionSetName} | ${g.paths.map(describePath).join('<br>')} |`,
  );
  return ['| user | account | permission set | via |', '|---|---|---|---|', ...rows, ''].join('\n');
}

export function renderAccessJson(grants: readonly AccessGrant[]): string {
  return JSON.stringify({ format_version: 1, grants }, null, 2);
}

export function renderAccessDiffText(diff: AccessDiff, accounts: AccountNames): string {
  if (diff.gained.length === 0 && diff.lost.length === 0) return 'No change in effective access.\n';
  const line = (sign: string, g: AccessGrant) =>
    `${sign} ${g.userName}  ${accountLabel(g.accountId, accounts)}  ${g.permissionSetName}  (${g.paths.map(describePath).join('; ')})`;
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
  ].map(([what, g]) => `| ${what} | ${g.userName} | ${accountLabel(g.accountId, accounts)} | ${g.permissionSetName} | ${g.paths.map(describePath).join('<br>')} |`);
  return [
    `**Effective access:** ${diff.gained.length} gained, ${diff.lost.length} lost.`,
    '',
    '| | user | account | permission set | via |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function renderAccessDiffJson(diff: AccessDiff): string {
  return JSON.stringify({ format_version: 1, gained: diff.gained, lost: diff.lost }, null, 2);
}
