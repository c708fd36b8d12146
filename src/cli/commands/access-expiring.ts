import { expiringGrants, type ExpiringGrant } from '../../access/expiring-grants.js';
import { stringifyJson } from '../../output/escape-json.js';
import { parseSpan } from '../../model/span.js';
import { UserError } from '../../diagnostics/errors.js';
import { expandAssignments } from '../../expand/expand-assignments.js';
import type { Organization } from '../../model/entities.js';
import type { LoadedConfig } from '../context.js';
import type { TallyEntry } from '../../output/markdown-budget.js';

// `gatehouse access --expiring 14d`: grants whose every path ends within the span, soonest
// first, so an owner can renew (or let lapse) on purpose.

function selectExpiring(span: string, config: LoadedConfig, organization: Organization, now: Date, keep: (g: ExpiringGrant) => boolean): ExpiringGrant[] {
  const ms = parseSpan(span);
  if (ms === undefined) throw new UserError(`invalid --expiring "${span}": use a span such as 14d, 2w, 48h`);
  const tuples = expandAssignments(config.desired.assignments, organization, now).tuples;
  return expiringGrants(tuples, config.desired.memberships, now, ms).filter(keep);
}

/** What the expiring grants touch, for the summary of a Markdown list over its budget. */
export function expiringTally(span: string, config: LoadedConfig, organization: Organization, now: Date, keep: (g: ExpiringGrant) => boolean): TallyEntry[] {
  const names = new Map(organization.accounts.map((a) => [a.id, a.name]));
  return selectExpiring(span, config, organization, now, keep).map((g) => {
    const group = g.paths.find((p) => p.groupName !== undefined)?.groupName;
    return { sign: '-', account: `${names.get(g.accountId) ?? g.accountId} (${g.accountId})`, permissionSet: g.permissionSetName, ...(group !== undefined ? { group } : {}) };
  });
}

export function renderExpiring(
  span: string,
  config: LoadedConfig,
  organization: Organization,
  now: Date,
  format: 'text' | 'markdown' | 'json',
  keep: (g: ExpiringGrant) => boolean,
): string {
  const grants = selectExpiring(span, config, organization, now, keep);
  const names = new Map(organization.accounts.map((a) => [a.id, a.name]));
  const account = (id: string) => `${names.get(id) ?? id} (${id})`;
  const via = (g: ExpiringGrant) =>
    g.paths.map((p) => `${p.groupName === undefined ? 'direct' : `group ${p.groupName}`} at ${p.source.file}:${p.source.line}${p.reason ? ` — ${p.reason}` : ''}`);
  if (format === 'json') {
    return `${stringifyJson({ format_version: 1, within: span, now: now.toISOString(), grants })}\n`;
  }
  if (grants.length === 0) return `No access ends within ${span}.\n`;
  if (format === 'markdown') {
    const cell = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\r\n]/g, ' ');
    const rows = grants.map((g) => `| ${g.expires} | ${cell(g.userName)} | ${cell(account(g.accountId))} | ${cell(g.permissionSetName)} | ${via(g).map(cell).join('<br>')} |`);
    return [`### Access ending within ${span} (${grants.length})`, '', '| Ends | User | Account | Permission set | Granted by |', '|---|---|---|---|---|', ...rows, ''].join('\n');
  }
  const lines = [`${grants.length} grant${grants.length === 1 ? '' : 's'} end${grants.length === 1 ? 's' : ''} within ${span}:`];
  for (const g of grants) {
    lines.push(`  ${g.expires}  ${g.userName}  ${g.permissionSetName} in ${account(g.accountId)}`);
    for (const line of via(g)) lines.push(`      ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
