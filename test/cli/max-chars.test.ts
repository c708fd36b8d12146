// `--max-chars` means the same on plan, drift and access (src/cli/markdown-budget-option.ts):
// the Markdown printed fits it, summarised by account, permission set and group before it is
// cut, and says where the whole text is. Drift's Markdown had no budget at all before.
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
  it('fits plan --format markdown (60,000 by default, as before)', async () => {
    const r = await run(['plan', '--format', 'markdown', '--max-chars', '5000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(5_000);
    // The plan's renderer shows fewer lines per section before it summarises and cuts.
    expect(r.stdout).toMatch(/^… \d+ more changes not shown/m);
    const unbounded = await run(['plan', '--format', 'markdown', '--max-chars', '100000000']);
    expect(unbounded.stdout.length).toBeGreaterThan(20_000);
  });

  it('fits drift --format markdown, which says the text report is whole', async () => {
    const whole = await run(['drift', '--format', 'markdown', '--max-chars', '100000000']);
    expect(whole.code, whole.stderr).toBe(2);
    expect(whole.stdout.length).toBeGreaterThan(60_000);
    const r = await run(['drift', '--format', 'markdown']);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBeLessThanOrEqual(60_000);
    expect(r.stdout).toContain('Run `gatehouse drift --format text` for the whole drift report.');
    const small = await run(['drift', '--format', 'markdown', '--max-chars', '4000']);
    expect(small.stdout.length).toBeLessThanOrEqual(4_000);
    expect(small.stdout).toMatch(/_…and [\d,]+ more findings not shown here\._/);
  });

  it('is refused below what a summary needs, on every command', async () => {
    for (const command of [['plan'], ['drift'], ['access']]) {
      const r = await run([...command, '--format', 'markdown', '--max-chars', '999']);
      expect(r.code, command[0]).toBe(1);
      expect(r.stderr.trim()).toBe('Error: --max-chars must be a whole number of characters, at least 1000, not "999"');
    }
  });
});
