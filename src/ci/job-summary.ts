import { appendFileSync, statSync } from 'node:fs';
import { JOB_SUMMARY_LIMIT } from '../output/markdown-budget.js';

// GITHUB_STEP_SUMMARY: Markdown GitHub shows on the run's page, up to 1 MiB per step. Earlier
// output of the same step (another command, the user's own `echo`) counts against it.

/** Characters still free in the step's summary file (one kept for the newline). */
export function jobSummaryRoom(file: string): number {
  let used = 0;
  try {
    used = statSync(file).size;
  } catch {
    // Not there yet: the runner creates it per step, we may be first.
  }
  return Math.max(0, JOB_SUMMARY_LIMIT - used - 1);
}

export function appendJobSummary(file: string, markdown: string): void {
  appendFileSync(file, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

/**
 * The rendering that fits the summary's room in bytes: the budgets of the Markdown renderers are
 * in characters, and the emoji and names of a report take up to 4 bytes each in UTF-8.
 */
export function fitJobSummary(room: number, render: (budget: number) => string): string {
  let budget = room;
  for (let attempt = 0; ; attempt++) {
    const text = render(budget);
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= room) return text;
    if (attempt === 4 || budget <= 0) return '';
    budget = Math.max(0, Math.floor((budget * room) / bytes) - 1_000);
  }
}
