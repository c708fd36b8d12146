import { escapeMarkdown, markdownCode, markdownCodeBlock } from '../output/escape-markdown.js';
import { escapeJsonText } from '../output/escape-json.js';
import { RISK_ORDER, type DriftFinding, type DriftReport, type RiskLevel } from './drift-report.js';
import { driftHeadline } from './render-drift-text.js';

const TITLE: Readonly<Record<RiskLevel, string>> = { high: '🔴 High', medium: '🟠 Medium', low: '🟡 Low' };

export interface DriftMarkdownOptions {
  /**
   * Stop listing findings before the text grows past this many characters (GitHub refuses
   * issue bodies over 65,536), and say how many were left out. The summary is always whole.
   */
  readonly maxChars?: number;
}

/** For a GitHub issue body: a summary table by risk, then the findings grouped by risk. */
export function renderDriftMarkdown(report: DriftReport, options: DriftMarkdownOptions = {}): string {
  const out = ['## Gatehouse drift report', '', `**${driftHeadline(report)}**`];
  if (report.findings.length === 0) return `${out.join('\n')}\n`;
  out.push('', '| Risk | Findings |', '|---|---:|');
  for (const risk of RISK_ORDER) out.push(`| ${TITLE[risk]} | ${report.summary[risk]} |`);
  const budget = (options.maxChars ?? Infinity) - RESERVED_FOR_NOTE;
  let length = out.join('\n').length;
  let shown = 0;
  listing: for (const risk of RISK_ORDER) {
    const findings = report.findings.filter((f) => f.risk === risk);
    if (findings.length === 0) continue;
    const heading = ['', `### ${TITLE[risk]}`, ''];
    for (const [i, f] of findings.entries()) {
      const block = [...(i === 0 ? heading : []), ...renderFinding(f)];
      const added = block.join('\n').length + 1;
      if (length + added > budget) break listing;
      out.push(...block);
      length += added;
      shown++;
    }
  }
  const left = report.findings.length - shown;
  if (left > 0) out.push('', `_…and ${left} more finding${left === 1 ? '' : 's'}: run \`gatehouse drift\` for the full list._`);
  return `${out.join('\n')}\n`;
}

const RESERVED_FOR_NOTE = 200;

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
