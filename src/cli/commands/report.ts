import { Option, type Command } from 'commander';
import { effectiveAccessByUser } from '../../access/effective-access.js';
import { expandAssignments } from '../../expand/expand-assignments.js';
import type { AssignmentRule, SourceRange } from '../../model/desired.js';
import type { AssignmentTuple, Membership, Organization, PermissionSetSpec, UserSpec } from '../../model/entities.js';
import { type ClassifyPermissionSet, reviewHeader, type ReviewRow, reviewRows } from '../../report/access-review.js';
import { privilegeModel } from '../../datasets/privilege-data.js';
import { classifyByPrivilege } from '../../report/classify-by-privilege.js';
import { renderAccessReviewCsvChunks } from '../../report/render-access-review-csv.js';
import { renderAccessReviewHtml } from '../../report/render-access-review-html.js';
import { renderAccessReviewMarkdownChunks, summariseReview } from '../../report/render-access-review-markdown.js';
import { writeFileAtomic } from '../atomic-write.js';
import { writeChunks, writeChunksAtomic } from '../write-chunks.js';
import { knownNamesOf } from './access.js';
import {
  addConfigOption,
  addStoreOptions,
  type CommonOptions,
  gitCommitOf,
  loadConfigOrReport,
  type LoadedConfig,
  openStoreFor,
  requireExistingStore,
} from '../context.js';
import { action, EXIT_ERROR, EXIT_OK } from '../exit.js';
import { type KnownNames, requireAccount, requirePermissionSet, requireUser } from '../resolve-names.js';

type ReportFormat = 'csv' | 'md' | 'html';

interface ReportOptions extends Omit<CommonOptions, 'format'> {
  readonly format: ReportFormat | 'markdown';
  readonly out?: string;
  readonly live?: boolean;
  readonly user?: string;
  readonly account?: string;
  readonly permissionSet?: string;
}

export function registerReportCommand(program: Command): void {
  const report = program.command('report').description('dated reports for audits');
  const cmd = report
    .command('access')
    .description('user-access review: each user, account and permission set with its privilege and every path that grants it')
    .addOption(new Option('--format <format>', 'csv for a spreadsheet, md for a ticket, html for a browsable matrix').choices(['csv', 'md', 'markdown', 'html']).default('csv'))
    .option('--out <file>', 'write the report to this file instead of standard output')
    .option('--live', 'review what is live in the store instead of the config')
    .option('--account <nameOrId>', 'only this account (a review per account owner)')
    .option('--user <userName>', 'only this user')
    .option('--permission-set <name>', 'only this permission set');
  addConfigOption(cmd);
  addStoreOptions(cmd);
  cmd.action(action(async (opts: ReportOptions) => runReport(opts)));
}

async function runReport(opts: ReportOptions): Promise<number> {
  const now = new Date();
  const config = await loadConfigOrReport(opts.config, now, opts.store);
  if (!config) return EXIT_ERROR;
  const all = await reviewInputOf(opts, config, now);
  const input = scoped(all, opts, () => knownNamesOf(config.desired, all.organization, all, opts.live ? 'the live store or the config' : 'the config'));
  const format: ReportFormat = opts.format === 'markdown' ? 'md' : opts.format;
  if (format === 'html') {
    // The page expands group grants itself: effective grants at scale do not fit in a file.
    const text = renderAccessReviewHtml({
      ...input,
      generatedAt: now.toISOString(),
      groups: input.groupNames,
    });
    if (opts.out) await writeFileAtomic(opts.out, text);
    else process.stdout.write(text);
  } else {
    // User by user: at bench M the review has 8.8 million rows, written as they are made.
    const header = reviewHeader({ ...input, now });
    const rowsOf = reviewRows(input);
    const batches = (): Iterable<ReviewRow[]> => {
      const byUser = effectiveAccessByUser({ assignments: input.assignments, memberships: input.memberships });
      return (function* () {
        for (const grants of byUser) yield rowsOf(grants);
      })();
    };
    const chunks =
      format === 'csv' ? renderAccessReviewCsvChunks(header, batches()) : renderAccessReviewMarkdownChunks(header, summariseReview(batches()), batches());
    if (opts.out) await writeChunksAtomic(opts.out, chunks);
    else await writeChunks(process.stdout, chunks);
  }
  if (opts.out) process.stderr.write(`Wrote the access review to ${opts.out}\n`);
  return EXIT_OK;
}

/**
 * The review of one account, user or permission set: at bench M the whole review has 8.8 million
 * rows, and an account owner reviews their account. The accounts the header lists are the ones
 * in scope.
 */
function scoped(input: ReviewInput, opts: ReportOptions, knownNames: () => KnownNames): ReviewInput {
  if (opts.account === undefined && opts.user === undefined && opts.permissionSet === undefined) return input;
  const known = knownNames();
  const userName = opts.user === undefined ? undefined : requireUser(known, opts.user);
  const accountId = opts.account === undefined ? undefined : requireAccount(known, opts.account);
  const permissionSetName = opts.permissionSet === undefined ? undefined : requirePermissionSet(known, opts.permissionSet);
  return {
    ...input,
    assignments: input.assignments.filter(
      (t) =>
        (accountId === undefined || t.accountId === accountId) &&
        (permissionSetName === undefined || t.permissionSetName === permissionSetName) &&
        (userName === undefined || t.principalType === 'GROUP' || t.principalName === userName),
    ),
    memberships: userName === undefined ? input.memberships : input.memberships.filter((m) => m.userName === userName),
    users: userName === undefined ? input.users : input.users.filter((u) => u.userName === userName),
    organization: accountId === undefined ? input.organization : { ...input.organization, accounts: input.organization.accounts.filter((a) => a.id === accountId) },
  };
}

interface ReviewInput {
  readonly source: 'config' | 'live';
  readonly gitCommit?: string;
  readonly assignments: readonly ExpandedAssignmentLike[];
  readonly memberships: readonly Membership[];
  readonly users: readonly UserSpec[];
  readonly groupNames: readonly string[];
  readonly organization: Organization;
  readonly permissionSets: readonly PermissionSetSpec[];
  readonly rules: readonly AssignmentRule[];
  readonly classify: ClassifyPermissionSet;
}

type ExpandedAssignmentLike = AssignmentTuple & { readonly source?: SourceRange; readonly expires?: string; readonly reason?: string };

async function reviewInputOf(opts: ReportOptions, config: LoadedConfig, now: Date): Promise<ReviewInput> {
  if (opts.live) requireExistingStore(opts.store);
  const store = await openStoreFor({ ...opts, format: 'text' }, config, true);
  try {
    if (opts.live) {
      const live = await store.snapshot();
      return {
        source: 'live',
        assignments: live.assignments.flatMap((a) => (a.principalName === undefined ? [] : [{ ...a, principalName: a.principalName }])),
        memberships: live.memberships.flatMap((m) => (m.groupName !== undefined && m.userName !== undefined ? [{ groupName: m.groupName, userName: m.userName }] : [])),
        users: live.users,
        groupNames: live.groups.map((g) => g.displayName),
        organization: live.organization,
        permissionSets: live.permissionSets,
        rules: [],
        classify: classifyByPrivilege(privilegeModel()),
      };
    }
    const gitCommit = await gitCommitOf(opts.config);
    const organization = config.organization ?? (await store.organization());
    const desired = config.desired;
    return {
      source: 'config',
      ...(gitCommit !== undefined ? { gitCommit } : {}),
      assignments: expandAssignments(desired.assignments, organization, now).tuples,
      memberships: desired.memberships,
      users: desired.users,
      groupNames: desired.groups.map((g) => g.displayName),
      organization,
      permissionSets: desired.permissionSets,
      rules: desired.assignments,
      classify: classifyByPrivilege(privilegeModel()),
    };
  } finally {
    await store.close();
  }
}
