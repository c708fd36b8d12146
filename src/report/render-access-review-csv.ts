import type { AccessReview, ReviewRow } from './access-review.js';

// CSV for the spreadsheet an auditor works in: one row per (user, account, permission set),
// paths joined in one cell, and empty reviewer columns to fill in. RFC 4180 quoting; a cell
// that starts like a formula is prefixed with ' so a spreadsheet shows it instead of running it
// (OWASP "CSV injection").

export const REVIEW_COLUMNS = [
  'review_date', 'user', 'display_name', 'account_id', 'account_name', 'ou', 'permission_set',
  'privilege', 'privilege_reason', 'granted_via', 'sources', 'expires', 'reason',
  'reviewer', 'decision', 'decision_date', 'comment',
] as const;

export function renderAccessReviewCsv(review: AccessReview): string {
  return [...renderAccessReviewCsvChunks(review, [review.rows])].join('');
}

/** The CSV in pieces, one per batch of rows (a user's, when streamed): the same text. */
export function* renderAccessReviewCsvChunks(review: Pick<AccessReview, 'generatedAt'>, batches: Iterable<readonly ReviewRow[]>): Generator<string> {
  yield `${REVIEW_COLUMNS.join(',')}\r\n`;
  const date = review.generatedAt.slice(0, 10);
  for (const rows of batches) {
    const lines: string[] = [];
    for (const r of rows) {
      const cells = [
        date,
        r.userName,
        r.displayName ?? '',
        r.accountId,
        r.accountName,
        r.ouPath,
        r.permissionSetName,
        r.privilege,
        r.privilegeReason,
        r.paths.map((p) => (p.group === undefined ? 'direct' : `group ${p.group}`)).join('; '),
        r.paths.map((p) => p.source ?? '').filter((s) => s !== '').join('; '),
        r.expires ?? '',
        [...new Set(r.paths.map((p) => p.reason).filter((x): x is string => x !== undefined))].join('; '),
        '', '', '', '',
      ];
      lines.push(`${cells.map(csvCell).join(',')}\r\n`);
    }
    if (lines.length > 0) yield lines.join('');
  }
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
