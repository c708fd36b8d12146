import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { ACTION_SYMBOL, type Action } from '../diff/change.js';
import { escapeTerminal } from '../output/escape-terminal.js';
import { plural } from '../output/plural.js';
import { describeChange, type DetailLine, type Sign } from './describe-change.js';
import { isEmptyPlan, type Plan } from './plan.js';

// Terraform-like text for a terminal: one block per wave, `+` create, `~` update, `-` delete.
// Names and policy text come from the config and the live store: every piece of it goes through
// escapeTerminal, so only this renderer's own newlines and colours reach the terminal.

export interface RenderTextOptions {
  /** ANSI colours; the CLI turns them on for a TTY. */
  readonly color?: boolean;
}

const ANSI = { green: 32, yellow: 33, red: 31, bold: 1, dim: 2 } as const;
type Style = keyof typeof ANSI;

const ACTION_STYLE: Readonly<Record<Action, Style>> = { create: 'green', update: 'yellow', delete: 'red' };
const SIGN_STYLE: Readonly<Record<Sign, Style>> = { '+': 'green', '~': 'yellow', '-': 'red' };

export function renderPlanText(plan: Plan, options: RenderTextOptions = {}): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text;
  const names = plan.accountNames ?? {};
  const out: string[] = [];

  if (!isEmptyPlan(plan)) {
    out.push('Gatehouse will perform the following actions, in this order:', '');
    // Numbered as shown (1, 2, 3…), not by their slot in WAVES, which has gaps when waves are empty.
    for (const [i, wave] of plan.waves.entries()) {
      out.push(paint('bold', `Wave ${i + 1}: ${wave.name} (${plural(wave.changes.length, 'change')})`));
      for (const change of wave.changes) {
        const d = describeChange(change, names);
        out.push(`  ${paint(ACTION_STYLE[d.action], ACTION_SYMBOL[d.action])} ${escapeTerminal(d.title)}`);
        for (const line of d.details) out.push(detail(line, paint));
      }
      out.push('');
    }
  }

  if (plan.unmanaged.length > 0) {
    out.push(paint('bold', `Not managed (ownership: keep): ${plan.unmanaged.length}`));
    for (const u of plan.unmanaged) out.push(`  ${paint('dim', escapeTerminal(u.key))}`);
    out.push('');
  }

  if (plan.diagnostics.length > 0) {
    out.push(paint('bold', 'Diagnostics:'));
    for (const d of plan.diagnostics) {
      out.push(`  ${paint(d.severity === 'error' ? 'red' : 'yellow', formatDiagnostic(d))}`);
    }
    out.push('');
    if (hasErrors(plan.diagnostics)) out.push(paint('red', 'The plan has errors and cannot be applied.'), '');
  }

  out.push(summaryLine(plan));
  return `${out.join('\n')}\n`;
}

export function summaryLine(plan: Plan): string {
  if (isEmptyPlan(plan)) return 'No changes. Live state matches the configuration.';
  const { add, change, destroy } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

function detail(line: DetailLine, paint: (style: Style, text: string) => string): string {
  const indent = '      ' + '  '.repeat(line.depth);
  const text = escapeTerminal(line.text);
  if (line.sign === undefined) return `${indent}${line.depth > 0 ? '  ' : ''}${text}`;
  return `${indent}${paint(SIGN_STYLE[line.sign], `${line.sign} ${text}`)}`;
}
