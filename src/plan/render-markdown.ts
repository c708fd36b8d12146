import { privilegeAccounts } from '../access/plan-privilege.js';
import { renderPrivilegeDiffMarkdown } from '../access/render-privilege-diff.js';
import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { type Action, actionOf, type Change, type ChangeKind } from '../diff/change.js';
import { escapeHtml, markdownCode, markdownCodeBlock } from '../output/escape-markdown.js';
import { DEFAULT_MARKDOWN_BUDGET, fitMarkdown, Tally, type TallyEntry, type WholeText } from '../output/markdown-budget.js';
import { plural } from '../output/plural.js';
import { describeChange, type Sign } from './describe-change.js';
import { isEmptyPlan, type Plan, planChanges } from './plan.js';
import { summaryLine } from './render-text.js';

// A plan as a pull request comment: a headline, a table of counts per kind, and one
// collapsible section per kind with `diff` code blocks, which GitHub colours (+ green,
// - red, ! orange). GitHub caps a comment at 65,536 characters: a plan over its budget keeps
// its head and has its sections replaced by counts (src/output/markdown-budget.ts), never
// sections shortened to their first lines.
// Names reach the comment only inside code blocks and code spans (escape-markdown), so a name
// cannot become a table cell, a link, HTML or a mention.

export interface RenderMarkdownOptions {
  /** Upper bound for the whole comment (default 60,000 characters; Infinity for no bound). */
  readonly maxChars?: number;
  /**
   * Where the whole plan is when it does not fit: the job summary, the plan file, or the command
   * that prints it whole. Default: the plan command with `--max-chars 0`.
   */
  readonly whole?: WholeText;
}

const SECTIONS = [
  { title: 'Users', kinds: ['user.create', 'user.update', 'user.delete'] },
  { title: 'Groups', kinds: ['group.create', 'group.update', 'group.delete'] },
  { title: 'Group memberships', kinds: ['membership.add', 'membership.remove'] },
  { title: 'Permission sets', kinds: ['permissionSet.create', 'permissionSet.update', 'permissionSet.delete'] },
  { title: 'Provisioning', kinds: ['permissionSet.provision'] },
  { title: 'Account assignments', kinds: ['assignment.create', 'assignment.delete'] },
] as const satisfies readonly { title: string; kinds: readonly ChangeKind[] }[];

const SECTION_OF = Object.fromEntries(SECTIONS.flatMap((section, i) => section.kinds.map((kind) => [kind, i]))) as Readonly<Record<ChangeKind, number>>;

const MD_SIGN: Readonly<Record<Sign, string>> = { '+': '+', '-': '-', '~': '!' };
const MD_ACTION: Readonly<Record<Action, string>> = { create: '+', update: '!', delete: '-' };

export function renderPlanMarkdown(plan: Plan, options: RenderMarkdownOptions = {}): string {
  const maxChars = options.maxChars ?? DEFAULT_MARKDOWN_BUDGET;
  // A section of more lines than the budget has characters cannot fit whatever else happens:
  // rendering stops there, so a plan of millions of changes is never held as Markdown.
  const parts = planMarkdownParts(plan, Number.isFinite(maxChars) ? Math.max(1, maxChars) : Infinity);
  const whole = options.whole ?? { where: 'command', command: 'gatehouse plan --format markdown --max-chars 0' };
  return fitMarkdown({ head: parts.head.join('\n'), body: parts.body.join('\n'), tail: parts.tail.join('\n'), tally: planTally(plan), what: 'plan' }, maxChars, whole).text;
}

/** What a plan's changes touch, for the summary of a plan over its budget. */
export function planTally(plan: Plan): Tally {
  const tally = new Tally();
  for (const c of planChanges(plan)) {
    const sign = MD_TALLY_SIGN[actionOf(c)];
    switch (c.kind) {
      case 'assignment.create':
      case 'assignment.delete': {
        const a = c.assignment;
        tally.count(sign, a.accountId, a.permissionSetName, a.principalType === 'GROUP' ? a.principalName : undefined);
        break;
      }
      case 'permissionSet.provision':
        tally.count(sign, c.accountId, c.permissionSetName, undefined);
        break;
      case 'permissionSet.create':
      case 'permissionSet.update':
        tally.count(sign, undefined, c.after.name, undefined);
        break;
      case 'permissionSet.delete':
        tally.count(sign, undefined, c.before.name, undefined);
        break;
      case 'membership.add':
      case 'membership.remove':
        tally.count(sign, undefined, undefined, c.groupName);
        break;
      case 'group.create':
      case 'group.update':
        tally.count(sign, undefined, undefined, c.after.displayName);
        break;
      case 'group.delete':
        tally.count(sign, undefined, undefined, c.before.displayName);
        break;
      case 'user.create':
      case 'user.update':
      case 'user.delete':
        tally.count(sign, undefined, undefined, undefined);
        break;
      default: {
        const never: never = c;
        throw new Error(`unknown change ${String(never)}`);
      }
    }
  }
  // Counted by id, one label per account rather than one string per assignment.
  const names = plan.accountNames ?? {};
  tally.relabelAccounts((id) => (names[id] ? `${names[id]} (${id})` : id));
  return tally;
}

const MD_TALLY_SIGN: Readonly<Record<Action, TallyEntry['sign']>> = { create: '+', update: '~', delete: '-' };

export interface PlanMarkdownParts {
  /** Headline, what blocks apply, who gains or loses privilege, the counts table. */
  readonly head: string[];
  /** One collapsible section per kind, unmanaged objects, diagnostics. */
  readonly body: string[];
  /** The digest line. */
  readonly tail: string[];
}

export function planMarkdownParts(plan: Plan, maxLines: number): PlanMarkdownParts {
  const out: string[] = [];
  if (isEmptyPlan(plan)) {
    out.push('### Gatehouse plan: no changes', '', 'Live state matches the configuration.', '');
  } else {
    const { add, change, destroy } = plan.summary;
    out.push(`### Gatehouse plan: ${add} to add, ${change} to change, ${destroy} to destroy`, '');
  }
  // What apply would refuse (errors, a mass deletion, raised safety limits) heads the comment,
  // with the fix or the flag, so review sees it before merge rather than the apply job after.
  const blockers = plan.diagnostics.filter((d) => d.rule === 'apply-blocked');
  if (hasErrors(plan.diagnostics) || blockers.length > 0) {
    out.push('> [!CAUTION]');
    if (hasErrors(plan.diagnostics)) out.push('> The plan has errors and cannot be applied.');
    for (const b of blockers) out.push(`> ${escapeHtml(b.message.replace(/^apply will refuse/, 'Apply will refuse'))}`);
    out.push('');
  }

  out.push(...privilegeSection(plan));
  out.push(...planSummaryTable(plan));
  const head = out.splice(0);

  for (const line of planDetailSections(plan, maxLines)) out.push(line);

  if (plan.diagnostics.length > 0) {
    out.push('**Diagnostics**', '');
    const diagnostics = truncate(plan.diagnostics.map((d) => formatDiagnostic(d)), maxLines);
    for (const d of diagnostics) out.push(`- ${markdownCode(d)}`);
    out.push('');
  }
  const body = out.splice(0);

  const tail = [`<sub>${escapeHtml(summaryLine(plan))} Desired digest ${markdownCode(plan.desiredDigest.slice(0, 12))}${plan.gitCommit ? ` at ${markdownCode(plan.gitCommit.slice(0, 12))}` : ''}.</sub>`, ''];
  return { head, body, tail };
}

/** The Terraform-style counts: one row per kind of object, then the total. */
export function planSummaryTable(plan: Plan): string[] {
  if (isEmptyPlan(plan)) return [];
  const bySection = SECTIONS.map((): Record<Action, number> => ({ create: 0, update: 0, delete: 0 }));
  for (const c of planChanges(plan)) bySection[SECTION_OF[c.kind]]![actionOf(c)]++;
  const out = ['| | add | change | destroy |', '|:--|--:|--:|--:|'];
  for (const [i, section] of SECTIONS.entries()) {
    const counts = bySection[i]!;
    if (counts.create + counts.update + counts.delete === 0) continue;
    out.push(`| ${section.title} | ${counts.create} | ${counts.update} | ${counts.delete} |`);
  }
  out.push(`| **Total** | **${plan.summary.add}** | **${plan.summary.change}** | **${plan.summary.destroy}** |`, '');
  return out;
}

/**
 * Every change, one collapsible `diff` section per kind of object, each stopped once it passes
 * `maxLines` lines or characters: past either it is over any budget of `maxLines` characters and
 * the budget replaces it by counts anyway, so a first plan of 100,000 changes describes a few
 * hundred of them, not all, to be thrown away.
 */
export function planDetailSections(plan: Plan, maxLines: number): string[] {
  const out: string[] = [];
  const byKind = new Map<ChangeKind, Change[]>();
  for (const c of planChanges(plan)) {
    const list = byKind.get(c.kind);
    if (list) list.push(c);
    else byKind.set(c.kind, [c]);
  }
  const names = plan.accountNames ?? {};
  for (const section of SECTIONS) {
    const list = section.kinds.flatMap((k) => byKind.get(k) ?? []);
    if (list.length === 0) continue;
    const lines: string[] = [];
    let shown = 0;
    let chars = 0;
    for (const c of list) {
      if (lines.length >= maxLines || chars > maxLines) break;
      shown++;
      const d = describeChange(c, names);
      const title = `${MD_ACTION[d.action]} ${d.title}`;
      lines.push(title);
      chars += title.length + 1;
      for (const line of d.details) {
        const indent = `     ${'  '.repeat(line.depth)}`;
        const text = `${line.sign === undefined ? ' ' : MD_SIGN[line.sign]}${indent}${line.text}`;
        lines.push(text);
        chars += text.length + 1;
      }
    }
    const counts = countActions(list);
    const parts = [
      counts.create > 0 ? `${counts.create} to add` : '',
      counts.update > 0 ? `${counts.update} to change` : '',
      counts.delete > 0 ? `${counts.delete} to destroy` : '',
    ].filter(Boolean);
    out.push(`<details><summary>${section.title}: ${parts.join(', ')}</summary>`, '');
    const body = lines.slice(0, maxLines);
    const hidden = list.length - shown;
    if (hidden > 0) body.push(`… ${plural(hidden, 'more change', 'more changes')} not shown here`);
    else if (lines.length > maxLines) body.push('… cut here');
    for (const line of markdownCodeBlock('diff', body)) out.push(line);
    out.push('', '</details>', '');
  }

  if (plan.unmanaged.length > 0) {
    out.push(`<details><summary>Not managed (ownership: keep): ${plan.unmanaged.length}</summary>`, '');
    for (const line of markdownCodeBlock('', truncate(plan.unmanaged.map((u) => u.key), maxLines))) out.push(line);
    out.push('', '</details>', '');
  }
  return out;
}

/** Privilege first: who gains or loses a privilege level, before the object-by-object sections. */
function privilegeSection(plan: Plan): string[] {
  if (!plan.privilege || plan.privilege.changes.length === 0) return [];
  return [renderPrivilegeDiffMarkdown(plan.privilege.changes, privilegeAccounts(plan.privilege))];
}

function countActions(changes: readonly Change[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, delete: 0 };
  for (const c of changes) counts[actionOf(c)]++;
  return counts;
}

function truncate(lines: readonly string[], max: number): string[] {
  if (lines.length <= max) return [...lines];
  return [...lines.slice(0, max), `… ${plural(lines.length - max, 'more line', 'more lines')} not shown here`];
}
