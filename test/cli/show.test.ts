import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

const config = path.join(repoRoot, 'examples', 'acme');
let tmp: ReturnType<typeof tempDir>;
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('gatehouse show', () => {
  it('prints a saved plan exactly as plan printed it, in every format, without config or store', () => {
    const planFile = path.join(tmp.dir, 'plan.json');
    for (const format of ['text', 'markdown', 'json']) {
      const plan = gatehouse(['plan', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`, '--format', format, '--out', planFile]);
      expect(plan.code).toBe(0);
      const shown = gatehouse(['show', planFile, '--format', format], { cwd: tmp.dir });
      expect(shown.code).toBe(0);
      // The privilege section is worked out from config and live state when the plan is made
      // and is not saved in plan files, so a saved plan shows everything else, byte for byte.
      const expected = format === 'markdown' ? plan.stdout.replace(/\*\*Privilege:\*\*[\s\S]*?\n\n\n/, '') : plan.stdout;
      if (format === 'markdown') expect(plan.stdout).toContain('**Privilege:**');
      expect(shown.stdout).toBe(expected);
    }
    expect(gatehouse(['show', planFile, '--detailed-exitcode'], { cwd: tmp.dir }).code).toBe(2);
  });

  it('a file that is not a plan is an error naming it', () => {
    const bad = path.join(tmp.dir, 'bad.json');
    writeFileSync(bad, '{"format_version": 99}');
    const r = gatehouse(['show', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json is not a usable plan file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = gatehouse(['show', path.join(tmp.dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read plan file');
  });
});
