import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { markdownCode, markdownCodeBlock } from '../output/escape-markdown.js';
import { fitMarkdown, type WholeText } from '../output/markdown-budget.js';
import { plural } from '../output/plural.js';
import { NO_PLAN_LINE, planCommentMarker } from './plan-comment.js';

// The plan comment when there is no plan for the pushed commit: the config does not load or
// validate, or planning failed. Keeping the previous plan would show a reviewer changes that are
// no longer what the branch holds, and invite an approval of them; so the comment says that apply
// is blocked, lists the errors where they are (file:line:col, escaped as code), and carries no
// digest, so `apply --github` on merge has nothing it could apply.

/** Why there is no plan. */
export type NoPlan =
  | { readonly kind: 'config'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'failed'; readonly message: string };

export interface BlockedCommentInput {
  readonly noPlan: NoPlan;
  readonly configDir: string;
  /** The instance of the comment being replaced (ANY_INSTANCE when there was none). */
  readonly instance: string;
  readonly commit?: string;
  readonly runUrl?: string;
  readonly whole: WholeText;
  readonly budget: number;
}

/** Error lines of a failure shown in the comment: a multi-line AWS message stays readable. */
const MAX_FAILURE_LINES = 20;

export function renderBlockedComment(input: BlockedCommentInput): string {
  const { noPlan } = input;
  const errors = noPlan.kind === 'config' ? noPlan.diagnostics.filter((d) => d.severity === 'error') : [];
  const warnings = noPlan.kind === 'config' ? noPlan.diagnostics.length - errors.length : 0;
  const headline = noPlan.kind === 'failed'
    ? 'apply is blocked: the plan failed'
    : errors.length > 0 ? `apply is blocked by ${plural(errors.length, 'error')} in the config` : 'apply is blocked: the config did not load';
  const where = [`config ${markdownCode(input.configDir)}`];
  if (input.commit) where.push(`commit ${markdownCode(input.commit.slice(0, 12))}`);
  if (input.runUrl) where.push(`[workflow run](${input.runUrl})`);
  const at = input.commit ? `commit ${markdownCode(input.commit.slice(0, 12))}` : 'this commit';
  const withdrawn = `No plan was made, so nothing here can be applied; any plan this comment showed before was of an older commit and is withdrawn.`;
  const why = noPlan.kind === 'failed'
    ? [`> Gatehouse could not plan ${at}. ${withdrawn}`, '', ...markdownCodeBlock('text', failureLines(noPlan.message))]
    : [`> The config at ${at} ${errors.length > 0 ? `has ${plural(errors.length, 'error')} to fix first${warnings > 0 ? ` (and ${plural(warnings, 'warning')})` : ''}` : 'did not load'}. ${withdrawn}`];
  const head = [
    planCommentMarker(input.configDir, input.instance),
    NO_PLAN_LINE,
    `## Gatehouse plan: ${headline}`,
    '',
    `<sub>${where.join(' · ')}</sub>`,
    '',
    '### 1. What blocks apply',
    '',
    '> [!CAUTION]',
    ...why,
    '',
  ].join('\n');
  const tail = `<sub>On merge, \`apply --github\` refuses this pull request until a plan of its last commit is shown here.</sub>\n`;
  const blocks = errors.map((d) => `- ${markdownCode(formatDiagnostic(d))}`);
  return fitMarkdown({ head, body: blocks, tail, tally: [], what: 'list of errors', blocksAre: 'errors' }, input.budget, input.whole).text;
}

function failureLines(message: string): string[] {
  const lines = message.split('\n');
  return lines.length <= MAX_FAILURE_LINES ? lines : [...lines.slice(0, MAX_FAILURE_LINES), `… ${lines.length - MAX_FAILURE_LINES} more lines in the run's log`];
}
