import { appendFileSync, statSync } from 'node:fs';
import type { DriftReport } from '../drift/drift-report.js';
import { renderDriftMarkdown } from '../drift/render-drift-markdown.js';
import { JOB_SUMMARY_LIMIT, type WholeText } from '../output/markdown-budget.js';
import { readActionsEnv, runUrl } from './actions-env.js';

// `drift --github`: the whole report (up to GitHub's 1 MiB) in the job summary, which the drift
// issue points to when its 65,536 characters cannot hold every finding.

/** Writes the report to GITHUB_STEP_SUMMARY; where the issue should say the whole report is. */
export function writeDriftJobSummary(report: DriftReport): WholeText | undefined {
  const env = readActionsEnv();
  if (!env.stepSummary) return undefined;
  let used = 0;
  try {
    used = statSync(env.stepSummary).size;
  } catch {
    // Not there yet: the runner creates it per step, we may be first.
  }
  appendFileSync(env.stepSummary, renderDriftMarkdown(report, { maxChars: JOB_SUMMARY_LIMIT - used - 1, whole: { where: 'command', command: 'gatehouse drift' } }));
  const url = runUrl(env);
  return { where: 'job-summary', ...(url ? { url } : {}) };
}
