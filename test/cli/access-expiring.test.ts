import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

let tmp: ReturnType<typeof tempDir>;
let config: string;
// The CLI reads the real clock, so the expiry is written relative to now.
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

beforeAll(() => {
  tmp = tempDir();
  config = path.join(tmp.dir, 'acme');
  cpSync(path.join(repoRoot, 'examples', 'acme'), config, { recursive: true });
  const file = path.join(config, 'assignments.yaml');
  writeFileSync(
    file,
    readFileSync(file, 'utf8') +
      `\n  - users: [heidi@acme.example]\n    permissionSets: [ReadOnly]\n    accounts: [prod-data]\n    expires: ${inDays(5)}\n    reason: audit support\n`,
  );
});
afterAll(() => tmp.cleanup());

describe('gatehouse access --expiring', () => {
  it('lists the grants that end within the span, with the rule that grants them', () => {
    const r = gatehouse(['access', '--expiring', '14d', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1 grant ends within 14d:\n/);
    expect(r.stdout).toMatch(/heidi@acme\.example {2}ReadOnly in prod-data \(\d{12}\)/);
    expect(r.stdout).toMatch(/direct at .*assignments\.yaml:\d+ — audit support/);
    // victor's vendor access ends 2027-03-31: inside a year, not inside 14 days.
    expect(r.stdout).not.toContain('victor');
  });

  it('json lists them with a format_version; a bad span is an error', () => {
    const r = gatehouse(['access', '--expiring', '2w', '--format', 'json', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { format_version: number; grants: { userName: string }[] };
    expect(doc.format_version).toBe(1);
    expect(doc.grants.map((g) => g.userName)).toEqual(['heidi@acme.example']);
    const bad = gatehouse(['access', '--expiring', 'soon', '--config', config, '--store', `sqlite:${tmp.dir}/live.db`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid --expiring "soon"');
  });
});
