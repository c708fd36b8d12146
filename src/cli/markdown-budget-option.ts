import type { Command } from 'commander';
import { UserError } from '../diagnostics/errors.js';
import { DEFAULT_MARKDOWN_BUDGET, MIN_MARKDOWN_BUDGET } from '../output/markdown-budget.js';

// `--max-chars N` on every command with Markdown output (plan, drift, access): one budget, one
// meaning (src/output/markdown-budget.ts): over it, counts by account, permission set and group
// first, then as much detail as fits, and where the whole text is.

export function addMaxCharsOption(cmd: Command): Command {
  return cmd.option(
    '--max-chars <n>',
    `Markdown: print at most N characters, summarised (counts by account, permission set and group) before it is cut (default ${DEFAULT_MARKDOWN_BUDGET}; a pull request comment holds 65,536)`,
  );
}

/** The budget `--max-chars` gives, or the default; a one-line error for anything else. */
export function markdownBudget(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MARKDOWN_BUDGET;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < MIN_MARKDOWN_BUDGET) {
    throw new UserError(`--max-chars must be a whole number of characters, at least ${MIN_MARKDOWN_BUDGET}, not "${text}"`);
  }
  return n;
}
