import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import { renderDriftJson } from '../../src/drift/render-drift-json.js';
import { renderDriftMarkdown } from '../../src/drift/render-drift-markdown.js';
import { renderDriftText } from '../../src/drift/render-drift-text.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { forgedLines, HOSTILE, RAW_CONTROL } from '../output/hostile.js';
import { assignment, converged, desired, NOW } from './fixture.js';

// Drift comes from a live store anyone with console access could edit: a group made by hand with
// a hostile name, and a hostile description on a managed permission set (issue #13).
const live: LiveState = {
  ...converged,
  groups: [...converged.groups, { id: 'id-evil', displayName: HOSTILE }],
  permissionSets: converged.permissionSets.map((p) => (p.name === 'ReadOnly' ? { ...p, description: HOSTILE } : p)),
  assignments: [...converged.assignments, assignment('GROUP', HOSTILE, 'AdministratorAccess', '222222222222')],
};
const report = detectDrift({ desired, live, plan: buildPlan({ desired, live, now: NOW }), now: NOW, privilege: privilegeModel() });

describe('drift renderers with a hostile name', () => {
  it('finds the hostile objects', () => {
    expect(report.findings.some((f) => f.key.includes(HOSTILE))).toBe(true);
  });

  it('text: no control character but its own newlines, no forged line', () => {
    const text = renderDriftText(report);
    expect(text).not.toMatch(RAW_CONTROL);
    expect(forgedLines(text)).toEqual([]);
    expect(text).toContain('\\x1B[31mred');
  });

  it('markdown: no control character, no forged line, no HTML, mention or link outside code', () => {
    const md = renderDriftMarkdown(report);
    expect(md).not.toMatch(RAW_CONTROL);
    expect(forgedLines(md)).toEqual([]);
    const prose = md.split('\n').filter((l) => !l.trimStart().startsWith('"') && !l.trimStart().startsWith('`'));
    for (const line of prose) {
      const outsideCode = line.replace(/(`+)(?:(?!\1).)*?\1/g, '');
      expect(outsideCode).not.toContain('<img');
      expect(outsideCode).not.toMatch(/(^|[^;])@acme/);
      expect(outsideCode).not.toMatch(/(^|[^\\])\[click/);
      expect(outsideCode).not.toMatch(/(^|[^\\])\|pipe/);
    }
  });

  it('json: valid, lossless, no raw control or bidi character', () => {
    const json = renderDriftJson(report);
    expect(json).not.toMatch(RAW_CONTROL);
    const doc = JSON.parse(json) as { findings: { key: string; detail: string }[] };
    expect(doc.findings.some((f) => f.key.includes(HOSTILE))).toBe(true);
  });
});
