import type { DriftReport } from './drift-report.js';
import type { WholeText } from '../output/markdown-budget.js';
import { renderDriftMarkdown } from './render-drift-markdown.js';

// A scheduled drift run keeps one GitHub issue up to date instead of opening one per run:
// open it when drift appears, rewrite it while drift changes, close it when drift is gone.
// The tracker is a port (the CLI adapts Octokit to it), so this logic runs without a network.

export const DRIFT_ISSUE_LABEL = 'gatehouse-drift';
/** Marks the issue as ours, so a person's issue with the same label is never overwritten. */
export const DRIFT_ISSUE_MARKER = '<!-- gatehouse:drift-report -->';
/** GitHub's limit on an issue body, in characters. */
const MAX_ISSUE_BODY = 65_536;

export interface TrackedIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
}

export interface IssueTracker {
  /** Open issues carrying the label, oldest first. */
  openIssues(label: string): Promise<readonly TrackedIssue[]>;
  createIssue(issue: { readonly title: string; readonly body: string; readonly labels: readonly string[] }): Promise<number>;
  updateIssue(number: number, issue: { readonly title: string; readonly body: string }): Promise<void>;
  closeIssue(number: number, comment: string): Promise<void>;
  /** Creates the label when the repository lacks it (before the first issue that carries it). */
  ensureLabel?(label: string): Promise<void>;
}

export type IssueSyncResult =
  | { readonly action: 'created' | 'updated' | 'unchanged' | 'closed'; readonly number: number }
  | { readonly action: 'none' };

export async function syncDriftIssue(
  tracker: IssueTracker,
  report: DriftReport,
  options: { readonly now: Date; readonly label?: string; readonly whole?: WholeText },
): Promise<IssueSyncResult> {
  const label = options.label ?? DRIFT_ISSUE_LABEL;
  const existing = (await tracker.openIssues(label)).find((issue) => issue.body.includes(DRIFT_ISSUE_MARKER));
  if (report.findings.length === 0) {
    if (!existing) return { action: 'none' };
    await tracker.closeIssue(existing.number, `No drift as of ${options.now.toISOString()}: the live state matches the config.`);
    return { action: 'closed', number: existing.number };
  }
  const title = driftIssueTitle(report);
  // No timestamp in the body: an unchanged report then leaves the issue (and its watchers) alone.
  const body = `${DRIFT_ISSUE_MARKER}\n${renderDriftMarkdown(report, { maxChars: MAX_ISSUE_BODY - DRIFT_ISSUE_MARKER.length - 1, ...(options.whole ? { whole: options.whole } : {}) })}`;
  if (!existing) {
    await tracker.ensureLabel?.(label);
    return { action: 'created', number: await tracker.createIssue({ title, body, labels: [label] }) };
  }
  if (existing.title === title && existing.body === body) return { action: 'unchanged', number: existing.number };
  await tracker.updateIssue(existing.number, { title, body });
  return { action: 'updated', number: existing.number };
}

export function driftIssueTitle(report: DriftReport): string {
  const { total, high } = report.summary;
  return `Gatehouse drift: ${total} finding${total === 1 ? '' : 's'}${high > 0 ? ` (${high} high risk)` : ''}`;
}
