import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UserError } from '../../diagnostics/errors.js';
import { isEmptyPlan } from '../../plan/plan.js';
import { parsePlanFile } from '../../plan/plan-file.js';
import { renderPlan, type PlanFormat } from '../../plan/render-plan.js';
import { addFormatOption } from '../context.js';
import { action, EXIT_CHANGES, EXIT_OK } from '../exit.js';
import { addMaxCharsOption, markdownBudget } from '../markdown-budget-option.js';
import { shellWord } from '../whole-markdown-command.js';

// `gatehouse show plan.json`: a saved plan read back as `plan` prints it, for reviewers who get
// the file as a CI artifact. It only reads the file: no config, no store.

interface ShowOptions {
  readonly format: PlanFormat;
  readonly detailedExitcode?: boolean;
  readonly maxChars?: string;
  readonly color: boolean;
}

export function registerShowCommand(program: Command): void {
  const cmd = program
    .command('show')
    .description('print a plan saved by `gatehouse plan --out` (read-only: no config, no store)')
    .argument('<planfile>')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes, 0 when none')
    .option('--no-color', 'no ANSI colours in text output');
  addFormatOption(cmd);
  addMaxCharsOption(cmd);
  cmd.action(
    action(async (file: string, opts: ShowOptions) => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new UserError(`cannot read plan file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const parsed = parsePlanFile(text);
      if (!parsed.plan) throw new UserError(`${file} is not a usable plan file: ${parsed.error ?? 'unknown format'}`);
      const rendered = renderPlan(parsed.plan, opts.format, {
        color: opts.color && process.stdout.isTTY === true && !process.env.NO_COLOR,
        maxChars: markdownBudget(opts.maxChars),
        whole: { where: 'command', command: `gatehouse show ${shellWord(file)} --format markdown --max-chars 0` },
      });
      process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
      return opts.detailedExitcode && !isEmptyPlan(parsed.plan) ? EXIT_CHANGES : EXIT_OK;
    }),
  );
}
