import { stringifyJson } from '../output/escape-json.js';
import type { DriftReport } from './drift-report.js';

/** Stable JSON for machines: snake_case, fixed field order, nulls instead of absent fields. */
export function renderDriftJson(report: DriftReport): string {
  const body = {
    format_version: report.formatVersion,
    clean: report.findings.length === 0,
    summary: report.summary,
    findings: report.findings.map((f) => ({
      risk: f.risk,
      kind: f.kind,
      entity: f.entity,
      key: f.key,
      account: f.account ? { id: f.account.id, name: f.account.name ?? null } : null,
      detail: f.detail,
      fields: f.fields ?? null,
      live: f.live ?? null,
      desired: f.desired ?? null,
      risk_reason: f.riskReason,
    })),
  };
  return `${stringifyJson(body)}\n`;
}
