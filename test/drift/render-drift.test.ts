import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import { renderDriftJson } from '../../src/drift/render-drift-json.js';
import { renderDriftMarkdown } from '../../src/drift/render-drift-markdown.js';
import { renderDriftText } from '../../src/drift/render-drift-text.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { assignment, converged, desired, NOW } from './fixture.js';

const live: LiveState = {
  ...converged,
  permissionSets: converged.permissionSets.map((p) => (p.name === 'ReadOnly' ? { ...p, description: 'Read *most* | things' } : p)),
  assignments: [...converged.assignments, assignment('USER', 'alice', 'AdministratorAccess', '222222222222')],
};
const report = detectDrift({ desired, live, plan: buildPlan({ desired, live, now: NOW }), now: NOW, privilege: privilegeModel() });
const clean = detectDrift({ desired, live: converged, plan: buildPlan({ desired, live: converged, now: NOW }), now: NOW, privilege: privilegeModel() });

describe('renderDriftText', () => {
  it('prints a headline, then one block per finding with live vs config', async () => {
    const text = renderDriftText(report);
    expect(text.split('\n')[0]).toBe('Drift: 2 findings (1 high, 0 medium, 1 low)');
    expect(text).toContain('HIGH    added           assignment:USER:alice|AdministratorAccess|222222222222');
    expect(text).toContain('description: live "Read *most* | things" → config "Read everything"');
    await expect(text).toMatchFileSnapshot('./golden/drift.txt');
  });

  it('says so when clean', () => {
    expect(renderDriftText(clean)).toBe('No drift: the live state matches the config.\n');
  });
});

describe('renderDriftMarkdown', () => {
  it('has a summary table by risk, then findings, with names escaped', async () => {
    const md = renderDriftMarkdown(report);
    expect(md).toContain('| 🔴 High | 1 |\n| 🟠 Medium | 0 |\n| 🟡 Low | 1 |');
    expect(md.indexOf('### 🔴 High')).toBeLessThan(md.indexOf('### 🟡 Low'));
    expect(md).not.toContain('### 🟠 Medium');
    expect(md).toContain('- **added** `assignment:USER:alice|AdministratorAccess|222222222222` — prod-core (222222222222)');
    await expect(md).toMatchFileSnapshot('./golden/drift.md');
  });
});

describe('renderDriftMarkdown with a size limit', () => {
  const many: LiveState = {
    ...converged,
    assignments: [
      ...converged.assignments,
      ...Array.from({ length: 400 }, (_, i) => assignment('USER', `user-${String(i).padStart(3, '0')}`, 'AdministratorAccess', '222222222222')),
    ],
  };
  const big = detectDrift({ desired, live: many, plan: buildPlan({ desired, live: many, now: NOW }), now: NOW, privilege: privilegeModel() });

  it('replaces the findings by counts by account, permission set and group (under the counts by risk), and says where the whole report is', () => {
    const md = renderDriftMarkdown(big, { maxChars: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toContain('| 🔴 High | 400 |');
    expect(md).toContain('| prod-core (222222222222) | 400 | 0 | 0 |');
    expect(md).toContain('| AdministratorAccess | 400 | 0 | 0 |');
    expect(md).not.toMatch(/^- \*\*added\*\*/m);
    expect(md).toMatch(/> This drift report is longer than fits here \([\d,]+ characters\), so its detail is replaced by counts by account, permission set and group\. Run `gatehouse drift --format markdown --max-chars 0` for the whole drift report\./);
    expect(renderDriftMarkdown(big, { maxChars: 20_000, whole: { where: 'job-summary' } })).toContain('The whole drift report is in the job summary of this workflow run.');
    expect(renderDriftMarkdown(big).length).toBeGreaterThan(20_000);
  });
});

describe('renderDriftJson', () => {
  it('is stable and versioned', () => {
    const body = JSON.parse(renderDriftJson(report));
    expect(body.format_version).toBe(1);
    expect(body.clean).toBe(false);
    expect(body.summary).toEqual({ total: 2, high: 1, medium: 0, low: 1 });
    expect(Object.keys(body.findings[0])).toEqual(['risk', 'kind', 'entity', 'key', 'account', 'detail', 'fields', 'live', 'desired', 'risk_reason']);
    expect(body.findings[0].account).toEqual({ id: '222222222222', name: 'prod-core' });
    expect(renderDriftJson(report)).toBe(renderDriftJson(detectDrift({ desired, live, plan: buildPlan({ desired, live, now: NOW }), now: NOW, privilege: privilegeModel() })));
    expect(JSON.parse(renderDriftJson(clean))).toEqual({ format_version: 1, clean: true, summary: { total: 0, high: 0, medium: 0, low: 0 }, findings: [] });
  });
});
