import { PRIVILEGE_LEVELS, type AccessReview, type ReviewRow } from './access-review.js';

// Markdown for a review ticket or a wiki page: counts by privilege, then one table row per
// (user, account, permission set) with its paths and an empty decision column.

export function renderAccessReviewMarkdown(review: AccessReview): string {
  return [...renderAccessReviewMarkdownChunks(review, summariseReview([review.rows]), [review.rows])].join('');
}

/** What the head of the Markdown counts: a first pass when the rows are streamed. */
export interface ReviewSummary {
  readonly users: number;
  readonly grants: number;
  readonly byLevel: ReadonlyMap<string, number>;
}

export function summariseReview(batches: Iterable<readonly ReviewRow[]>): ReviewSummary {
  const users = new Set<string>();
  const byLevel = new Map<string, number>();
  let grants = 0;
  for (const rows of batches) {
    for (const r of rows) {
      users.add(r.userName);
      byLevel.set(r.privilege, (byLevel.get(r.privilege) ?? 0) + 1);
      grants++;
    }
  }
  return { users: users.size, grants, byLevel };
}

/** The Markdown in pieces: the head from the summary, then a table row per grant. */
export function* renderAccessReviewMarkdownChunks(
  review: Pick<AccessReview, 'generatedAt' | 'source' | 'gitCommit'>,
  summary: ReviewSummary,
  batches: Iterable<readonly ReviewRow[]>,
): Generator<string> {
  const out: string[] = [];
  out.push(`# Access review — ${review.generatedAt.slice(0, 10)}`, '');
  out.push(
    `Snapshot of ${review.source === 'live' ? 'the live store' : 'the configuration'} taken ${review.generatedAt}` +
      `${review.gitCommit ? ` at commit \`${review.gitCommit.slice(0, 12)}\`` : ''}.`,
    '',
  );
  const { users, grants } = summary;
  out.push(`${users} user${users === 1 ? '' : 's'}, ${grants} grant${grants === 1 ? '' : 's'}.`, '');
  out.push('| Privilege | Grants |', '|---|---:|');
  for (const level of PRIVILEGE_LEVELS) {
    const n = summary.byLevel.get(level) ?? 0;
    if (n > 0) out.push(`| ${level} | ${n} |`);
  }
  out.push('', '| User | Account | Permission set | Privilege | Granted via | Expires | Reason | Decision |', '|---|---|---|---|---|---|---|---|');
  yield `${out.join('\n')}\n`;
  for (const rows of batches) {
    const lines: string[] = [];
    for (const r of rows) {
      const via = r.paths.map((p) => `${p.group === undefined ? 'direct' : `group ${cell(p.group)}`}${p.source ? ` (${cell(p.source)})` : ''}`).join('<br>');
      const reasons = [...new Set(r.paths.map((p) => p.reason).filter((x): x is string => x !== undefined))].map(cell).join('<br>');
      lines.push(
        `| ${cell(r.userName)} | ${cell(r.accountName)} (${r.accountId}) | ${cell(r.permissionSetName)} | ${r.privilege}: ${cell(r.privilegeReason)} | ${via} | ${r.expires ?? 'never'} | ${reasons} | |\n`,
      );
    }
    if (lines.length > 0) yield lines.join('');
  }
}

/** A table cell: no line breaks, pipes or HTML from a name can change the table. */
function cell(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[\\`*_{}[\]()#+!|<>&~]/g, (c) => `&#${c.charCodeAt(0)};`);
}
