import { PRIVILEGE_LEVELS, type AccessReview } from './access-review.js';

// Markdown for a review ticket or a wiki page: counts by privilege, then one table row per
// (user, account, permission set) with its paths and an empty decision column.

export function renderAccessReviewMarkdown(review: AccessReview): string {
  const out: string[] = [];
  out.push(`# Access review — ${review.generatedAt.slice(0, 10)}`, '');
  out.push(
    `Snapshot of ${review.source === 'live' ? 'the live store' : 'the configuration'} taken ${review.generatedAt}` +
      `${review.gitCommit ? ` at commit \`${review.gitCommit.slice(0, 12)}\`` : ''}.`,
    '',
  );
  const users = new Set(review.rows.map((r) => r.userName)).size;
  out.push(`${users} user${users === 1 ? '' : 's'}, ${review.rows.length} grant${review.rows.length === 1 ? '' : 's'}.`, '');
  out.push('| Privilege | Grants |', '|---|---:|');
  for (const level of PRIVILEGE_LEVELS) {
    const n = review.rows.filter((r) => r.privilege === level).length;
    if (n > 0) out.push(`| ${level} | ${n} |`);
  }
  out.push('', '| User | Account | Permission set | Privilege | Granted via | Expires | Reason | Decision |', '|---|---|---|---|---|---|---|---|');
  for (const r of review.rows) {
    const via = r.paths.map((p) => `${p.group === undefined ? 'direct' : `group ${cell(p.group)}`}${p.source ? ` (${cell(p.source)})` : ''}`).join('<br>');
    const reasons = [...new Set(r.paths.map((p) => p.reason).filter((x): x is string => x !== undefined))].map(cell).join('<br>');
    out.push(
      `| ${cell(r.userName)} | ${cell(r.accountName)} (${r.accountId}) | ${cell(r.permissionSetName)} | ${r.privilege}: ${cell(r.privilegeReason)} | ${via} | ${r.expires ?? 'never'} | ${reasons} | |`,
    );
  }
  return `${out.join('\n')}\n`;
}

/** A table cell: no line breaks, pipes or HTML from a name can change the table. */
function cell(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>&~]/g, (c) => `&#${c.charCodeAt(0)};`);
}
