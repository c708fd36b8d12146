import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const check = (...args: string[]) => spawnSync('node', ['scripts/gen-types.mjs', '--check', ...args], { encoding: 'utf8' });

describe('generated types', () => {
  it('src/model/generated is up to date with schemas/ (run npm run gen)', () => {
    const run = check();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the check fails when a generated file is stale', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-gen-'));
    try {
      await cp('src/model/generated', dir, { recursive: true });
      const file = join(dir, 'config.ts');
      await writeFile(file, (await readFile(file, 'utf8')).replace('userName: string;', 'userName: number;'));
      const run = check('--out', dir);
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('stale generated types: config.ts; run npm run gen\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
