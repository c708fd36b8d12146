import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { checkDeletionSafety, raisedLimits } from '../../apply/safety.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { buildPlan } from '../../plan/build-plan.js';
import { isEmptyPlan, type Plan } from '../../plan/plan.js';
import { serializePlan } from '../../plan/plan-file.js';
import { renderPlan } from '../../plan/render-plan.js';
import { chooseStateUrl, openState } from '../../state/open-state.js';
import type { AppliedPlan } from '../../state/shared-state.js';
import type { Settings } from '../../model/desired.js';
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
import { action, describeError, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { escapeTerminal } from '../../output/escape-terminal.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { addGitHubOptions, configReadPath, reportedDiagnostics, withDiagnosticOutput, type GitHubOptions } from '../../ci/diagnostic-output.js';
import type { WholeText } from '../../output/markdown-budget.js';
import { shellWord, wholeMarkdownCommand } from '../whole-markdown-command.js';
import { githubPlanPublisher, type GitHubPlanPublisher } from '../../ci/github-plan.js';
import { addMaxCharsOption, markdownBudget } from '../markdown-budget-option.js';

interface PlanOptions extends CommonOptions, GitHubOptions {
  readonly maxChars?: string;
  readonly out?: string;
  readonly detailedExitcode?: boolean;
  readonly state?: string;
  readonly color: boolean;
}

export function registerPlanCommand(program: Command): void {
  const cmd = program
    .command('plan')
    .description('show what apply would change in the live store (read-only)')
    .option('--out <file>', 'save the plan for `gatehouse apply <file>`')
    .option('--detailed-exitcode', 'exit 2 when there are changes, 0 when none, 1 on error')
    .option('--state <url>', 'shared state to read the last applied safety limits from (default: as apply)')
    .option('--no-color', 'no ANSI colours in text output');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  addGitHubOptions(cmd, 'one sticky plan comment on the pull request');
  addMaxCharsOption(cmd);
  cmd.action(action(async (opts: PlanOptions) => withDiagnosticOutput(opts, program.version() ?? '', () => runPlan(opts))));
}

async function runPlan(opts: PlanOptions): Promise<number> {
  const maxChars = markdownBudget(opts.maxChars);
  const github = opts.github ? githubPlanPublisher(opts.config, { ...opts, config: configReadPath(opts.config) }) : undefined;
  try {
    return await planAndPublish(opts, github, maxChars);
  } catch (err) {
    // The pull request must not keep showing a plan of an older commit as if it were this one's.
    await github?.publishNoPlan({ kind: 'failed', message: (err as Error).message ?? String(err) }).catch((e: Error) => process.stderr.write(`GitHub: could not update the plan comment: ${e.message}\n`));
    throw err;
  }
}

async function planAndPublish(opts: PlanOptions, github: GitHubPlanPublisher | undefined, maxChars: number): Promise<number> {
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) {
    await github?.publishNoPlan({ kind: 'config', diagnostics: reportedDiagnostics() });
    return EXIT_ERROR;
  }
  const store = await openStoreFor(opts, config, true);
  let plan: Plan;
  let inJobSummary: WholeText | undefined;
  try {
    if ((store as { missing?: boolean }).missing) {
      process.stderr.write(`Note: the store ${store.url} does not exist yet; planned against an empty store (apply creates it).\n`);
    }
    const live = await store.snapshot();
    const gitCommit = await gitCommitOf(opts.config);
    plan = buildPlan({ desired: config.desired, live, now, storeUrl: store.url, privilege: privilegeModel(), privilegeDiff: opts.format === 'markdown' || opts.github === true || opts.out !== undefined, ...(gitCommit ? { gitCommit } : {}) });
    // What apply would refuse, said in the plan itself (every format), so the pull request
    // shows it before merge and not only the apply job after.
    const lastApplied = await lastAppliedRun(opts, config.desired.settings);
    const blocked = applyBlockers(plan, checkDeletionSafety(plan, live, config.desired.settings.safety, lastApplied?.safety).refusal, raisedLimits(config.desired.settings.safety, lastApplied?.safety));
    if (blocked.length > 0) plan = { ...plan, diagnostics: [...plan.diagnostics, ...blocked] };
    inJobSummary = await github?.publish(plan, live);
  } finally {
    await store.close();
  }
  const rendered = renderPlan(plan, opts.format, { color: opts.color && process.stdout.isTTY === true, maxChars, whole: inJobSummary ?? wholePlanAt(opts, plan) });
  process.stdout.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  // After the plan: with --format json, a plan with errors is still one document (the plan, its
  // diagnostics included), not an error document followed by the plan.
  const failed = reportDiagnostics(plan.diagnostics);
  if (failed) {
    process.stderr.write('The plan has errors; nothing can be applied until they are fixed.\n');
    return EXIT_ERROR;
  }
  if (opts.out) {
    await writeFileAtomic(opts.out, serializePlan(plan));
    process.stderr.write(`Saved the plan to ${opts.out}. Apply it with: gatehouse apply ${opts.out}\n`);
  }
  return opts.detailedExitcode && !isEmptyPlan(plan) ? EXIT_CHANGES : EXIT_OK;
}

/** Where the whole plan is, for a Markdown rendering that had to summarise it: the saved plan, else the command that prints it whole. */
function wholePlanAt(opts: PlanOptions, plan: Plan): WholeText {
  // A plan with errors is not saved (see below).
  if (opts.out && !hasErrors(plan.diagnostics)) return { where: 'file', path: opts.out, read: `gatehouse show ${shellWord(opts.out)} --format markdown --max-chars 0` };
  return { where: 'command', command: wholeMarkdownCommand('plan', { ...opts, config: configReadPath(opts.config) }) };
}

function applyBlockers(plan: Plan, massDelete: string | undefined, raised: string | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const errors = plan.diagnostics.filter((d) => d.severity === 'error').length;
  if (hasErrors(plan.diagnostics)) {
    out.push({
      severity: 'error',
      rule: 'apply-blocked',
      message: `apply will refuse this plan: ${errors} error${errors === 1 ? '' : 's'} (guardrails or unresolved references) must be fixed in the config first`,
    });
  }
  if (massDelete) {
    out.push({
      severity: 'warning',
      rule: 'apply-blocked',
      message: `apply will refuse this plan: ${massDelete}; if it is intended, apply with --allow-mass-delete`,
    });
  }
  if (raised) {
    out.push({ severity: 'warning', rule: 'apply-blocked', message: `apply will refuse this plan: ${raised}; to accept, apply with --allow-mass-delete` });
  }
  return out;
}

/** The last complete apply run in the shared state, when there is one to read. */
async function lastAppliedRun(opts: PlanOptions, settings: Settings): Promise<AppliedPlan | undefined> {
  let runs: AppliedPlan[];
  const url = chooseStateUrl({ flag: opts.state, configured: settings.stateUrl, configDir: opts.config, storeUrl: opts.store });
  try {
    const region = opts.region ?? settings.region;
    const state = await openState(url, { readOnly: true, ...(region ? { region } : {}), ...(opts.profile ? { profile: opts.profile } : {}) });
    try {
      runs = await state.readAppliedPlans();
    } finally {
      await state.close();
    }
  } catch (err) {
    // No state yet (nothing applied): the config's limits are all there is. A state that exists
    // but cannot be read is said, since apply will hold this plan to the last applied run's
    // limits and may refuse what this plan shows as fine.
    const missingFile = url.startsWith('sqlite:') && !existsSync(url.slice('sqlite:'.length));
    if (!missingFile) {
      process.stderr.write(
        `Note: could not read the shared state ${escapeTerminal(url)} (${escapeTerminal(describeError(err))}); the safety limits checked here are the config's alone, and apply also checks the last applied run's.\n`,
      );
    }
    return undefined;
  }
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.complete !== false) return runs[i];
  return undefined;
}
