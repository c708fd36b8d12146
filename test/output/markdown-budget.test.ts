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
  const doc = { head: '### Plan', body: Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n'), tally: entries, what: 'plan', tail: '<sub>digest</sub>' };

  it('keeps a document that fits whole, with no note', () => {
    const fitted = fitMarkdown(doc, 100_000, { where: 'job-summary' });
    expect(fitted).toMatchObject({ complete: true, shortened: 'no' });
    expect(fitted.text).not.toContain('[!NOTE]');
  });

  it('over its budget, replaces the detail by the counts (nothing cut while they fit) and says so, and where the whole text is', () => {
    const fitted = fitMarkdown(doc, 2_000, { where: 'job-summary', url: 'https://github.example/o/r/actions/runs/7' });
    expect(fitted).toMatchObject({ complete: false, shortened: 'summarised' });
    expect(fitted.text.length).toBeLessThanOrEqual(2_000);
    // Every row of the summary, and none of the detail: not its first lines either.
    expect(fitted.text).toContain(renderTally(entries, Infinity));
    expect(fitted.text).not.toMatch(/^line \d+$/m);
    const length = [doc.head, doc.body, doc.tail].join('\n\n').length + 1;
    expect(fitted.text).toContain(`> This plan is longer than fits here (${length.toLocaleString('en-US')} characters), so its detail is replaced by counts by account, permission set and group. The whole plan is in the job summary of [this workflow run](https://github.example/o/r/actions/runs/7).`);
    expect(fitted.text).not.toMatch(/cut|beginning/);
    expect(fitted.text.startsWith('### Plan\n')).toBe(true);
    expect(fitted.text).toContain('<sub>digest</sub>');
    expect(fitMarkdown(doc, 2_000, { where: 'file', path: 'plan.json', read: 'gatehouse show plan.json --format markdown --max-chars 0' }).text).toContain(
      'The whole plan is in plan.json (`gatehouse show plan.json --format markdown --max-chars 0` prints it).',
    );
  });

  it('cuts the summary to its largest rows only when the whole summary does not fit, and says so', () => {
    const wide: TallyEntry[] = Array.from({ length: 300 }, (_, i) => ({ sign: '+', account: `account-number-${String(i).padStart(3, '0')}`, permissionSet: 'Admin' }));
    const fitted = fitMarkdown({ ...doc, tally: wide }, 2_000, { where: 'command', command: 'gatehouse plan --format markdown --max-chars 0' });
    expect(fitted.shortened).toBe('summary-cut');
    expect(fitted.text.length).toBeLessThanOrEqual(2_000);
    expect(fitted.text).toMatch(/so its detail is replaced by counts by account, permission set and group, and even those are cut to the largest \d+ of each\. Run `gatehouse plan --format markdown --max-chars 0` for the whole plan\./);
    expect(fitted.text).toMatch(/\| _\d+ more_ \| \d+ \| 0 \| 0 \|/);
    expect(fitted.text).not.toMatch(/^line \d+$/m);
  });

  it('cuts between whole blocks, and counts what it left out, when there is nothing to count by', () => {
    const blocks = Array.from({ length: 100 }, (_, i) => `- finding ${i}\n  detail`);
    const fitted = fitMarkdown({ head: '## Drift', body: blocks, tally: [], what: 'drift report', blocksAre: 'findings' }, 800, { where: 'command', command: 'gatehouse drift --max-chars 0' });
    expect(fitted.shortened).toBe('cut');
    const shown = fitted.text.match(/^- finding/gm)!.length;
    expect(fitted.text).toContain(`_…and ${100 - shown} more findings not shown here._`);
    expect(fitted.text).toContain('so only its beginning is shown. Run `gatehouse drift --max-chars 0` for the whole drift report.');
    expect(fitted.text).not.toMatch(/summar|counts/);
    expect(fitted.text.length).toBeLessThanOrEqual(800);
  });
});
