import type { Command } from 'commander';
import { buildPlan } from '../../plan/build-plan.js';
import { isEmptyPlan, type Plan } from '../../plan/plan.js';
import { serializePlan } from '../../plan/plan-file.js';
import { renderPlan } from '../../plan/render-plan.js';
import { writeFileAtomic } from '../atomic-write.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  gitCommitOf,
  loadConfigOrReport,
  openStoreFor,
  reportDiagnostics,
  type CommonOptions,
} from '../context.js';
import { action, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit.js';

interface PlanOptions extends CommonOptions {
  readonly out?: string;
  readonly detailedExitcode?: boolean;
  readonly color: boolean;
}

export function registerPlanCommand(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change in the live store (read-only)')
    .option('--out <file>', 'save the plan for `gatehouse apply <file>`')
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when none, 1 on error')
    .option('--no-color', 'no ANSI colours in text output');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  cmd.action(action(async (opts: PlanOptions) => runPlan(opts)));
}

async function runPlan(opts: PlanOptions): Promise<number> {
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now);
  if (!config) return EXIT_ERROR;
  const store = await openStoreFor(opts, config, true);
  let plan: Plan;
  try {
    const live = await store.snapshot();
    const gitCommit = await gitCommitOf(opts.config);
    plan = buildPlan({ desired: config.desired, live, now, ...(gitCommit ? { gitCommit } : {}) });
  } finally {
    await store.close();
  }
  if (reportDiagnostics(plan.diagnostics)) {
    process.stderr.write('The plan has errors; nothing can be applied until they are fixed.\n');
    return EXIT_ERROR;
  }
  const rendered = renderPlan(plan, opts.format, { color: opts.color && process.stdout.isTTY === true });
  process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  if (opts.out) {
    await writeFileAtomic(opts.out, serializePlan(plan));
    process.stderr.write(`Saved the plan to ${opts.out}. Apply it with: gatehouse apply ${opts.out}\n`);
  }
  return opts.detailedExitcode && !isEmptyPlan(plan) ? EXIT_CHANGES : EXIT_OK;
}
