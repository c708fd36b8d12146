import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { applyPlan, type ChangeOutcome } from '../../apply/apply-plan.js';
import { acquireStoreLock } from '../../apply/lock.js';
import { checkDeletionSafety } from '../../apply/safety.js';
import { auditEntryFor } from '../../audit/audit-entry-for.js';
import { auditDbPath, resolveActor } from '../../audit/audit-location.js';
import { openAuditLog, type AuditLog } from '../../audit/audit-log.js';
import { UserError } from '../../diagnostics/errors.js';
import { actionOf } from '../../diff/change.js';
import { buildPlan } from '../../plan/build-plan.js';
import { isEmptyPlan, planChanges, type Plan } from '../../plan/plan.js';
import { parsePlanFile, planId as planIdOf } from '../../plan/plan-file.js';
import { renderPlanText } from '../../plan/render-text.js';
import type { LiveStore } from '../../stores/live-store.js';
import {
  addConfigOption,
  addStoreOptions,
  gitCommitOf,
  loadConfigOrReport,
  openStoreFor,
  parseDuration,
  reportDiagnostics,
  type CommonOptions,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { progressReporter } from '../progress.js';

interface ApplyOptions extends CommonOptions {
  readonly autoApprove?: boolean;
  readonly allowMassDelete?: boolean;
  readonly lockTimeout: string;
  readonly concurrency?: string;
  readonly color: boolean;
}

export function registerApplyCommand(program: Command): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `gatehouse plan --out`; refused if stale')
    .description('make the live store match the config, in safe order, with an audit trail')
    .option('--auto-approve', 'apply without asking (required when not on a terminal)')
    .option('--allow-mass-delete', 'allow a plan that deletes more than the safety limits')
    .option('--lock-timeout <duration>', 'how long to wait for another apply to finish', '30s')
    .option('--concurrency <n>', 'at most this many changes at once within a wave')
    .option('--no-color', 'no ANSI colours in text output');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  cmd.action(action(async (planFile: string | undefined, opts: ApplyOptions) => runApply(planFile, { ...opts, format: 'text' })));
}

async function runApply(planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  const now = new Date();
  const saved = planFile ? await readSavedPlan(planFile) : undefined;
  const config = await loadConfigOrReport(opts.config, now);
  if (!config) return EXIT_ERROR;
  const timeoutMs = parseDuration(opts.lockTimeout);
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new UserError(`--concurrency must be a positive whole number, not "${opts.concurrency}"`);
  }

  const statePath = auditDbPath(opts.store);
  // For --store aws the state file lives in .gatehouse/, which a fresh checkout does not have.
  await mkdir(path.dirname(statePath), { recursive: true });
  const store = await openStoreFor(opts, config, false);
  // One writer per store: the lock is taken before the live state is read, so the stale-plan
  // check and the apply see the same state.
  let lock: Awaited<ReturnType<typeof acquireStoreLock>> | undefined;
  let audit: AuditLog | undefined;
  try {
    lock = await acquireStoreLock(statePath, { owner: `gatehouse apply (${resolveActor()})`, timeoutMs });
    audit = openAuditLog(statePath);
    const live = await store.snapshot();
    const gitCommit = await gitCommitOf(opts.config);
    const fresh = buildPlan({ desired: config.desired, live, now, ...(gitCommit ? { gitCommit } : {}) });
    if (reportDiagnostics(fresh.diagnostics)) {
      process.stderr.write('The plan has errors; nothing was applied.\n');
      return EXIT_ERROR;
    }

    let plan = fresh;
    let planId = planIdOf(fresh);
    if (saved) {
      const refusal = staleness(saved.plan, saved.planId, fresh, audit);
      if (refusal) {
        process.stderr.write(`Refusing to apply ${planFile}: ${refusal}\nNothing was changed. Run \`gatehouse plan --out ${planFile}\` again.\n`);
        return EXIT_ERROR;
      }
      plan = saved.plan;
      planId = saved.planId;
    }

    if (isEmptyPlan(plan)) {
      process.stdout.write('No changes. Live state matches the configuration.\n');
      return EXIT_OK;
    }
    process.stdout.write(renderPlanText(plan, { color: opts.color && process.stdout.isTTY === true }));

    const safety = checkDeletionSafety(plan, live, config.desired.settings.safety);
    if (safety.refusal && !opts.allowMassDelete) {
      process.stderr.write(`Refusing to apply: ${safety.refusal}.\nNothing was changed. Review the plan; if it is intended, run again with --allow-mass-delete.\n`);
      return EXIT_ERROR;
    }
    if (!saved && !opts.autoApprove && !(await confirm())) {
      return EXIT_ERROR;
    }

    const result = await runWaves(store, plan, planId, audit, {
      actor: resolveActor(),
      ...(gitCommit ? { gitCommit } : {}),
      ...(concurrency ? { concurrency } : {}),
    });
    process.stdout.write(summaryLine(result.outcomes));
    if (result.failed > 0) {
      process.stderr.write(`${result.failed} change${result.failed === 1 ? '' : 's'} failed, ${result.skipped} skipped. Fix the cause and run apply again: it continues from where it stopped.\n`);
      return EXIT_ERROR;
    }

    // Verify: a converged store plans to nothing. Anything left means the store did not take a
    // change the way we asked (or someone wrote concurrently), which the user must know.
    const after = buildPlan({ desired: config.desired, live: await store.snapshot(), now });
    if (!isEmptyPlan(after)) {
      process.stderr.write(`Apply finished but the live state still differs: ${after.summary.add} to add, ${after.summary.change} to change, ${after.summary.destroy} to destroy.\n`);
      return EXIT_ERROR;
    }
    return EXIT_OK;
  } finally {
    audit?.close();
    await lock?.release();
    await store.close();
  }
}

interface SavedPlan {
  readonly plan: Plan;
  readonly planId: string;
}

async function readSavedPlan(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read plan file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const parsed = parsePlanFile(text);
  if (!parsed.plan || !parsed.planId) throw new UserError(`${file} is not a usable plan file: ${parsed.error ?? 'unknown format'}`);
  return { plan: parsed.plan, planId: parsed.planId };
}

/** Why a saved plan may no longer be applied, or undefined when it still describes the world. */
function staleness(saved: Plan, planId: string, fresh: Plan, audit: AuditLog): string | undefined {
  if (audit.read({ planId }).length > 0) return `plan ${planId.slice(0, 12)} was already applied`;
  if (saved.desiredDigest !== fresh.desiredDigest) return 'the configuration has changed since the plan was made';
  if (saved.liveFingerprint !== fresh.liveFingerprint) return 'the live state has changed since the plan was made';
  return undefined;
}

async function confirm(): Promise<boolean> {
  if (!process.stdin.isTTY) {
    process.stderr.write('Refusing to apply without confirmation: not running on a terminal. Review the plan above and pass --auto-approve, or apply a saved plan file.\n');
    return false;
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question("\nDo you want to perform these actions? Only 'yes' will be accepted: ");
    if (answer.trim() === 'yes') return true;
    process.stderr.write('Apply cancelled; nothing was changed.\n');
    return false;
  } finally {
    rl.close();
  }
}

async function runWaves(
  store: LiveStore,
  plan: Plan,
  planId: string,
  audit: AuditLog,
  meta: { actor: string; gitCommit?: string; concurrency?: number },
) {
  const progress = progressReporter(process.stderr, planChanges(plan).length);
  try {
    return await applyPlan({
      store,
      plan,
      ...(meta.concurrency ? { maxConcurrency: meta.concurrency } : {}),
      onEvent: progress.onEvent,
      record: (outcome) => {
        audit.append([
          auditEntryFor(
            outcome.change,
            { time: new Date(), actor: meta.actor, planId, ...(meta.gitCommit ? { gitCommit: meta.gitCommit } : {}) },
            {
              outcome: outcome.status === 'failed' ? 'failed' : 'applied',
              requestIds: outcome.requestIds,
              ...(outcome.error ? { error: outcome.error } : {}),
            },
          ),
        ]);
      },
    });
  } finally {
    progress.finish();
  }
}

function summaryLine(outcomes: readonly ChangeOutcome[]): string {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const o of outcomes) if (o.status === 'applied') counts[actionOf(o.change)]++;
  return `\nApply complete! Changes: ${counts.create} added, ${counts.update} changed, ${counts.delete} destroyed.\n`;
}
