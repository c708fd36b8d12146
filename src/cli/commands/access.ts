import type { Command } from 'commander';
import { effectiveAccessByUser, type AccessGrant } from '../../access/effective-access.js';
import { diffAccessFor } from '../../access/access-diff.js';
import {
  renderAccessDiffJson,
  renderAccessDiffMarkdownChunks,
  renderAccessDiffTextChunks,
  renderAccessJsonChunks,
  renderAccessMarkdownChunks,
  renderAccessTextChunks,
  type AccountNames,
} from '../../access/render-access.js';
import { type AccessSide, deltaBetween, privilegeDiff } from '../../access/privilege-diff.js';
import { renderPrivilegeDiffMarkdown, renderPrivilegeDiffText } from '../../access/render-privilege-diff.js';
import { privilegeData } from '../../datasets/privilege-data.js';
import { createPrivilegeModel } from '../../privilege/privilege-model.js';
import { expandAssignments } from '../../expand/expand-assignments.js';
import type { Membership, Organization } from '../../model/entities.js';
import type { LiveState } from '../../model/live.js';
import {
  addConfigOption,
  addFormatOption,
  addStoreOptions,
  type CommonOptions,
  loadConfigOrReport,
  type LoadedConfig,
  openStoreFor,
  requireExistingStore,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { expiringTally, renderExpiring } from './access-expiring.js';
import { UserError } from '../../diagnostics/errors.js';
import { type KnownNames, knownNames, requireAccount, requirePermissionSet, requireUser } from '../resolve-names.js';
import { writeChunks, writeChunksAtomic } from '../write-chunks.js';
import { relocateSources } from '../relocate-sources.js';
import { writeFileAtomic } from '../atomic-write.js';
import { addGitHubOptions, configReadPath, withDiagnosticOutput, type GitHubOptions } from '../../ci/diagnostic-output.js';
import { readActionsEnv, runUrl } from '../../ci/actions-env.js';
import { appendJobSummary, fitJobSummary, jobSummaryRoom } from '../../ci/job-summary.js';
import { fitTableMarkdown, NO_MARKDOWN_BUDGET, Tally, type TallyEntry, type WholeText } from '../../output/markdown-budget.js';
import { addMaxCharsOption, markdownBudget } from '../markdown-budget-option.js';
import { wholeMarkdownCommand } from '../whole-markdown-command.js';

interface AccessOptions extends CommonOptions, GitHubOptions {
  readonly out?: string;
  readonly maxChars?: string;
  readonly user?: string;
  readonly account?: string;
  readonly permissionSet?: string;
  readonly live?: boolean;
  readonly base?: string;
  readonly expiring?: string;
}

export function registerAccessCommand(program: Command): void {
  const cmd = program
    .command('access')
    .description('effective access: who can reach which account with which permission set, and through what')
    .option('--user <userName>', 'only this user')
    .option('--account <nameOrId>', 'only this account')
    .option('--permission-set <name>', 'only this permission set')
    .option('--live', 'read the live store instead of the config')
    .option('--expiring <span>', 'only access that ends within this span (e.g. 14d, 2w): every path that grants it expires')
    .option('--base <gitRef>', 'show who gains and loses access compared with the config at this git ref (pull request review)');
  cmd
    .option('--out <file>', 'write the whole output to FILE; with --format markdown, what is printed fits --max-chars and points to FILE');
  addMaxCharsOption(cmd);
  addConfigOption(cmd);
  addStoreOptions(cmd);
  addFormatOption(cmd);
  addGitHubOptions(cmd, 'the whole output as Markdown in the job summary');
  cmd.action(action(async (opts: AccessOptions) => withDiagnosticOutput(opts, program.version() ?? '', () => runAccess(opts))));
}

/**
 * What effective access is computed from, in the desired state (or the live store), for the CLI
 * commands. Not the grants themselves: at bench M they are 8.8 million objects (4 GB), and every
 * question asks about a few of them, so each command builds only the grants of its user, account
 * or permission sets (effectiveAccess with a filter, or effectiveAccessByUser one user at a time).
 */
export async function accessOf(
  opts: CommonOptions & { live?: boolean },
  config: LoadedConfig,
  now: Date,
): Promise<{ organization: Organization; side: AccessSide }> {
  if (opts.live) requireExistingStore(opts.store);
  const store = await openStoreFor(opts, config, true);
  try {
    if (opts.live) {
      const live = await store.snapshot();
      return { organization: live.organization, side: liveSide(live) };
    }
    const organization = config.organization ?? (await store.organization());
    const expanded = expandAssignments(config.desired.assignments, organization, now).tuples;
    return { organization, side: { assignments: expanded, memberships: config.desired.memberships, permissionSets: config.desired.permissionSets } };
  } finally {
    await store.close();
  }
}

/** The names a query may use: the config's, and every principal and permission set the side holds. */
export function knownNamesOf(desired: LoadedConfig['desired'], organization: Organization, side: AccessSide, where: string): KnownNames {
  const known = knownNames(desired, organization, [], where);
  const users = new Set(known.users);
  const groups = new Set(known.groups);
  const permissionSets = new Set(known.permissionSets);
  for (const t of side.assignments) {
    (t.principalType === 'USER' ? users : groups).add(t.principalName);
    permissionSets.add(t.permissionSetName);
  }
  for (const m of side.memberships) {
    users.add(m.userName);
    groups.add(m.groupName);
  }
  return { ...known, users, groups, permissionSets };
}

/** The live store's assignments, memberships and permission sets, by name (orphans dropped). */
export function liveSide(live: LiveState): AccessSide {
  const memberships: Membership[] = live.memberships.flatMap((m) =>
    m.groupName !== undefined && m.userName !== undefined ? [{ groupName: m.groupName, userName: m.userName }] : [],
  );
  const assignments = live.assignments.flatMap((a) =>
    a.principalName === undefined ? [] : [{ ...a, principalName: a.principalName }],
  );
  return { assignments, memberships, permissionSets: live.permissionSets };
}

/** The side restricted like the grants: one account, one user, one permission set. */
function filterSide(side: AccessSide, opts: AccessOptions, accountId: string | undefined): AccessSide {
  const assignments = side.assignments.filter(
    (t) => (accountId === undefined || t.accountId === accountId) && (opts.permissionSet === undefined || t.permissionSetName === opts.permissionSet),
  );
  if (opts.user === undefined) return { ...side, assignments };
  return {
    ...side,
    assignments: assignments.filter((t) => t.principalType === 'GROUP' || t.principalName === opts.user),
    memberships: side.memberships.filter((m) => m.userName === opts.user),
  };
}

export const accountIndex = (org: Organization): AccountNames => new Map(org.accounts.map((a) => [a.id, a]));

export function resolveAccountId(org: Organization, nameOrId: string): string | undefined {
  return org.accounts.find((a) => a.id === nameOrId || a.name === nameOrId)?.id;
}

async function runAccess(opts: AccessOptions): Promise<number> {
  const budget = markdownBudget(opts.maxChars);
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) return EXIT_ERROR;
  const access = await accessOf(opts, config, now);
  const { organization, side } = access;
  const known = knownNamesOf(config.desired, organization, side, opts.live ? 'the live store or the config' : 'the config');
  if (opts.user !== undefined) requireUser(known, opts.user);
  if (opts.permissionSet !== undefined) requirePermissionSet(known, opts.permissionSet);
  const accountId = opts.account === undefined ? undefined : requireAccount(known, opts.account);
  const keep = (g: AccessGrant) =>
    (opts.user === undefined || g.userName === opts.user) &&
    (accountId === undefined || g.accountId === accountId) &&
    (opts.permissionSet === undefined || g.permissionSetName === opts.permissionSet);
  const accounts = accountIndex(organization);

  if (opts.expiring !== undefined) {
    if (opts.live) throw new UserError('--expiring reads `expires` from the config; the live store has no expiry');
    const render = (format: CommonOptions['format']) => renderExpiring(opts.expiring!, config, organization, now, format, (g) => keep({ ...g, paths: [] }));
    await emit(opts, budget, {
      whole: render(opts.format),
      markdown: () => render('markdown'),
      tally: () => expiringTally(opts.expiring!, config, organization, now, (g) => keep({ ...g, paths: [] })),
      what: 'list of expiring access',
    });
    return EXIT_OK;
  }

  if (opts.base !== undefined) {
    const { checkoutConfigAtRef } = await import('../../git/config-at-ref.js');
    const base = await checkoutConfigAtRef(opts.config, opts.base);
    try {
      const baseConfig = await loadConfigOrReport(base.dir, now, opts.store);
      if (!baseConfig) return EXIT_ERROR;
      // Cite the base's files where they live in the repository, not in the temporary checkout.
      const baseAccess = await accessOf({ ...opts, config: base.dir, live: false }, baseConfig, now);
      // Only the users the difference touches are walked (access-diff.ts): at bench M, every
      // grant of both sides is 2 × 8.8 million objects.
      const changed = diffAccessFor(baseAccess.side, side, deltaBetween(baseAccess.side, side), keep);
      const diff = { gained: changed.gained, lost: relocateSources(changed.lost, base.dir, configReadPath(opts.config)) };
      // Privilege first: who gains or loses a level, whatever the permission sets are called.
      const privilege = privilegeDiff(
        createPrivilegeModel(privilegeData()),
        filterSide(baseAccess.side, opts, accountId),
        filterSide(side, opts, accountId),
        organization,
      );
      const pieces = (format: CommonOptions['format']): Iterable<string> =>
        format === 'json'
          ? [`${renderAccessDiffJson(diff, privilege)}\n`]
          : format === 'markdown'
            ? chain(renderPrivilegeDiffMarkdown(privilege, accounts), renderAccessDiffMarkdownChunks(diff, accounts))
            : chain(renderPrivilegeDiffText(privilege, accounts), renderAccessDiffTextChunks(diff, accounts));
      await emitDiff(opts, budget, pieces, diff.gained.length + diff.lost.length, (tally) => {
        const label = accountLabels(accounts);
        for (const g of diff.gained) countGrant(tally, '+', g, label);
        for (const g of diff.lost) countGrant(tally, '-', g, label);
      });
      return EXIT_OK;
    } finally {
      await base.cleanup();
    }
  }

  // User by user: the whole organisation's grants are never held at once.
  const byUser = () =>
    effectiveAccessByUser(side, {
      ...(opts.user !== undefined ? { userName: opts.user } : {}),
      ...(accountId !== undefined ? { accountId } : {}),
      ...(opts.permissionSet !== undefined ? { permissionSetName: opts.permissionSet } : {}),
    });
  await emitListing(opts, budget, byUser, accounts);
  return EXIT_OK;
}

/** One output of `access`, whole in the chosen format; its Markdown and what that counts, on demand. */
interface AccessOutput {
  readonly whole: string;
  readonly markdown: () => string;
  readonly tally: () => TallyEntry[];
  /** For the notes: "access diff". */
  readonly what: string;
}

/**
 * Every Markdown output fits a budget (issue #10): over --max-chars it is summarised, cut, and
 * says where the whole text is — the file of --out, else the job summary (--github), else the
 * command that writes it. Text and JSON go out whole, to --out or stdout.
 */
async function emit(opts: AccessOptions, budget: number, output: AccessOutput): Promise<void> {
  let whole: WholeText = { where: 'command', command: wholeCommand(opts) };
  if (opts.out) {
    await writeFileAtomic(opts.out, output.whole);
    process.stderr.write(`Wrote the whole ${output.what} to ${opts.out}.\n`);
    whole = { where: 'file', path: opts.out };
  }
  const summaryFile = opts.github ? readActionsEnv().stepSummary : undefined;
  if (summaryFile) {
    const everything = whole;
    const tally = Tally.of(output.tally());
    const markdown = output.markdown();
    appendJobSummary(summaryFile, fitJobSummary(jobSummaryRoom(summaryFile), (room) => fitTableMarkdown(markdown, tally, output.what, room, everything).text));
    if (!opts.out) whole = jobSummaryLocation();
  }
  if (opts.format !== 'markdown') {
    if (!opts.out) process.stdout.write(output.whole);
    return;
  }
  process.stdout.write(fitTableMarkdown(output.whole, output.tally(), output.what, budget, whole).text);
}

/**
 * The access diff, as emit() but its text and Markdown rendered a row at a time: a pull request
 * that takes a permission set from `everyone` at bench M loses 1.26 million grants, whose whole
 * Markdown (225 million characters) a budgeted comment only needs the beginning and the length of.
 */
async function emitDiff(opts: AccessOptions, budget: number, pieces: (format: CommonOptions['format']) => Iterable<string>, rows: number, count: (tally: Tally) => void): Promise<void> {
  const what = 'access diff';
  let whole: WholeText = { where: 'command', command: wholeCommand(opts) };
  if (opts.out) {
    await writeChunksAtomic(opts.out, pieces(opts.format));
    process.stderr.write(`Wrote the whole ${what} to ${opts.out}.\n`);
    whole = { where: 'file', path: opts.out };
  }
  let tally: Tally | undefined;
  const counted = (): Tally => {
    if (!tally) {
      tally = new Tally();
      count(tally);
    }
    return tally;
  };
  // The Markdown's beginning (whole pieces, at least `keep` characters when there are) and its length.
  const markdownUpTo = (keep: number) => {
    let text = '';
    let length = 0;
    for (const piece of pieces('markdown')) {
      if (text.length < keep) text += piece;
      length += piece.length;
    }
    return { text, length };
  };
  const fit = (markdown: { text: string; length: number }, room: number, where: WholeText): string =>
    markdown.length <= room ? markdown.text : fitTableMarkdown(markdown.text, counted(), what, room, where, { length: markdown.length, rows }).text;
  const summaryFile = opts.github ? readActionsEnv().stepSummary : undefined;
  if (summaryFile) {
    const everything = whole;
    const room = jobSummaryRoom(summaryFile);
    const markdown = markdownUpTo(room + 1);
    appendJobSummary(summaryFile, fitJobSummary(room, (r) => fit(markdown, r, everything)));
    if (!opts.out) whole = jobSummaryLocation();
  }
  if (opts.format !== 'markdown' || budget === NO_MARKDOWN_BUDGET) {
    if (!opts.out) await writeChunks(process.stdout, pieces(opts.format));
    return;
  }
  process.stdout.write(fit(markdownUpTo(budget + 1), budget, whole));
}

function* chain(...parts: (string | Iterable<string>)[]): Generator<string> {
  for (const part of parts) {
    if (typeof part === 'string') yield part;
    else yield* part;
  }
}

/**
 * The access list, as emit() but never held whole: at bench M it is 8.8 million grants. It is
 * rendered piece by piece into the --out file or stdout; a Markdown rendering keeps only its
 * beginning (enough for the largest budget) while the grants are counted for the summary.
 */
async function emitListing(opts: AccessOptions, budget: number, byUser: () => Iterable<AccessGrant[]>, accounts: AccountNames): Promise<void> {
  const chunks = (format: CommonOptions['format'], grants: Iterable<AccessGrant[]>): Iterable<string> =>
    format === 'json'
      ? (function* () {
          yield* renderAccessJsonChunks(grants);
          yield '\n';
        })()
      : format === 'markdown'
        ? renderAccessMarkdownChunks(grants, accounts)
        : renderAccessTextChunks(grants, accounts);
  const what = 'access list';
  const summaryFile = opts.github ? readActionsEnv().stepSummary : undefined;
  const summaryRoom = summaryFile ? jobSummaryRoom(summaryFile) : 0;
  let whole: WholeText = { where: 'command', command: wholeCommand(opts) };

  // Text, JSON, and Markdown without a budget (--max-chars 0) go out whole, piece by piece.
  if (opts.format !== 'markdown' || budget === NO_MARKDOWN_BUDGET) {
    if (opts.out) {
      await writeChunksAtomic(opts.out, chunks(opts.format, byUser()));
      process.stderr.write(`Wrote the whole ${what} to ${opts.out}.\n`);
      whole = { where: 'file', path: opts.out };
    } else {
      await writeChunks(process.stdout, chunks(opts.format, byUser()));
    }
    if (summaryFile) {
      const tally = new Tally();
      const markdown = markdownBeginning(chunks('markdown', counted(byUser(), accounts, tally)), summaryRoom, tally);
      drain(markdown.pieces);
      appendJobSummary(summaryFile, fitJobSummary(summaryRoom, (room) => fitBeginning(markdown, room, whole)));
    }
    return;
  }

  // One pass: the --out file gets every piece, the beginning is kept, the grants are counted.
  const tally = new Tally();
  const markdown = markdownBeginning(chunks('markdown', counted(byUser(), accounts, tally)), Math.max(budget, summaryRoom), tally);
  if (opts.out) {
    await writeChunksAtomic(opts.out, markdown.pieces);
    process.stderr.write(`Wrote the whole ${what} to ${opts.out}.\n`);
    whole = { where: 'file', path: opts.out };
  } else {
    drain(markdown.pieces);
  }
  if (summaryFile) {
    const everything = whole;
    appendJobSummary(summaryFile, fitJobSummary(summaryRoom, (room) => fitBeginning(markdown, room, everything)));
    if (!opts.out) whole = jobSummaryLocation();
  }
  process.stdout.write(fitBeginning(markdown, budget, whole));
}

/** A Markdown table in pieces: the pieces (to be consumed once), and once consumed, its beginning and size. */
interface MarkdownBeginning {
  readonly pieces: Iterable<string>;
  readonly text: () => string;
  readonly length: () => number;
  readonly rows: () => number;
  readonly tally: Tally;
}

function markdownBeginning(pieces: Iterable<string>, keep: number, tally: Tally): MarkdownBeginning {
  let text = '';
  let length = 0;
  let lines = 0;
  const tee = (function* () {
    for (const piece of pieces) {
      length += piece.length;
      for (let i = piece.indexOf('\n'); i >= 0; i = piece.indexOf('\n', i + 1)) lines++;
      if (text.length <= keep) text += piece;
      yield piece;
    }
  })();
  return { pieces: tee, text: () => text, length: () => length, rows: () => Math.max(0, lines - 2), tally };
}

/** The grants as they pass, counted into `tally`. */
function* counted(byUser: Iterable<AccessGrant[]>, accounts: AccountNames, tally: Tally): Generator<AccessGrant[]> {
  const label = accountLabels(accounts);
  for (const grants of byUser) {
    for (const g of grants) countGrant(tally, '+', g, label);
    yield grants;
  }
}

function drain(pieces: Iterable<string>): void {
  const it = pieces[Symbol.iterator]();
  while (!it.next().done);
}

function fitBeginning(markdown: MarkdownBeginning, budget: number, whole: WholeText): string {
  if (markdown.length() <= budget) return markdown.text();
  return fitTableMarkdown(markdown.text(), markdown.tally, 'access list', budget, whole, { length: markdown.length(), rows: markdown.rows() }).text;
}

function jobSummaryLocation(): WholeText {
  const url = runUrl(readActionsEnv());
  return { where: 'job-summary', ...(url ? { url } : {}) };
}

/** The command that writes the whole Markdown, for a note in what had to be cut. */
function wholeCommand(opts: AccessOptions): string {
  const args: string[] = [];
  if (opts.base !== undefined) args.push('--base', opts.base);
  if (opts.expiring !== undefined) args.push('--expiring', opts.expiring);
  if (opts.live) args.push('--live');
  if (opts.user !== undefined) args.push('--user', opts.user);
  if (opts.account !== undefined) args.push('--account', opts.account);
  if (opts.permissionSet !== undefined) args.push('--permission-set', opts.permissionSet);
  // The same input (the store too: --live reads it), with --max-chars 0.
  return wholeMarkdownCommand('access', opts, args);
}

/** What a grant touches, counted into `tally`: its account, permission set, and the first group it comes through. */
function countGrant(tally: Tally, sign: '+' | '-', g: AccessGrant, label: (accountId: string) => string): void {
  const group = g.paths.find((p) => p.kind === 'group');
  tally.count(sign, label(g.accountId), g.permissionSetName, group && group.kind === 'group' ? group.groupName : undefined);
}

/** "name (id)" per account, made once each: a summary counts millions of grants by it. */
function accountLabels(accounts: AccountNames): (accountId: string) => string {
  const labels = new Map<string, string>();
  return (id) => {
    let label = labels.get(id);
    if (label === undefined) {
      const account = accounts.get(id);
      labels.set(id, (label = account ? `${account.name} (${id})` : id));
    }
    return label;
  };
}
