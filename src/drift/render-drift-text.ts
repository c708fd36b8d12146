import { escapeTerminal } from '../output/escape-terminal.js';
import type { DriftFinding, DriftReport, RiskLevel } from './drift-report.js';

const LABEL: Readonly<Record<RiskLevel, string>> = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };
const INDENT = '        ';
const NEXT_STEPS = 'gatehouse plan shows what apply would undo; to keep a change, write it into the config.';

export function driftHeadline(report: DriftReport): string {
  const { total, high, medium, low } = report.summary;
  if (total === 0) return 'No drift: the live state matches the config.';
  return `Drift: ${total} finding${total === 1 ? '' : 's'} (${high} high, ${medium} medium, ${low} low)`;
}

/** For the terminal: one block per finding, highest risk first; live text escaped (escape-terminal). */
export function renderDriftText(report: DriftReport): string {
  if (report.findings.length === 0) return `${driftHeadline(report)}\n`;
  const blocks = report.findings.map(renderFinding);
  return [driftHeadline(report), ...blocks, NEXT_STEPS].join('\n\n') + '\n';
}

function renderFinding(f: DriftFinding): string {
  const lines = [`${LABEL[f.risk].padEnd(7)} ${f.kind.padEnd(15)} ${escapeTerminal(f.key)}`, `${INDENT}${escapeTerminal(f.detail)}`];
  if (f.kind === 'changed' && f.fields) {
    const live = (f.live ?? {}) as Record<string, unknown>;
    const desired = (f.desired ?? {}) as Record<string, unknown>;
    for (const field of f.fields) lines.push(`${INDENT}${escapeTerminal(field)}: live ${short(live[field])} → config ${short(desired[field])}`);
  }
  lines.push(`${INDENT}risk: ${escapeTerminal(f.riskReason)}`);
  return lines.join('\n');
}

/** Values inline on one line; long policy documents cut, the JSON output has them whole. */
export function short(value: unknown, max = 160): string {
  const text = value === undefined || value === null ? '(none)' : JSON.stringify(value).replace(/\\n\s*/g, ' ');
  return escapeTerminal(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}
