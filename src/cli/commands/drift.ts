import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '../../diagnostics/diagnostic.js';
import { UserError } from '../../diagnostics/errors.js';
import { detectDrift } from '../../drift/detect-drift.js';
import { isDrifted, type DriftReport } from '../../drift/drift-report.js';
import { renderDriftJson } from '../../drift/render-drift-json.js';
import { renderDriftMarkdown } from '../../drift/render-drift-markdown.js';
import { renderDriftText } from '../../drift/render-drift-text.js';
import { buildPlan } from '../../plan/build-plan.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  loadConfigOrReport,
  openStoreFor,
  type CommonOptions,
} from '../context.js';
import { action, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../exit.js';

const RENDER: Readonly<Record<CommonOptions['format'], (report: DriftReport) => string>> = {
  text: renderDriftText,
  markdown: renderDriftMarkdown,
  json: renderDriftJson,
};

export function registerDriftCommand(program: Command): void {
  const cmd = program
    .command('drift')
    .description('report how the live state differs from the config, ranked by risk; exit 2 when it does');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  cmd.action(action(async (opts: CommonOptions) => runDrift(opts)));
}

async function runDrift(opts: CommonOptions): Promise<number> {
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now);
  if (!config) return EXIT_ERROR;
  requireExistingStore(opts.store);
  const store = await openStoreFor(opts, config, true);
  try {
    const live = await store.snapshot();
    const plan = buildPlan({ desired: config.desired, live, now });
    // Plan problems (an external principal not found) do not stop the report; say them first.
    for (const d of plan.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    const report = detectDrift({ desired: config.desired, live, plan, now });
    process.stdout.write(RENDER[opts.format](report));
    return isDrifted(report) ? EXIT_CHANGES : EXIT_OK;
  } finally {
    await store.close();
  }
}

/** Opening a missing SQLite file creates an empty store, and then everything looks deleted. */
function requireExistingStore(url: string): void {
  if (!url.startsWith('sqlite:')) return;
  const file = path.resolve(url.slice('sqlite:'.length));
  if (!fs.existsSync(file)) throw new UserError(`no store at ${file}: run gatehouse apply first, or pass --store`);
}
