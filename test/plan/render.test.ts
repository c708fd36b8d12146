import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/plan/build-plan.js';
import { renderPlanJson } from '../../src/plan/render-json.js';
import { renderPlan } from '../../src/plan/render-plan.js';
import { renderPlanMarkdown } from '../../src/plan/render-markdown.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { desiredState, liveMatching, permissionSet, user } from './builders.js';
import { expectGolden } from './golden.js';
import { NOW, scenarioDesired, scenarioLive } from './scenario.js';

const plan = buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: '4b825dc642cb6eb9a060e54bf8d69288fbee4904' });

describe('renderPlanText', () => {
  it('matches the golden text plan of the rich scenario', () => {
    expectGolden(renderPlanText(plan), 'scenario.txt');
  });

  it('shows a whitespace-only reformatting of an inline policy as no change', () => {
    const text = renderPlanText(plan);
    expect(text).not.toContain('permission set ReadOnly\n');
    expect(text).toContain('~ permission set AdministratorAccess');
  });

  it('ends with the Terraform-style summary', () => {
    expect(renderPlanText(plan).trimEnd().split('\n').at(-1)).toBe(
      `Plan: ${plan.summary.add} to add, ${plan.summary.change} to change, ${plan.summary.destroy} to destroy.`,
    );
  });

  it('says there is nothing to do when live matches', () => {
    const desired = desiredState({ permissionSets: [permissionSet('ReadOnly')] });
    const empty = buildPlan({ desired, live: liveMatching(desired), now: NOW });
    expectGolden(renderPlanText(empty), 'no-changes.txt');
    expect(renderPlanText(empty)).toBe('No changes. Live state matches the configuration.\n');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderPlanText(plan)).not.toContain('\u001b[');
    const coloured = renderPlanText(plan, { color: true });
    expect(coloured).toContain('\u001b[32m+\u001b[0m');
    expect(coloured).toContain('\u001b[31m-\u001b[0m');
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderPlanText(plan));
  });
});

describe('renderPlanMarkdown', () => {
  it('matches the golden pull request comment of the rich scenario', () => {
    expectGolden(renderPlanMarkdown(plan), 'scenario.md');
  });

  it('keeps a huge plan under the GitHub comment limit', () => {
    const many = Array.from({ length: 3000 }, (_, i) => permissionSet(`PS${String(i).padStart(4, '0')}`));
    const big = buildPlan({ desired: desiredState({ permissionSets: many }), live: liveMatching(desiredState()), now: NOW });
    const md = renderPlanMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(60_000);
    expect(md).toContain('### Gatehouse plan: 3000 to add, 0 to change, 0 to destroy');
    // Over the budget the sections are replaced by counts, not shortened to their first lines.
    expect(md).toMatch(/\| Permission set \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| PS0000 \| 1 \| 0 \| 0 \|/);
    expect(md).not.toContain('PS0000\n');
    expect(md).not.toContain('not shown');
    expect(md).toContain('Run `gatehouse plan --format markdown --max-chars 0` for the whole plan.');
  });

  it('shows every line of a long section when the whole plan fits its budget', () => {
    // 150 permission sets, more than the 400 lines per section the renderer used to keep.
    const many = Array.from({ length: 150 }, (_, i) => permissionSet(`PS${String(i).padStart(4, '0')}`));
    const big = buildPlan({ desired: desiredState({ permissionSets: many }), live: liveMatching(desiredState()), now: NOW });
    const md = renderPlanMarkdown(big, { maxChars: 1_000_000 });
    expect(md.split('\n').length).toBeGreaterThan(400);
    for (const ps of many) expect(md).toContain(`+ permission set ${ps.name}`);
    expect(md).not.toMatch(/not shown|cut here|\[!NOTE\]/);
  });

  it('renders a first plan of 150,000 changes: counts within the budget, and every line with no limit', () => {
    // A spread of 150,000 lines into one call overflowed the stack (plan --format markdown of
    // bench M exited 1 with "Maximum call stack size exceeded"); under the budget only enough
    // changes to pass it are described before the counts replace them.
    const users = Array.from({ length: 150_000 }, (_, i) => user(`u${String(i).padStart(6, '0')}@example.com`));
    const big = buildPlan({ desired: desiredState({ users }), live: liveMatching(desiredState()), now: NOW });
    const budgeted = renderPlanMarkdown(big, { maxChars: 60_000 });
    expect(budgeted.length).toBeLessThanOrEqual(60_000);
    expect(budgeted).toContain('150000 to add');
    const whole = renderPlanMarkdown(big, { maxChars: Infinity });
    expect(whole).toContain('+ user u149999@example.com');
    expect(whole.split('\n').filter((l) => l.startsWith('+ user ')).length).toBe(150_000);
  });
});

describe('renderPlanJson', () => {
  it('lists every change with its wave, action and target under a format_version', () => {
    const doc = JSON.parse(renderPlanJson(plan));
    expect(doc.format_version).toBe(1);
    expect(doc.plan_id).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.changes).toHaveLength(plan.summary.add + plan.summary.change + plan.summary.destroy);
    expect(doc.changes[0]).toMatchObject({ wave: 1, action: expect.any(String), target: expect.any(String) });
    expect(Object.keys(doc.changes[0])).toEqual([...Object.keys(doc.changes[0])].sort());
    expect(renderPlanJson(plan)).toBe(renderPlanJson(buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: plan.gitCommit })));
  });
});

describe('renderPlanMarkdown code blocks', () => {
  it('fences a policy containing backticks so it cannot end the block early', () => {
    const tricky = permissionSet('Tricky', {
      inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'a```b', Effect: 'Deny', Action: '*', Resource: '*' }] }),
    });
    const md = renderPlanMarkdown(buildPlan({ desired: desiredState({ permissionSets: [tricky] }), live: liveMatching(desiredState()), now: NOW }));
    expect(md).toContain('````diff');
    expect(md).toContain('"Sid": "a```b"');
  });
});

describe('renderPlan', () => {
  it('dispatches on --format', () => {
    expect(renderPlan(plan, 'text')).toBe(renderPlanText(plan));
    expect(renderPlan(plan, 'markdown')).toBe(renderPlanMarkdown(plan));
    expect(renderPlan(plan, 'json')).toBe(renderPlanJson(plan));
  });
});
