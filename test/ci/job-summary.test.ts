// The job summary holds 1 MiB per step (docs.github.com, "Adding a job summary"): bytes, while the
// Markdown budgets count characters; earlier output of the step counts too.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendJobSummary, fitJobSummary, jobSummaryRoom } from '../../src/ci/job-summary.js';
import { fitTableMarkdown } from '../../src/output/markdown-budget.js';
import { tempDir } from '../helpers/cli.js';

const tmp = tempDir('gatehouse-summary-');
afterAll(() => tmp.cleanup());

describe('the job summary', () => {
  it('fits in bytes, not characters: a table of 4-byte emoji is cut to the room left after earlier output', () => {
    const file = path.join(tmp.dir, 'summary.md');
    writeFileSync(file, 'x'.repeat(1024 * 1024 - 200_000));
    const room = jobSummaryRoom(file);
    expect(room).toBe(200_000 - 1);
    // 40,000 rows of 6 characters each, 240,000 characters, but 🔺 is 2 UTF-16 units and 4 bytes.
    const table = ['| a | b |', '|---|---|', ...Array.from({ length: 40_000 }, () => '| 🔺 |')].join('\n');
    const rendered = fitJobSummary(room, (budget) => fitTableMarkdown(table, [{ sign: '+', account: 'x' }], 'table', budget, { where: 'command', command: 'x' }).text);
    expect(rendered.length).toBeLessThanOrEqual(room);
    expect(Buffer.byteLength(rendered)).toBeLessThanOrEqual(room);
    // Characters alone would have let it overflow.
    expect(Buffer.byteLength(fitTableMarkdown(table, [], 'table', room, { where: 'command', command: 'x' }).text)).toBeGreaterThan(room);
    appendJobSummary(file, rendered);
    expect(readFileSync(file).length).toBeLessThanOrEqual(1024 * 1024);
  });

  it('cuts a table between rows and keeps its header; the count of what is left out ends the table', () => {
    const table = ['Before.', '', '| a | b |', '|---|---|', ...Array.from({ length: 1000 }, (_, i) => `| ${i} | row |`), ''].join('\n');
    const { text, complete } = fitTableMarkdown(table, [], 'table', 3_000, { where: 'file', path: 'all.md' });
    expect(complete).toBe(false);
    expect(text.length).toBeLessThanOrEqual(3_000);
    expect(text.startsWith('Before.\n')).toBe(true);
    expect(text).toContain('The whole table is in all.md.');
    expect(text).toMatch(/\| a \| b \|\n\|---\|---\|\n\| 0 \| row \|/);
    const kept = text.match(/^\| \d+ \| row \|$/gm)!.length;
    expect(text.trimEnd().endsWith(`| ${kept - 1} | row |\n\n_…and ${1000 - kept} more rows not shown here._`)).toBe(true);
  });
});
