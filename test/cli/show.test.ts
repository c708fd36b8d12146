import { readFileSync, writeFileSync } from 'node:fs';
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
  it('prints a saved plan exactly as plan printed it, in every format, the privilege section included, without config or store', () => {
    const planFile = path.join(tmp.dir, 'plan.json');
    for (const format of ['text', 'markdown', 'json']) {
      const plan = gatehouse(['plan', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`, '--format', format, '--out', planFile]);
      expect(plan.code).toBe(0);
      const shown = gatehouse(['show', planFile, '--format', format], { cwd: tmp.dir });
      expect(shown.code).toBe(0);
      // Plan files carry the privilege section (issue 11), so the Markdown comes back whole.
      if (format === 'markdown') expect(plan.stdout).toContain('**Privilege:**');
      expect(shown.stdout).toBe(plan.stdout);
    }
    expect(gatehouse(['show', planFile, '--detailed-exitcode'], { cwd: tmp.dir }).code).toBe(2);
  });

  it('the privilege section keeps plan files deterministic and is checked when read back', () => {
    const a = path.join(tmp.dir, 'a.json');
    const b = path.join(tmp.dir, 'b.json');
    for (const file of [a, b]) expect(gatehouse(['plan', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`, '--out', file]).code).toBe(0);
    const text = readFileSync(a, 'utf8');
    expect(text).toBe(readFileSync(b, 'utf8'));
    expect(text).toContain('"privilege": {');
    expect(text).toMatch(/"direction":"gain","from":"none","possibly":false,.*"through":"AdministratorAccess"/);
    // Someone edits who gains admin: the section no longer matches its digest.
    writeFileSync(b, text.replace(/"users":\["alice@acme\.example"/, '"users":["mallory@acme.example"'));
    expect(readFileSync(b, 'utf8')).not.toBe(text);
    const shown = gatehouse(['show', b, '--format', 'markdown']);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain('its privilege section does not match its digest');
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
