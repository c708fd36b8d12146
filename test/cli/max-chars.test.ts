// `--max-chars` means the same on plan, show, drift and access (src/cli/markdown-budget-option.ts):
// the Markdown printed fits it, its detail replaced by counts by account, permission set and group,
// and it says where the whole text is: a file, or the command with `--max-chars 0`, never the
// command that printed the summary.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';

const tmp = tempDir('gatehouse-max-chars-');
const config = path.join(tmp.dir, 'identity');
const store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
const run = (args: string[]) => gatehouseAsync([...args, '--config', config, '--store', store], { cwd: tmp.dir }).done;

beforeAll(async () => {
  // Applied without assignments; the config then grants 800 group assignments: a large plan, and as large a drift.
  writeGeneratedConfig(config, { users: 40, groups: 4, accounts: 100 });
  const assignments = path.join(config, 'assignments.yaml');
  const granted = readFileSync(assignments, 'utf8');
  writeFileSync(assignments, 'assignments: []\n');
  const applied = await run(['apply', '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
  writeFileSync(assignments, granted);
});
afterAll(() => tmp.cleanup());

describe('--max-chars', () => {
  // What a note over the budget tells the reader to run: the same input, --max-chars 0.
  const rerun = (command: string) => `gatehouse ${command} --config ${config} --store ${store} --format markdown --max-chars 0`;

  it('fits plan --format markdown: the sections replaced by counts, never shortened, and the note names the command that prints it whole', async () => {
    const r = await run(['plan', '--format', 'markdown', '--max-chars', '5000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(5_000);
    expect(r.stdout).toContain('### Gatehouse plan: 800 to add, 0 to change, 0 to destroy');
    expect(r.stdout).toMatch(/\| Group \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| team-[a-d]\d \| 200 \| 0 \| 0 \|/);
    expect(r.stdout).not.toMatch(/^\+ assignment /m);
    expect(r.stdout).not.toContain('not shown');
    // 100 accounts: even the counts are cut to the largest rows of each.
    expect(r.stdout).toContain(`so its detail is replaced by counts by account, permission set and group, and even those are cut to the largest 10 of each. Run \`${rerun('plan')}\` for the whole plan.`);
    // Not `gatehouse plan` as it was run: that would print the same summary again.
    const whole = await gatehouseAsync(rerun('plan').split(' ').slice(1), { cwd: tmp.dir }).done;
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout.match(/^\+ assignment /gm)).toHaveLength(800);
    expect(whole.stdout).not.toContain('[!NOTE]');
    expect(whole.stdout.length).toBeGreaterThan(50_000);
  });

  it('points plan --out to the saved plan and the command that prints it', async () => {
    const out = path.join(tmp.dir, 'plan.json');
    const r = await run(['plan', '--format', 'markdown', '--max-chars', '5000', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`The whole plan is in ${out} (\`gatehouse show ${out} --format markdown --max-chars 0\` prints it).`);
    const shown = await gatehouseAsync(['show', out, '--format', 'markdown', '--max-chars', '0'], { cwd: tmp.dir }).done;
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.match(/^\+ assignment /gm)).toHaveLength(800);
  });

  it('fits drift --format markdown the same way, pointing to drift with --max-chars 0', async () => {
    const whole = await run(['drift', '--format', 'markdown', '--max-chars', '0']);
    expect(whole.code, whole.stderr).toBe(2);
    expect(whole.stdout.length).toBeGreaterThan(60_000);
    expect(whole.stdout).not.toContain('[!NOTE]');
    const r = await run(['drift', '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBeLessThanOrEqual(60_000);
    expect(r.stdout).toContain(`Run \`${rerun('drift')}\` for the whole drift report.`);
    expect(r.stdout).not.toMatch(/^- \*\*missing\*\*/m);
    const small = await run(['drift', '--format', 'markdown', '--max-chars', '4000']);
    expect(small.stdout.length).toBeLessThanOrEqual(4_000);
    expect(small.stdout).toMatch(/so its detail is replaced by counts by account, permission set and group, and even those are cut to the largest \d+ of each\./);
  });

  it('is refused below what a summary needs, on every command', async () => {
    for (const command of [['plan'], ['drift'], ['access']]) {
      const r = await run([...command, '--format', 'markdown', '--max-chars', '999']);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr.trim()).toBe('Error: --max-chars must be a whole number of characters, at least 1000 (or 0 for no limit), not "999"');
    }
  });
});
