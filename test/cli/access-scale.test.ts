import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, tempDir } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';

// `access` and `report access --format csv|md` list every (user, account, permission set): at
// bench M that is 8.8 million grants, which as objects did not fit in a 4 GB heap (issue 11).
// They now go out user by user. Here 3,000 users reach 100 accounts with two permission sets
// (600,000 grants: 75 MB of text, 240 MB of CSV) under a 64 MB heap, where the previous
// effectiveAccess ran out of memory for both commands; user by user the live heap stays near 27 MB.

const USERS = 3000;
const ACCOUNTS = 100;
const GRANTS = USERS * ACCOUNTS * 2;
const HEAP_MB = 64;

let tmp: { dir: string; cleanup: () => void };
let config: string;
beforeAll(() => {
  tmp = tempDir();
  config = path.join(tmp.dir, 'config');
  writeGeneratedConfig(config, { users: USERS, groups: 3, accounts: ACCOUNTS });
});
afterAll(() => tmp.cleanup());

/** Runs the CLI under a small heap, counting output lines without keeping them. */
function run(args: readonly string[]): Promise<{ code: number; lines: number; last: string; stderr: string }> {
  const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, cliPath, ...args], {
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let lines = 0;
  let tail = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    tail = (tail + text).slice(-300);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, lines, last: tail, stderr })));
}

describe('effective access of a large organisation, user by user', () => {
  it('access lists every grant within a small heap', async () => {
    const r = await run(['access', '--config', config, '--store', `sqlite:${tmp.dir}/none.db`]);
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.code, r.stderr).toBe(0);
    expect(r.last).toContain(`\n${GRANTS} grants.\n`);
    // One line per grant, a blank line and the count.
    expect(r.lines).toBe(GRANTS + 2);
  }, 120_000);

  it('report access --format csv writes every row within a small heap', async () => {
    const out = path.join(tmp.dir, 'review.csv');
    const r = await run(['report', 'access', '--format', 'csv', '--out', out, '--config', config, '--store', `sqlite:${tmp.dir}/none.db`]);
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).size).toBeGreaterThan(GRANTS * 100);
    const head = readFileSync(out, 'utf8').slice(0, 2000).split('\r\n');
    expect(head[0]).toMatch(/^review_date,user,/);
    expect(head[1]).toContain('user00000@example.com');
  }, 120_000);
});
