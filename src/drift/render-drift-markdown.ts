import { escapeMarkdown, markdownCode, markdownCodeBlock } from '../output/escape-markdown.js';
import { escapeJsonText } from '../output/escape-json.js';
import { fitMarkdown, type TallyEntry, type WholeText } from '../output/markdown-budget.js';
import { RISK_ORDER, type DriftFinding, type DriftReport, type RiskLevel } from './drift-report.js';
import { driftHeadline } from './render-drift-text.js';

const TITLE: Readonly<Record<RiskLevel, string>> = { high: '🔴 High', medium: '🟠 Medium', low: '🟡 Low' };

export interface DriftMarkdownOptions {
  /**
   * The budget in characters (GitHub refuses issue bodies over 65,536): over it, the findings
   * are replaced by counts by account, permission set and group (under the counts by risk),
   * and a note says where the whole report is (src/output/markdown-budget.ts).
   */
  readonly maxChars?: number;
  /** Where the whole report is when it is summarised (default: drift with --max-chars 0). */
  readonly whole?: WholeText;
}

/** For a GitHub issue body: a summary table by risk, then the findings grouped by risk. */
export function renderDriftMarkdown(report: DriftReport, options: DriftMarkdownOptions = {}): string {
  const out = ['## Gatehouse drift report', '', `**${driftHeadline(report)}**`];
  if (report.findings.length === 0) return `${out.join('\n')}\n`;
  out.push('', '| Risk | Findings |', '|---|---:|');
  for (const risk of RISK_ORDER) out.push(`| ${TITLE[risk]} | ${report.summary[risk]} |`);
  const blocks: string[] = [];
  for (const risk of RISK_ORDER) {
    const findings = report.findings.filter((f) => f.risk === risk);
    for (const [i, f] of findings.entries()) blocks.push([...(i === 0 ? ['', `### ${TITLE[risk]}`, ''] : []), ...renderFinding(f)].join('\n'));
  }
  const full = `${[...out, ...blocks].join('\n')}\n`;
  if (full.length <= (options.maxChars ?? Infinity)) return full;
  const fitted = fitMarkdown(
    { head: out.join('\n'), body: blocks, tally: report.findings.map(driftTally), what: 'drift report', blocksAre: 'findings' },
    options.maxChars!,
    options.whole ?? { where: 'command', command: 'gatehouse drift --format markdown --max-chars 0' },
  );
  return fitted.text;
}

/** What a finding touches, read from the objects it carries. */
function driftTally(f: DriftFinding): TallyEntry {
  const sign = f.kind === 'missing' ? '-' : f.kind === 'added' || f.kind === 'unmanaged' ? '+' : '~';
  const object = (f.live ?? f.desired ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const permissionSet = f.entity === 'permissionSet' ? text(object.name) ?? f.key.replace(/^permissionSet:/, '') : text(object.permissionSetName);
  const group = f.entity === 'group' ? text(object.displayName) : f.entity === 'membership' ? text(object.groupName) : object.principalType === 'GROUP' ? text(object.principalName) : undefined;
  return {
    sign,
    ...(f.account ? { account: f.account.name ? `${f.account.name} (${f.account.id})` : f.account.id } : {}),
    ...(permissionSet !== undefined ? { permissionSet } : {}),
    ...(group !== undefined ? { group } : {}),
  };
}

function renderFinding(f: DriftFinding): string[] {
  // Names come from a live system anyone could have edited: escape-markdown keeps them text.
  const account = f.account ? ` — ${escapeMarkdown(f.account.name ?? f.account.id)} (${escapeMarkdown(f.account.id)})` : '';
  const lines = [
    `- **${f.kind}** ${markdownCode(f.key)}${account}  `,
    `  ${escapeMarkdown(f.detail)}  `,
    `  _Risk:_ ${escapeMarkdown(f.riskReason)}`,
  ];
  if (f.live !== undefined || f.desired !== undefined) {
    const body = escapeJsonText(JSON.stringify({ live: f.live ?? null, config: f.desired ?? null }, null, 2));
    lines.push('  <details><summary>live vs config</summary>', '', ...markdownCodeBlock('json', body.split('\n')).map((l) => `  ${l}`), '  </details>');
  }
  return lines;
}
