import type { DriftReport } from '../drift/drift-report.js';
import { renderDriftMarkdown } from '../drift/render-drift-markdown.js';
import type { WholeText } from '../output/markdown-budget.js';
import { appendJobSummary, fitJobSummary, jobSummaryRoom } from './job-summary.js';
import { readActionsEnv, runUrl } from './actions-env.js';

// `drift --github`: the whole report (up to GitHub's 1 MiB) in the job summary, which the drift
// issue points to when its 65,536 characters cannot hold every finding.

/**
 * Writes the report to GITHUB_STEP_SUMMARY; where the issue should say the whole report is.
 * `whole`: where the summary itself says it is, when even 1 MiB cannot hold it.
 */
export function writeDriftJobSummary(report: DriftReport, whole: WholeText): WholeText | undefined {
  const env = readActionsEnv();
  if (!env.stepSummary) return undefined;
  const file = env.stepSummary;
  appendJobSummary(file, fitJobSummary(jobSummaryRoom(file), (maxChars) => renderDriftMarkdown(report, { maxChars, whole })));
  const url = runUrl(env);
  return { where: 'job-summary', ...(url ? { url } : {}) };
}
