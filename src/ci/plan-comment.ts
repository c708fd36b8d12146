import { createHash } from 'node:crypto';
import { privilegeAccounts } from '../access/plan-privilege.js';
import { renderPrivilegeDiffMarkdown } from '../access/render-privilege-diff.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { canonicalJson } from '../diff/canonical-json.js';
import type { Account } from '../model/entities.js';
import { escapeMarkdown, markdownCode } from '../output/escape-markdown.js';
import { cutBlocks, fitMarkdown, fitTableMarkdown, type TallyEntry, type WholeText } from '../output/markdown-budget.js';
import { plural } from '../output/plural.js';
import { changesDigest } from '../plan/fingerprints.js';
import { isEmptyPlan, planChanges, type Plan } from '../plan/plan.js';
import { planDetailSections, planSummaryTable, planTally } from '../plan/render-markdown.js';
import type { AccessChangeRow, PlanAccessDiff } from './plan-access-diff.js';

// The one plan comment on a pull request, per config directory and Identity Center instance.
// Hidden markers find it again (it is edited in place, never posted twice) and carry what was
// reviewed: the digest of the plan's canonical changes, which `apply --github` on merge
// compares with a fresh plan. A reviewer reads it top down:
//   1. what blocks apply (guardrail errors, plan errors, mass deletion);
//   2. who gains and loses access, privileged and production first;
//   3. the Terraform-style counts;
//   4. the full plan, folded.
// Every part has a budget, so the whole comment stays under GitHub's 65,536 characters: a part
// over its budget is replaced by its counts (src/output/markdown-budget.ts), and the note says
// where the whole text is.

const MARKER_PREFIX = '<!-- gatehouse:plan ';
const REVIEWED_PREFIX = '<!-- gatehouse:reviewed ';
const OUTCOME_START = '<!-- gatehouse:outcome -->';
const OUTCOME_END = '<!-- /gatehouse:outcome -->';
/** Room kept free for the outcome block apply adds on merge. */
const OUTCOME_RESERVE = 3_000;
/** Changes listed by short id in the hidden data, so a refused apply can say what differs. */
const MAX_LISTED_CHANGES = 1_000;

/** The hidden first line: which config and instance the comment is about. */
export function planCommentMarker(configDir: string, instance: string): string {
  return `${MARKER_PREFIX}config=${encodeURIComponent(configDir)} instance=${encodeURIComponent(instance)} -->`;
}

/**
 * The instance of a comment posted when no plan could be made (the config did not load, so the
 * instance is unknown): it stands for every instance, and the next plan of the config takes it
 * over. Never an instance an actual plan reports (an ARN or a store kind).
 */
export const ANY_INSTANCE = '*';

/** True for the first line of a plan comment of `configDir`, whatever its instance. */
export function isPlanMarkerOf(configDir: string): (firstLine: string) => boolean {
  const prefix = `${MARKER_PREFIX}config=${encodeURIComponent(configDir)} instance=`;
  return (line) => line.startsWith(prefix) && line.endsWith(' -->') && !line.slice(prefix.length, -' -->'.length).includes(' ');
}

/** The instance a plan comment's first line names (decoded). */
export function instanceOfMarker(firstLine: string): string {
  const m = / instance=(\S*) -->$/.exec(firstLine);
  try {
    return m ? decodeURIComponent(m[1]!) : ANY_INSTANCE;
  } catch {
    return ANY_INSTANCE;
  }
}

/** The hidden line of a comment that shows no plan, only why apply is blocked. */
export const NO_PLAN_LINE = '<!-- gatehouse:no-plan -->';

/** What the pull request showed, as apply reads it back from the comment. */
export interface ReviewedPlan {
  readonly changesDigest: string;
  readonly summary: { readonly add: number; readonly change: number; readonly destroy: number };
  /** The head commit the plan was made at. */
  readonly commit?: string;
  /** Short ids of the changes (see changeId), when the plan was small enough to list them. */
  readonly changes?: readonly string[];
}

/** A change's short id: enough to tell which changes differ; the digest decides. */
export const changeId = (change: unknown): string => createHash('sha256').update(canonicalJson(change)).digest('hex').slice(0, 10);

export function reviewedPlanOf(plan: Plan, commit: string | undefined): ReviewedPlan {
  const changes = planChanges(plan);
  return {
    changesDigest: changesDigest(plan.waves),
    summary: plan.summary,
    ...(commit ? { commit } : {}),
    ...(changes.length <= MAX_LISTED_CHANGES ? { changes: changes.map(changeId) } : {}),
  };
}

/** The reviewed plan carried by a comment body, or undefined when it has none (or a damaged one). */
export function parseReviewedPlan(body: string): ReviewedPlan | undefined {
  const line = body.split('\n').find((l) => l.startsWith(REVIEWED_PREFIX) && l.endsWith(' -->'));
  if (!line) return undefined;
  try {
    const data = JSON.parse(line.slice(REVIEWED_PREFIX.length, -' -->'.length)) as Record<string, unknown>;
    const digest = data.changes_digest;
    const summary = data.summary as ReviewedPlan['summary'] | undefined;
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest) || !summary || typeof summary.add !== 'number') return undefined;
    const changes = Array.isArray(data.changes) && data.changes.every((c) => typeof c === 'string') ? (data.changes as string[]) : undefined;
    return {
      changesDigest: digest,
      summary: { add: summary.add, change: Number(summary.change), destroy: Number(summary.destroy) },
      ...(typeof data.commit === 'string' ? { commit: data.commit } : {}),
      ...(changes ? { changes } : {}),
    };
  } catch {
    return undefined;
  }
}

function reviewedLine(reviewed: ReviewedPlan): string {
  // Hex, digits and fixed keys only: nothing in it can close the HTML comment.
  const data = { changes_digest: reviewed.changesDigest, commit: reviewed.commit ?? null, summary: reviewed.summary, changes: reviewed.changes ?? null };
  return `${REVIEWED_PREFIX}${JSON.stringify(data)} -->`;
}

export interface PlanCommentInput {
  readonly plan: Plan;
  /** Repository-relative config directory. */
  readonly configDir: string;
  readonly instance: string;
  readonly access?: PlanAccessDiff;
  readonly accounts: ReadonlyMap<string, Account>;
  readonly commit?: string;
  readonly runUrl?: string;
  /** Where the whole text is when a part is shortened. */
  readonly whole: WholeText;
  /** Where the whole access diff is, when not where the whole plan is (default: `whole`). */
  readonly wholeAccess?: WholeText;
  /** Characters for the whole body (a comment: 65,536). */
  readonly budget: number;
}

/** What blocks apply: plan errors (guardrails, unresolved references) and apply's refusals. */
export const applyBlockers = (plan: Plan): Diagnostic[] => plan.diagnostics.filter((d) => d.severity === 'error' || d.rule === 'apply-blocked');

export function renderPlanComment(input: PlanCommentInput): string {
  return renderPlanCommentParts(input).text;
}

/** The comment, and whether its access diff and its plan are there whole (not replaced by counts). */
export function renderPlanCommentParts(input: PlanCommentInput): { readonly text: string; readonly accessWhole: boolean; readonly planWhole: boolean } {
  const { plan } = input;
  const reviewed = reviewedPlanOf(plan, input.commit);
  const markers = [planCommentMarker(input.configDir, input.instance), reviewedLine(reviewed)].join('\n');
  const where = [`config ${markdownCode(input.configDir)}`, `instance ${markdownCode(input.instance)}`];
  if (input.commit) where.push(`commit ${markdownCode(input.commit.slice(0, 12))}`);
  if (input.runUrl) where.push(`[workflow run](${input.runUrl})`);
  const title = [`## Gatehouse plan: ${headline(plan)}`, '', `<sub>${where.join(' · ')}</sub>`, ''].join('\n');

  const blockers = applyBlockers(plan);
  const blocks = blockers.length === 0
    ? '### 1. What blocks apply\n\nNothing: the plan can be applied as shown.\n'
    : [
        '### 1. What blocks apply',
        '',
        '> [!CAUTION]',
        `> Apply will refuse this plan: ${plural(blockers.length, 'problem')} to fix first.`,
        '',
        // Whole lines, counted when cut: an eighth of the budget (8,192 in a comment).
        cutBlocks(blockers.map((d) => `- ${markdownCode(formatDiagnostic(d))}`), Math.max(2_000, Math.floor(input.budget / 8)), 'problems (the run\'s log lists every one)'),
        '',
      ].join('\n');
  const summary = ['### 3. Summary', '', ...(isEmptyPlan(plan) ? ['No changes: the live state matches the configuration.', ''] : planSummaryTable(plan))].join('\n');
  const footer = `<sub>Changes digest ${markdownCode(reviewed.changesDigest.slice(0, 16))}: on merge, \`apply --github\` applies exactly these changes or refuses.</sub>\n`;

  const fixed = [markers, title, blocks, summary, footer].join('\n').length + OUTCOME_RESERVE + 64;
  let room = Math.max(0, input.budget - fixed);
  const accessDoc = accessDocument(plan, input.access, input.accounts);
  const accessFull = joinDoc(accessDoc.head, accessDoc.body);
  const planFull = fullPlanText(plan, Math.max(1, room));
  let accessText: string;
  let planText: string;
  if (accessFull.length + planFull.length <= room) {
    accessText = accessFull;
    planText = planFull;
  } else {
    // Access first: it is what review is about. It keeps at least half the room.
    const accessRoom = Math.min(accessFull.length, Math.max(Math.floor(room / 2), room - planFull.length));
    accessText = accessFull.length <= accessRoom ? accessFull : fitTableMarkdown(accessFull, accessDoc.tally, accessDoc.what, accessRoom, input.wholeAccess ?? input.whole).text;
    room -= accessText.length;
    planText = planFull.length <= room ? planFull : fitMarkdown({ head: '', body: planFull, tally: planTally(plan), what: 'plan' }, room, input.whole).text;
  }
  const label = planText === planFull ? 'Every change' : 'The changes, counted (the whole plan does not fit here)';
  const details = isEmptyPlan(plan) ? '' : ['### 4. Full plan', '', `<details><summary>${label}</summary>`, '', planText, '</details>', ''].join('\n');
  const text = [markers, title, blocks, accessText, summary, details, footer].filter((p) => p.length > 0).join('\n');
  return { text, accessWhole: accessText === accessFull, planWhole: planText === planFull };
}

function headline(plan: Plan): string {
  if (isEmptyPlan(plan)) return 'no changes';
  const { add, change, destroy } = plan.summary;
  return `${add} to add, ${change} to change, ${destroy} to destroy`;
}

const joinDoc = (head: string, body: string) => (body ? `${head}\n${body}` : head);

interface AccessDocument {
  readonly head: string;
  readonly body: string;
  readonly tally: readonly TallyEntry[];
  readonly what: string;
}

function accessDocument(plan: Plan, access: PlanAccessDiff | undefined, accounts: ReadonlyMap<string, Account>): AccessDocument {
  const head = ['### 2. Who gains and loses access', ''];
  if (plan.privilege) head.push(renderPrivilegeDiffMarkdown(plan.privilege.changes, privilegeAccounts(plan.privilege)).trimEnd(), '');
  if (!access) return { head: head.join('\n'), body: '', tally: [], what: 'access diff' };
  if (access.rows.length === 0) {
    head.push('**Effective access:** no change.', '');
    return { head: head.join('\n'), body: '', tally: [], what: 'access diff' };
  }
  head.push(`**Effective access:** ${access.gained} gained, ${access.lost} lost (privileged and production first).`, '');
  const label = (id: string) => {
    const a = accounts.get(id);
    return a ? `${a.name} (${id})` : id;
  };
  const body = [
    '| | user | account | permission set | level | via |',
    '|---|---|---|---|---|---|',
    ...access.rows.map((r) => accessRow(r, label)),
    '',
  ].join('\n');
  const tally = access.rows.map((r): TallyEntry => {
    const group = r.grant.paths.find((p) => p.kind === 'group');
    return {
      sign: r.direction === 'gain' ? '+' : '-',
      account: label(r.grant.accountId),
      permissionSet: r.grant.permissionSetName,
      ...(group && group.kind === 'group' ? { group: group.groupName } : {}),
    };
  });
  return { head: head.join('\n'), body, tally, what: 'access diff' };
}

function accessRow(r: AccessChangeRow, label: (id: string) => string): string {
  const via = r.grant.paths.map((p) => (p.kind === 'direct' ? 'direct' : `group ${escapeMarkdown(p.groupName)}`)).join('<br>');
  const account = `${escapeMarkdown(label(r.grant.accountId))}${r.production ? ' 🏭' : ''}`;
  const level = r.level === 'admin' || r.level === 'privilege-escalation' ? `**${r.level}**` : r.level;
  return `| ${r.direction === 'gain' ? '➕ gains' : '➖ loses'} | ${escapeMarkdown(r.grant.userName)} | ${account} | ${escapeMarkdown(r.grant.permissionSetName)} | ${level} | ${via} |`;
}

/** Every change (a section of more than `maxLines` lines is over any budget of `maxLines` characters). */
function fullPlanText(plan: Plan, maxLines: number): string {
  const lines = planDetailSections(plan, maxLines);
  const diagnostics = plan.diagnostics.filter((d) => d.severity !== 'error' && d.rule !== 'apply-blocked');
  if (diagnostics.length > 0) {
    lines.push('**Warnings**', '');
    for (const d of diagnostics) lines.push(`- ${markdownCode(formatDiagnostic(d))}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The comment with apply's outcome at the top (replacing an earlier one), within the limit. */
export function withOutcome(body: string, outcome: string, limit: number): string {
  const block = `${OUTCOME_START}\n${outcome.trimEnd()}\n${OUTCOME_END}`;
  const start = body.indexOf(OUTCOME_START);
  const end = body.indexOf(OUTCOME_END);
  let without = start >= 0 && end > start ? body.slice(0, start) + body.slice(end + OUTCOME_END.length + 1) : body;
  // After the hidden marker lines, before the title.
  const lines = without.split('\n');
  const at = lines.findIndex((l) => !l.startsWith('<!-- gatehouse:'));
  lines.splice(at < 0 ? lines.length : at, 0, block);
  without = lines.join('\n');
  return without.length <= limit ? without : `${without.slice(0, limit - 2)}\n…`;
}
