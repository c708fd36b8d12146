import type { Command } from 'commander';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { UserError } from '../../diagnostics/errors.js';
import { detectDrift } from '../../drift/detect-drift.js';
import { isDrifted, type DriftReport } from '../../drift/drift-report.js';
import { renderDriftJson } from '../../drift/render-drift-json.js';
import { renderDriftMarkdown } from '../../drift/render-drift-markdown.js';
import { renderDriftText } from '../../drift/render-drift-text.js';
import { githubIssueTracker } from '../../github/drift-issue-tracker.js';
import { writeDriftJobSummary } from '../../ci/github-drift.js';
import { syncDriftIssue } from '../../drift/sync-drift-issue.js';
import { buildPlan } from '../../plan/build-plan.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  type CommonOptions,
  loadConfigOrReport,
  openStoreFor,
  requireExistingStore,
} from '../context.js';
import { action, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { addGitHubOptions, configReadPath, publishDiagnostics, withDiagnosticOutput, type GitHubOptions } from '../../ci/diagnostic-output.js';
import type { WholeText } from '../../output/markdown-budget.js';
import { wholeMarkdownCommand } from '../whole-markdown-command.js';
import { addMaxCharsOption, markdownBudget } from '../markdown-budget-option.js';

const RENDER: Readonly<Record<CommonOptions['format'], (report: DriftReport, maxChars: number, whole: WholeText) => string>> = {
  text: renderDriftText,
  markdown: (report, maxChars, whole) => renderDriftMarkdown(report, { maxChars, whole }),
  json: renderDriftJson,
};

export function registerDriftCommand(program: Command): void {
  const cmd = program
    .command('drift')
    .description('report how the live state differs from the config, ranked by risk; exit 2 when it does');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  cmd
    .option('--github-issue [owner/repo]', 'keep one GitHub issue up to date with the report (default: $GITHUB_REPOSITORY; token from $GITHUB_TOKEN)')
    .option('--github-api-url <url>', 'GitHub API base URL (default: $GITHUB_API_URL, then https://api.github.com)');
  addGitHubOptions(cmd, 'one labelled drift issue (as --github-issue)');
  addMaxCharsOption(cmd);
  // The issue is the repository's: its paths are the repository's too, with --github or without.
  cmd.action(action(async (opts: DriftOptions) => withDiagnosticOutput({ ...opts, repositoryPaths: opts.githubIssue !== undefined }, program.version() ?? '', () => runDrift(opts))));
}

interface DriftOptions extends CommonOptions, GitHubOptions {
  readonly maxChars?: string;
  /** true when given without a value. */
  readonly githubIssue?: string | true;
  readonly githubApiUrl?: string;
}

async function runDrift(opts: DriftOptions): Promise<number> {
  const maxChars = markdownBudget(opts.maxChars);
  // Checked before any work, so a misconfigured schedule fails fast and says why.
  const tracker = opts.githubIssue === undefined && !opts.github ? undefined : issueTrackerFor(opts);
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) return EXIT_ERROR;
  requireExistingStore(opts.store);
  const store = await openStoreFor(opts, config, true);
  try {
    const live = await store.snapshot();
    const plan = buildPlan({ desired: config.desired, live, now, privilege: privilegeModel() });
    // Plan problems (an external principal not found) do not stop the report; say them first.
    for (const d of plan.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    publishDiagnostics(plan.diagnostics);
    const report = detectDrift({ desired: config.desired, live, plan, now, privilege: privilegeModel() });
    // Where the whole report is when the Markdown is summarised: the job summary (--github),
    // else the same command with --max-chars 0.
    const rerun: WholeText = { where: 'command', command: wholeMarkdownCommand('drift', { ...opts, config: configReadPath(opts.config) }) };
    const whole = (opts.github ? writeDriftJobSummary(report, rerun) : undefined) ?? rerun;
    process.stdout.write(RENDER[opts.format](report, maxChars, whole));
    if (tracker) {
      const synced = await syncDriftIssue(tracker, report, { now, whole });
      process.stderr.write(synced.action === 'none' ? 'No drift issue to update.\n' : `Drift issue #${synced.number} ${synced.action}.\n`);
    }
    return isDrifted(report) ? EXIT_CHANGES : EXIT_OK;
  } finally {
    await store.close();
  }
}

function issueTrackerFor(opts: DriftOptions) {
  const repository = opts.githubIssue === true || opts.githubIssue === undefined ? process.env.GITHUB_REPOSITORY : opts.githubIssue;
  if (!repository) throw new UserError(`${opts.github ? 'drift --github needs GITHUB_REPOSITORY (OWNER/REPO)' : '--github-issue: name the repository (OWNER/REPO) or set GITHUB_REPOSITORY'}`);
  const token = process.env.GITHUB_TOKEN || process.env.GH_TOKEN;
  if (!token) throw new UserError(`${opts.github ? 'drift --github' : '--github-issue'} needs a token in GITHUB_TOKEN (or GH_TOKEN) with the permission "issues: write"`);
  const baseUrl = opts.githubApiUrl ?? process.env.GITHUB_API_URL;
  return githubIssueTracker({ repository, token, ...(baseUrl ? { baseUrl } : {}) });
}

