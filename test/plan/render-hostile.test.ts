import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import type { Plan } from '../../src/plan/plan.js';
import { renderPlanJson } from '../../src/plan/render-json.js';
import { renderPlanMarkdown } from '../../src/plan/render-markdown.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { forgedLines, HOSTILE, RAW_CONTROL } from '../output/hostile.js';
import { desiredState, group, liveMatching, permissionSet, settings, user, liveState, liveGroup } from './builders.js';
import { NOW } from './scenario.js';

// Every plan format, fed a plan whose names and diagnostics hold control characters, Markdown
// structure and workflow commands (issue #13). Nothing of it may act on the reader.

const desired = desiredState({
  settings: settings({ ownership: { groups: 'keep' } }),
  users: [user('alice', { displayName: HOSTILE })],
  groups: [group(HOSTILE, { description: HOSTILE })],
  memberships: [{ groupName: HOSTILE, userName: 'alice' }],
  permissionSets: [permissionSet('Ops', { description: HOSTILE })],
});
const built = buildPlan({ desired, live: liveState({ groups: [liveGroup(group(`${HOSTILE}-unmanaged`))] }), now: NOW });
const plan: Plan = {
  ...built,
  diagnostics: [{ severity: 'warning', rule: 'hostile', message: `about ${HOSTILE}`, source: { file: `dir/${HOSTILE}.yaml`, line: 3, col: 4 } }],
};

describe('plan renderers with a hostile name', () => {
  it('has something to render: the hostile name is in changes, unmanaged objects and diagnostics', () => {
    expect(built.summary.add).toBeGreaterThanOrEqual(3);
    expect(built.unmanaged.map((u) => u.key).join()).toContain('-unmanaged');
  });

  it('text: no control character but its own newlines, no forged line, the name shown escaped', () => {
    for (const color of [false, true]) {
      const text = renderPlanText(plan, { color });
      const withoutOwnColours = text.replace(/\u001b\[\d+m/g, '');
      expect(withoutOwnColours).not.toMatch(RAW_CONTROL);
      expect(forgedLines(text)).toEqual([]);
      expect(text).toContain('ops\\x1B[31mred\\x1B[8mhidden\\x00nul\\x9B2J\\x0AFORGED');
    }
  });

  it('markdown: no control character, no forged line, names only inside code, no HTML or mention outside it', () => {
    const md = renderPlanMarkdown(plan);
    expect(md).not.toMatch(RAW_CONTROL);
    expect(forgedLines(md)).toEqual([]);
    // Outside fenced blocks and code spans, nothing of the name survives as markup.
    const outside = stripCode(md);
    expect(outside).not.toContain('<img');
    expect(outside).not.toContain('@acme');
    expect(outside).not.toContain('[click]');
    // The diagnostic's code span is fenced longer than the backtick runs inside it.
    const diagnostic = md.split('\n').find((l) => l.startsWith('- `'))!;
    expect(diagnostic).toMatch(/^- ``` .* ```$/);
    // The table has its 4 columns on every row.
    for (const row of md.split('\n').filter((l) => l.startsWith('|'))) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
  });

  it('json: valid, lossless, and no raw control or bidi character in the text', () => {
    const json = renderPlanJson(plan);
    expect(json).not.toMatch(RAW_CONTROL);
    const doc = JSON.parse(json) as { changes: { target: string }[]; diagnostics: { file: string; message: string }[] };
    expect(doc.changes.map((c) => c.target).join('\n')).toContain(HOSTILE);
    expect(doc.diagnostics[0]!.file).toBe(`dir/${HOSTILE}.yaml`);
    expect(doc.diagnostics[0]!.message).toBe(`about ${HOSTILE}`);
  });

  it('numbers waves 1, 2, 3 as shown, and says "1 change"', () => {
    const only = buildPlan({ desired: desiredState({ permissionSets: [permissionSet('A')], groups: [group('g')] }), live: liveMatching(desiredState()), now: NOW });
    const text = renderPlanText(only);
    expect(text).toContain('Wave 1: create principals and permission sets (2 changes)');
    const later = buildPlan({
      desired: desiredState({ permissionSets: [permissionSet('A')] }),
      live: liveMatching(desiredState({ permissionSets: [permissionSet('A')], groups: [group('old')] })),
      now: NOW,
    });
    const laterText = renderPlanText(later);
    expect(laterText).toMatch(/^Wave 1: delete groups \(1 change\)$/m);
    expect(laterText).not.toMatch(/Wave [2-9]/);
    expect((JSON.parse(renderPlanJson(later)) as { changes: { wave: number }[] }).changes[0]!.wave).toBe(1);
  });
});

/** Markdown with fenced blocks and code spans removed. */
function stripCode(md: string): string {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of md.split('\n')) {
    const m = /^\s*(`{3,})/.exec(line);
    if (fence) {
      if (m && m[1] === fence) fence = undefined;
      continue;
    }
    if (m) {
      fence = m[1];
      continue;
    }
    lines.push(line.replace(/(`+)(?:(?!\1).)*?\1/g, ''));
  }
  return lines.join('\n');
}
