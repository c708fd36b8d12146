import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { stringifyJson } from '../../output/escape-json.js';
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { applyPlan, type ApplyResult, type ChangeOutcome } from '../../apply/apply-plan.js';
import { faultPoint } from '../../apply/fault-points.js';
import { leaseGuard, leaseMargin } from '../../apply/lease-guard.js';
import { watchInterrupts } from '../../apply/interrupts.js';
import { resolutionEntries } from '../../apply/resolve-intents.js';
import { checkDeletionSafety, raisedLimits } from '../../apply/safety.js';
import { auditEntryFor } from '../../audit/audit-entry-for.js';
import { resolveActor } from '../../audit/audit-location.js';
import type { AuditRecord } from '../../audit/audit-record.js';
import { diagnosticToJson, formatDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { LeaseLostError, UserError } from '../../diagnostics/errors.js';
import { isJsonOutput } from '../../output/json-mode.js';
import { actionOf, type Change } from '../../diff/change.js';
import { canonicalJson } from '../../diff/canonical-json.js';
import type { DesiredState } from '../../model/desired.js';
import type { LiveState } from '../../model/live.js';
import { buildPlan } from '../../plan/build-plan.js';
import { expiredGrantsOnly } from '../../plan/expired-only.js';
import { describeChange } from '../../plan/describe-change.js';
import { changesDigest } from '../../plan/fingerprints.js';
import { isEmptyPlan, planChanges, type Plan } from '../../plan/plan.js';
import { parsePlanFile, planId as planIdOf } from '../../plan/plan-file.js';
import { renderPlanText } from '../../plan/render-text.js';
import { chooseStateUrl, openState } from '../../state/open-state.js';
import type { AppliedPlan, Lease, SharedState } from '../../state/shared-state.js';
import { unresolvedIntents } from '../../state/verify-state.js';
import type { LiveStore } from '../../stores/live-store.js';
import {
  addConfigOption,
  addStoreOptions,
  gitCommitOf,
  loadConfigOrReport,
  openStoreFor,
  parseDuration,
  type CommonOptions,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { progressReporter } from '../progress.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { addGitHubOptions, withDiagnosticOutput, type GitHubOptions } from '../../ci/diagnostic-output.js';
import { githubReviewGate } from '../../ci/github-apply.js';

interface ApplyOptions extends CommonOptions, GitHubOptions {
  readonly autoApprove?: boolean;
  readonly allowMassDelete?: boolean;
  readonly lockTimeout: string;
  readonly expiredOnly?: boolean;
  readonly lockTtl: string;
  readonly verifyTimeout: string;
  readonly concurrency?: string;
  readonly state?: string;
  readonly color: boolean;
  readonly format: 'text' | 'json';
}

export const APPLY_JSON_FORMAT_VERSION = 1;

export function registerApplyCommand(program: Command): void {
  const cmd = program
    .command('apply')
    .argument('[planfile]', 'a plan saved by `gatehouse plan --out`: applied only if a fresh plan has exactly its changes')
    .description('make the live store match the config, in safe order, with an audit trail')
    .option('--auto-approve', 'apply without asking (required when not on a terminal)')
    .option('--allow-mass-delete', 'allow a plan that deletes more than the safety limits')
    .option('--lock-timeout <duration>', 'how long to wait for another apply to finish', '30s')
    .option('--lock-ttl <duration>', 'lease of the apply lock; a holder silent for longer loses it', '30s')
    .option('--verify-timeout <duration>', 'how long the check after apply re-reads an eventually consistent store', '20s')
    .option('--concurrency <n>', 'at most this many changes at once within a wave')
    .option('--expired-only', 'remove expired grants (assignments whose expires has passed) and change nothing else: for a scheduled job')
    .option('--state <url>', 'shared state (lock, audit, applied plans): sqlite:PATH or dynamodb:TABLE[@REGION]')
    .option('--no-color', 'no ANSI colours in text output')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'));
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addGitHubOptions(cmd, 'apply only what the merged pull request\'s plan comment showed, and record the outcome there');
  cmd.action(action(async (planFile: string | undefined, opts: ApplyOptions) => withDiagnosticOutput(opts, program.version() ?? '', () => runApply(planFile, opts))));
}

/** stdout/stderr that survive a closed pipe (`gatehouse apply | head`): output is lost, writes are not. */
function safeOutput() {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') closed = true;
  };
  process.stdout.on('error', onError);
  return {
    write(text: string) {
      if (closed) return;
      try {
        process.stdout.write(text);
      } catch {
        closed = true;
      }
    },
    dispose: () => process.stdout.off('error', onError),
  };
}

interface Report {
  status: 'applied' | 'no-changes' | 'refused' | 'failed' | 'interrupted' | 'verify-failed' | 'plan-errors' | 'cancelled';
  planId?: string;
  changesDigest?: string;
  message?: string;
  result?: ApplyResult;
  plan?: Plan;
  remaining?: Plan;
  /** The fresh plan's diagnostics (errors among them for plan-errors). */
  diagnostics?: readonly Diagnostic[];
  /** The config did not load: the error document is already on stdout (JSON prints one document). */
  errorDocumentPrinted?: boolean;
}

async function runApply(planFile: string | undefined, opts: ApplyOptions): Promise<number> {
  const out = safeOutput();
  process.stderr.on('error', () => {});
  const json = opts.format === 'json';
  const report: Report = { status: 'failed' };
  const interrupts = watchInterrupts({
    graceMs: parseDuration(process.env.GATEHOUSE_INTERRUPT_GRACE ?? '60s'),
    onForce: (s) => process.stderr.write(`\nForced exit on ${s}: changes in flight may have no outcome record; the next apply resolves them by reading the live state.\n`),
  });
  try {
    const code = await applyWith(planFile, opts, report, out.write, interrupts.reason);
    const signalCode = interrupts.exitCode();
    if (json && !report.errorDocumentPrinted) out.write(renderApplyJson(report));
    if (signalCode !== undefined && code !== EXIT_OK) return signalCode;
    return code;
  } catch (err) {
    if (json) {
      report.status = report.status === 'failed' ? 'failed' : report.status;
      report.message = err instanceof Error ? err.message : String(err);
      out.write(renderApplyJson(report));
    }
    throw err;
  } finally {
    interrupts.dispose();
    out.dispose();
  }
}

async function applyWith(
  planFile: string | undefined,
  opts: ApplyOptions,
  report: Report,
  write: (text: string) => void,
  interrupted: () => string | undefined,
): Promise<number> {
  const now = new Date();
  const json = opts.format === 'json';
  const say = json ? (_: string) => {} : write;
  if (planFile && opts.expiredOnly) throw new UserError('--expired-only makes its own plan of expired grants; it cannot apply a saved plan file');
  const saved = planFile ? await readSavedPlan(planFile) : undefined;
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) {
    report.errorDocumentPrinted = isJsonOutput();
    return EXIT_ERROR;
  }
  const timeoutMs = parseDuration(opts.lockTimeout);
  const ttlMs = parseDuration(opts.lockTtl);
  // The lease's deadline and the checks against it, on one monotonic clock: a step of the wall
  // clock must not stretch a lease.
  const monotonic = () => performance.now();
  const verifyMs = parseDuration(opts.verifyTimeout);
  const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency > 0)) {
    throw new UserError(`--concurrency must be a positive whole number, not "${opts.concurrency}"`);
  }
  const actor = resolveActor();
  const replan = replanCommand(opts, planFile);
  // --github: only what the merged pull request's plan comment showed (checked before any write).
  // --expired-only runs on a schedule, with no pull request of its own: it only deletes grants
  // whose expiry was reviewed when it was merged, so there is no other review to match.
  const gate = opts.github && !opts.expiredOnly ? await githubReviewGate(opts.config) : undefined;

  const state = await openState(chooseStateUrl({ flag: opts.state, configured: config.desired.settings.stateUrl, configDir: opts.config, storeUrl: opts.store }), {
    ...(opts.region ?? config.desired.settings.region ? { region: opts.region ?? config.desired.settings.region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
  });
  let lease: Lease | undefined;
  let store: LiveStore | undefined;
  try {
    // One writer per store: the lease is taken before the live state is read, so the check of a
    // saved plan and the apply see the same state.
    lease = await state.acquireLock({ owner: `gatehouse apply (${actor})`, timeoutMs, ttlMs, now: monotonic });
    store = await openStoreFor(opts, config, false);
    const gitCommit = await gitCommitOf(opts.config);
    const live = await store.snapshot();
    const built = buildPlan({ desired: config.desired, live, now, storeUrl: store.url, privilege: privilegeModel(), ...(gitCommit ? { gitCommit } : {}) });
    const fresh = opts.expiredOnly ? expiredGrantsOnly(built) : built;
    const planId = planIdOf(fresh);
    report.planId = planId;
    report.changesDigest = changesDigest(fresh.waves);
    report.plan = fresh;
    const unreviewed = await gate?.check(fresh, live);
    if (unreviewed) {
      process.stderr.write(`Refusing to apply: ${unreviewed}\nNothing was changed.\n`);
      report.status = 'refused';
      report.message = unreviewed;
      return EXIT_ERROR;
    }

    // Intents left open by an earlier run that died: read what the live objects say now and
    // record it, before anything else is written.
    const open = unresolvedIntents(await state.readAudit());
    if (open.length > 0) {
      await state.appendAudit(resolutionEntries(open, live, { time: new Date(), actor, planId, ...(gitCommit ? { gitCommit } : {}) }));
      process.stderr.write(`Resolved ${open.length} write${open.length === 1 ? '' : 's'} left unrecorded by an interrupted apply (read from the live state; see gatehouse audit log).\n`);
    }

    // On stderr as lines, and in the apply document itself (not as a second, error document).
    report.diagnostics = fresh.diagnostics;
    for (const d of sortDiagnostics(fresh.diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (hasErrors(fresh.diagnostics)) {
      process.stderr.write('The plan has errors; nothing was applied.\n');
      report.status = 'plan-errors';
      return EXIT_ERROR;
    }

    if (saved) {
      const refusal = savedPlanRefusal(saved, fresh, live, store.url, now, await state.readAppliedPlans());
      if (refusal) {
        process.stderr.write(`Refusing to apply ${planFile}: ${refusal}\nNothing was changed. Make a new plan with: ${replan}\n`);
        report.status = 'refused';
        report.message = refusal;
        return EXIT_ERROR;
      }
    }
    const plan = fresh;

    if (isEmptyPlan(plan)) {
      say('No changes. Live state matches the configuration.\n');
      report.status = 'no-changes';
      return EXIT_OK;
    }
    say(renderPlanText(plan, { color: opts.color && process.stdout.isTTY === true }));

    const lastApplied = lastCompleteRun(await state.readAppliedPlans());
    const safety = checkDeletionSafety(plan, live, config.desired.settings.safety, lastApplied?.safety);
    const raised = raisedLimits(config.desired.settings.safety, lastApplied?.safety);
    if (raised && !opts.allowMassDelete) {
      process.stderr.write(`Refusing to apply: ${raised}.\nNothing was changed. A change that loosens the safety limits needs --allow-mass-delete once, so it cannot slip in with the deletions it allows.\n`);
      report.status = 'refused';
      report.message = `${raised}; pass --allow-mass-delete to accept`;
      return EXIT_ERROR;
    }
    if (safety.refusal && !opts.allowMassDelete) {
      process.stderr.write(`Refusing to apply: ${safety.refusal}.\nNothing was changed. Review the plan; if it is intended, run again with --allow-mass-delete.\n`);
      report.status = 'refused';
      report.message = `${safety.refusal}; pass --allow-mass-delete if it is intended`;
      return EXIT_ERROR;
    }
    if (!saved && !opts.autoApprove && !(await confirm())) {
      report.status = 'cancelled';
      return EXIT_ERROR;
    }
    if (interrupted()) {
      process.stderr.write(`Apply ${interrupted()} before any change; nothing was changed.\n`);
      report.status = 'interrupted';
      return EXIT_ERROR;
    }

    const result = await runWaves(store, plan, planId, state, lease, {
      actor,
      ...(gitCommit ? { gitCommit } : {}),
      ...(concurrency ? { concurrency } : {}),
      ttlMs,
      now: monotonic,
      interrupted,
    });
    report.result = result;
    const wrote = result.outcomes.some((o) => o.status !== 'skipped');
    const complete = result.applied === result.outcomes.length;
    if (wrote) await recordRun(state, plan, saved?.planId ?? planId, store.url, live.instanceArn, actor, gitCommit, config.desired.settings.safety, safety.limits, complete);

    if (!complete) {
      report.status = result.stopped && interrupted() ? 'interrupted' : 'failed';
      process.stderr.write(incompleteReport(result, plan));
      if (result.fatal !== undefined) process.stderr.write(`Error: ${result.stopped}\n`);
      return EXIT_ERROR;
    }

    // Verify: a converged store plans to nothing. Reads may lag the writes (eventual
    // consistency), so re-read a few times, with growing pauses, before calling it a mismatch.
    const remaining = await verifyConverged(store, config.desired, verifyMs, interrupted, opts.expiredOnly ? expiredGrantsOnly : undefined);
    if (remaining) {
      report.status = 'verify-failed';
      report.remaining = remaining;
      process.stderr.write(`Applied ${result.applied} changes, but the live state still differs from the configuration after re-reading for ${opts.verifyTimeout}:\n${summariseRemaining(remaining)}`);
      return EXIT_ERROR;
    }
    report.status = 'applied';
    say(summaryLine(result.outcomes));
    return EXIT_OK;
  } finally {
    await gate?.record({ status: report.status, ...(report.message ? { message: report.message } : {}), ...(report.result ? { applied: report.result.applied } : {}) }).catch((err: Error) => process.stderr.write(`GitHub: could not record the outcome: ${err.message}\n`));
    await lease?.release().catch(() => {});
    await store?.close();
    await state.close();
  }
}

function replanCommand(opts: ApplyOptions, planFile: string | undefined): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  const parts = ['gatehouse', 'plan', '--config', quote(opts.config), '--store', quote(opts.store)];
  if (opts.endpointUrl) parts.push('--endpoint-url', quote(opts.endpointUrl));
  if (opts.region) parts.push('--region', quote(opts.region));
  if (opts.profile) parts.push('--profile', quote(opts.profile));
  if (planFile) parts.push('--out', quote(planFile));
  return parts.join(' ');
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

/**
 * Why a saved plan may not be applied, or undefined when a fresh plan has exactly its changes.
 * The file's own digests and plan_id are never trusted (anyone can edit and re-hash it): the
 * changes are compared in canonical form against the plan derived from config + live now.
 */
function savedPlanRefusal(
  saved: SavedPlan,
  fresh: Plan,
  live: LiveState,
  storeUrl: string,
  now: Date,
  applied: readonly AppliedPlan[],
): string | undefined {
  const target = saved.plan.target;
  // A plan made before the embedded store existed has no instance to compare.
  if (target && (target.store !== storeUrl || (target.instanceArn !== '' && target.instanceArn !== live.instanceArn))) {
    return `the plan was made for ${target.store} (instance ${target.instanceArn || 'none'}), not for ${storeUrl} (instance ${live.instanceArn || 'none'})`;
  }
  if (changesDigest(saved.plan.waves) === changesDigest(fresh.waves)) return undefined;
  if (applied.some((a) => a.planId === saved.planId)) return `plan ${saved.planId.slice(0, 12)} was already applied`;
  const expired = planChanges(saved.plan).filter(
    (c): c is Extract<Change, { kind: 'assignment.create' }> => c.kind === 'assignment.create' && c.expires !== undefined && Date.parse(c.expires) <= now.getTime(),
  );
  if (expired.length > 0) {
    const names = expired.slice(0, 5).map((c) => describeChange(c, saved.plan.accountNames).title);
    return `it grants access that has expired since it was made (${names.join('; ')}${expired.length > 5 ? `; and ${expired.length - 5} more` : ''})`;
  }
  // The digests say which side moved; they only explain, the changes decided.
  const moved = [
    saved.plan.desiredDigest !== fresh.desiredDigest ? 'the configuration has changed since the plan was made' : undefined,
    saved.plan.liveFingerprint !== fresh.liveFingerprint ? 'the live state has changed since the plan was made' : undefined,
  ].filter((x): x is string => x !== undefined);
  const why = moved.length ? `${moved.join(', and ')}: ` : '';
  return `${why}its changes differ from a fresh plan of the config and the live state:\n${changeDifference(saved.plan, fresh)}`;
}

/** The changes only in one of two plans, in the plan's words. */
function changeDifference(file: Plan, fresh: Plan): string {
  const keyed = (plan: Plan) => new Map(planChanges(plan).map((c) => [canonicalJson(c), c]));
  const a = keyed(file);
  const b = keyed(fresh);
  const lines: string[] = [];
  const list = (label: string, from: Map<string, Change>, other: Map<string, Change>, names: Plan['accountNames']) => {
    const only = [...from].filter(([k]) => !other.has(k)).map(([, c]) => c);
    if (only.length === 0) return;
    lines.push(`  only in the plan file (${only.length}):`.replace('the plan file', label));
    for (const c of only.slice(0, 10)) lines.push(`    ${symbol(c)} ${describeChange(c, names).title}`);
    if (only.length > 10) lines.push(`    … and ${only.length - 10} more`);
  };
  list('the plan file', a, b, file.accountNames);
  list('the fresh plan', b, a, fresh.accountNames);
  if (lines.length === 0) lines.push('  the same changes, in another order or wave');
  return lines.join('\n');
}

const symbol = (c: Change): string => ({ create: '+', update: '~', delete: '-' })[actionOf(c)];

function lastCompleteRun(runs: readonly AppliedPlan[]): AppliedPlan | undefined {
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i]!.complete !== false) return runs[i];
  return undefined;
}

async function recordRun(
  state: SharedState,
  plan: Plan,
  planId: string,
  storeUrl: string,
  instanceArn: string,
  actor: string,
  gitCommit: string | undefined,
  configured: { maxDeletes: number; maxDeleteFraction: number },
  used: { maxDeletes: number; maxDeleteFraction: number },
  complete: boolean,
): Promise<void> {
  const records = await state.readAudit();
  const last = records[records.length - 1];
  // The limits carried forward: what this config asked for once it was applied in full (so a
  // deliberate, flagged change of the limits sticks), else the ones that were in force.
  const safety = complete ? configured : used;
  await state.recordAppliedPlan({
    planId,
    changesDigest: changesDigest(plan.waves),
    time: new Date().toISOString(),
    actor,
    ...(gitCommit ? { gitCommit } : {}),
    store: storeUrl,
    instanceArn,
    safety,
    auditHead: { count: records.length, lastHash: last?.hash ?? '0'.repeat(64) },
    complete,
  });
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
  state: SharedState,
  lease: Lease,
  meta: { actor: string; gitCommit?: string; concurrency?: number; ttlMs: number; now: () => number; interrupted: () => string | undefined },
) {
  const progress = progressReporter(process.stderr, planChanges(plan).length, plan.accountNames ?? {});
  const context = () => ({ time: new Date(), actor: meta.actor, planId, ...(meta.gitCommit ? { gitCommit: meta.gitCommit } : {}) });
  const appendOne = async (entry: Parameters<SharedState['appendAudit']>[0][number]): Promise<AuditRecord> => {
    const [record] = await state.appendAudit([entry]);
    return record!;
  };
  // Before every request a change sends, not only before the change: a permission set's create,
  // attaches and provisioning are several requests, and a holder paused between two of them
  // must not send the rest once its lease may have passed to another apply (lease-guard.ts).
  const lostMidChange = (change: Change, operation: string) =>
    new LeaseLostError(
      `lost the apply lock on ${state.url} (lease expired or taken over by another apply); stopped ${describeChange(change).title} before sending ${operation}; ` +
        'the next apply reads what its earlier requests did',
    );
  const guardFor = (change: Change) => leaseGuard(lease, { now: meta.now, marginMs: leaseMargin(meta.ttlMs), lost: (operation) => lostMidChange(change, operation) });
  try {
    return await applyPlan({
      store,
      plan,
      ...(meta.concurrency ? { maxConcurrency: meta.concurrency } : {}),
      onEvent: progress.onEvent,
      stopRequested: meta.interrupted,
      beforeRequest: (change, operation) => guardFor(change)(operation),
      beforeWrite: async (change) => {
        const lost = () =>
          new LeaseLostError(`lost the apply lock on ${state.url} (lease expired or taken over by another apply); stopped before writing ${describeChange(change).title}`);
        // The heartbeat may already know (no I/O): then not even the intent is written.
        if (!lease.held()) throw lost();
        faultPoint('before-intent');
        const intent = await appendOne({ ...auditEntryFor(change, context(), { outcome: 'pending', requestIds: [] }), kind: 'intent' });
        faultPoint('after-intent');
        // A holder paused past its lease (SIGSTOP, a stalled VM, a blocked event loop) may have
        // been taken over meanwhile: it finds out here, immediately before the write, and stops.
        // A confirmed lease is renewed for a whole ttl, so the write goes out inside it.
        if (!(await lease.confirm())) {
          await appendOne({
            ...auditEntryFor(change, context(), { outcome: 'failed', requestIds: [], error: 'not written: the apply lock was lost before the write' }),
            kind: 'outcome',
            intentSeq: intent.seq,
          });
          throw lost();
        }
        return intent.seq;
      },
      record: async (outcome, _result, intentSeq) => {
        faultPoint('after-write');
        await appendOne({
          ...auditEntryFor(outcome.change, context(), {
            outcome: outcome.status === 'failed' ? 'failed' : outcome.status === 'unknown' ? 'unknown' : 'applied',
            requestIds: outcome.requestIds,
            ...(outcome.error ? { error: outcome.error } : {}),
          }),
          kind: 'outcome',
          intentSeq: intentSeq as number,
        });
        faultPoint('after-outcome');
      },
    });
  } finally {
    progress.finish();
  }
}

async function verifyConverged(
  store: LiveStore,
  desired: DesiredState,
  budgetMs: number,
  interrupted: () => string | undefined,
  /** What this apply was meant to change (--expired-only: only the expired grants). */
  scope: (plan: Plan) => Plan = (plan) => plan,
): Promise<Plan | undefined> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    const after = scope(buildPlan({ desired, live: await store.snapshot(), now: new Date() }));
    if (isEmptyPlan(after)) return undefined;
    const delay = Math.min(4000, 250 * 2 ** attempt);
    if (interrupted() || Date.now() - started + delay > budgetMs) return after;
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

function summariseRemaining(plan: Plan): string {
  const { add, change, destroy } = plan.summary;
  const lines = [`  ${add} to add, ${change} to change, ${destroy} to destroy:`];
  const changes = planChanges(plan);
  for (const c of changes.slice(0, 20)) lines.push(`    ${symbol(c)} ${describeChange(c, plan.accountNames).title}`);
  if (changes.length > 20) lines.push(`    … and ${changes.length - 20} more`);
  lines.push('  Someone may be writing concurrently, or the store did not take a change as asked; run gatehouse plan to see the details.');
  return `${lines.join('\n')}\n`;
}

function incompleteReport(result: ApplyResult, plan: Plan): string {
  const names = plan.accountNames ?? {};
  const lines: string[] = [];
  const headline = result.stopped
    ? `Apply stopped (${result.stopped.split('\n')[0]}).`
    : `Apply incomplete: ${result.failed} failed${result.unknown ? `, ${result.unknown} with unknown outcome` : ''}, ${result.skipped} skipped.`;
  lines.push('', headline, `  done: ${result.applied} applied; not done: ${result.failed} failed, ${result.unknown} unknown, ${result.skipped} not started or skipped.`);
  const notDone = result.outcomes.filter((o) => o.status !== 'applied');
  // The reason the apply stopped is in the headline: the changes it kept from starting say only that.
  const why = (o: ChangeOutcome) => o.error ?? (result.stopped !== undefined && o.reason === `not started: ${result.stopped}` ? 'not started' : o.reason);
  for (const o of notDone.slice(0, 50)) lines.push(`  ${o.status.toUpperCase().padEnd(7)} ${symbol(o.change)} ${describeChange(o.change, names).title}${why(o) ? `: ${why(o)}` : ''}`);
  if (notDone.length > 50) lines.push(`  … and ${notDone.length - 50} more`);
  if (result.unknown > 0) lines.push('Changes with an unknown outcome are resolved by reading the live state on the next apply.');
  lines.push('Fix the cause and run apply again: it continues from where it stopped.', '');
  return lines.join('\n');
}

function summaryLine(outcomes: readonly ChangeOutcome[]): string {
  const counts = { create: 0, update: 0, delete: 0 };
  for (const o of outcomes) if (o.status === 'applied') counts[actionOf(o.change)]++;
  return `\nApply complete! Changes: ${counts.create} added, ${counts.update} changed, ${counts.delete} destroyed.\n`;
}

function renderApplyJson(report: Report): string {
  const names = report.plan?.accountNames ?? {};
  const outcomes = report.result?.outcomes ?? [];
  const body = {
    format_version: APPLY_JSON_FORMAT_VERSION,
    status: report.status,
    plan_id: report.planId ?? null,
    changes_digest: report.changesDigest ?? null,
    message: report.message ?? report.result?.stopped ?? null,
    counts: {
      applied: report.result?.applied ?? 0,
      failed: report.result?.failed ?? 0,
      unknown: report.result?.unknown ?? 0,
      skipped: report.result?.skipped ?? 0,
    },
    changes: outcomes.map((o) => ({
      wave: o.wave,
      kind: o.change.kind,
      action: actionOf(o.change),
      title: describeChange(o.change, names).title,
      target: o.target,
      status: o.status,
      reason: o.reason ?? null,
      error: o.error ?? null,
      request_ids: o.requestIds,
    })),
    remaining: report.remaining
      ? planChanges(report.remaining).map((c) => ({ kind: c.kind, title: describeChange(c, report.remaining!.accountNames).title }))
      : null,
    diagnostics: sortDiagnostics(report.diagnostics ?? []).map(diagnosticToJson),
  };
  return `${stringifyJson(body)}\n`;
}
