import { describe, expect, it } from 'vitest';
import { cutMarkdown, fitMarkdown, renderTally, type TallyEntry } from '../../src/output/markdown-budget.js';

const entries: TallyEntry[] = [
  ...Array.from({ length: 30 }, (_, i): TallyEntry => ({ sign: '+', account: `acct-${i % 12}`, permissionSet: 'Admin', group: 'ops' })),
  { sign: '-', account: 'acct-0', permissionSet: 'ReadOnly' },
  { sign: '~', permissionSet: 'Admin' },
];

describe('renderTally', () => {
  it('counts by account, permission set and group, largest first, the rest in one row', () => {
    const md = renderTally(entries, 3);
    expect(md).toContain('| Account | + | ~ | - |');
    expect(md).toContain('| acct-0 | 3 | 0 | 1 |');
    expect(md).toContain('| _9 more_ | 21 | 0 | 0 |');
    expect(md).toContain('| Admin | 30 | 1 | 0 |');
    expect(md).toContain('| ops | 30 | 0 | 0 |');
  });
});

describe('cutMarkdown', () => {
  it('cuts at a line and closes an open code block and <details>', () => {
    const body = ['<details><summary>Users</summary>', '', '````diff', ...Array.from({ length: 100 }, (_, i) => `+ user ${i}`), '````', '</details>'].join('\n');
    const cut = cutMarkdown(body, 300);
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut.trimEnd().split('\n').slice(-3)).toEqual(['````', '…', '</details>']);
    expect(cutMarkdown(body, 10_000)).toBe(body);
  });
});

describe('fitMarkdown', () => {
  it('keeps a document that fits, and otherwise summarises, cuts and says where the whole text is', () => {
    const doc = { head: '### Plan', body: Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n'), tally: entries, what: 'plan', tail: '<sub>digest</sub>' };
    expect(fitMarkdown(doc, 100_000, { where: 'job-summary' })).toMatchObject({ complete: true, bodyComplete: true });
    const fitted = fitMarkdown(doc, 2_000, { where: 'job-summary', url: 'https://github.example/o/r/actions/runs/7' });
    expect(fitted.text.length).toBeLessThanOrEqual(2_000);
    expect(fitted.complete).toBe(false);
    expect(fitted.text.indexOf('| Account |')).toBeLessThan(fitted.text.indexOf('line 0'));
    expect(fitted.text).toContain('The whole plan is in the job summary of [this workflow run](https://github.example/o/r/actions/runs/7).');
    expect(fitted.text).toContain('<sub>digest</sub>');
    expect(fitMarkdown(doc, 2_000, { where: 'file', path: 'plan.md' }).text).toContain('The whole plan is in plan.md.');
  });

  it('cuts between whole blocks and counts what it left out', () => {
    const blocks = Array.from({ length: 100 }, (_, i) => `- finding ${i}\n  detail`);
    const fitted = fitMarkdown({ head: '## Drift', body: blocks, tally: [], what: 'drift report', blocksAre: 'findings' }, 800, { where: 'command', command: 'gatehouse drift' });
    const shown = fitted.text.match(/^- finding/gm)!.length;
    expect(fitted.text).toContain(`_…and ${100 - shown} more findings not shown here._`);
    expect(fitted.text.length).toBeLessThanOrEqual(800);
  });
});
