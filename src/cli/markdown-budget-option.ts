import type { Command } from 'commander';
import { UserError } from '../diagnostics/errors.js';
import { DEFAULT_MARKDOWN_BUDGET, MIN_MARKDOWN_BUDGET, NO_MARKDOWN_BUDGET } from '../output/markdown-budget.js';

// `--max-chars N` on every command with Markdown output (plan, show, drift, access): one budget,
// one meaning (src/output/markdown-budget.ts): over it, the detail is replaced by counts by
// account, permission set and group, and a note says where the whole text is. `--max-chars 0`
// prints the whole text: it is what such a note tells a reader to run.

export function addMaxCharsOption(cmd: Command): Command {
  return cmd.option(
    '--max-chars <n>',
    `Markdown: print at most N characters; over that, counts by account, permission set and group replace the detail (default ${DEFAULT_MARKDOWN_BUDGET}, a pull request comment holds 65,536; 0: no limit, the whole text)`,
  );
}

/** The budget `--max-chars` gives (Infinity for 0), or the default; a one-line error for anything else. */
export function markdownBudget(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MARKDOWN_BUDGET;
  const n = Number(text);
  if (/^\s*0+\s*$/.test(text)) return NO_MARKDOWN_BUDGET;
  if (!/^\d+$/.test(text.trim()) || n < MIN_MARKDOWN_BUDGET) {
    throw new UserError(`--max-chars must be a whole number of characters, at least ${MIN_MARKDOWN_BUDGET} (or 0 for no limit), not "${text}"`);
  }
  return n;
}
