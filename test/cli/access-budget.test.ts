// Every Markdown output fits a budget (issue #10), the access diff included: a 2-line change in
// a mid-size organisation gave a 255 KB diff, over GitHub's 65,536 characters per comment. Over
// --max-chars its rows are replaced by counts by account, permission set and group, and it says
// where the whole text is: the --out file, the job summary (--github, 1 MiB per step), or the
// command that writes it. On a real git repository, as a pull request job has.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';

const tmp = tempDir('gatehouse-access-budget-');
const repo = path.join(tmp.dir, 'repo');
const store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
// 400 users in 4 groups, each group granted ReadOnly and Deploy on 6 accounts: 4,800 grants.
const GRANTS = 400 * 6 * 2;

beforeAll(async () => {
  writeGeneratedConfig(path.join(repo, 'identity'), { users: 400, groups: 4, accounts: 6 });
  const assignments = path.join(repo, 'identity', 'assignments.yaml');
  const change = readFileSync(assignments, 'utf8');
  writeFileSync(assignments, 'assignments: []\n');
  const git = simpleGit(repo);
  await git.init();
  await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'Test');
  await git.add('.').commit('before');
  // The pull request: the one assignment rule, four lines.
  writeFileSync(assignments, change);
});
afterAll(() => tmp.cleanup());

const access = (args: string[], env: Record<string, string> = {}) =>
  gatehouseAsync(['access', '--config', 'identity', '--base', 'HEAD', '--store', store, '--format', 'markdown', ...args], { cwd: repo, env }).done;
const gains = (text: string) => (text.match(/^\| ➕ gains \|/gm) ?? []).length;

describe('access --base --format markdown over its budget', () => {
  it('has its rows replaced by counts by account, permission set and group, and says how to get the whole diff', async () => {
    const r = await access([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(60_000);
    expect(r.stdout).toContain('**Effective access:** 4800 gained, 0 lost.');
    expect(r.stdout).toMatch(/> This access diff is longer than fits here \([\d,]+ characters\), so its detail is replaced by counts by account, permission set and group\. Run `gatehouse access --base HEAD --config identity --store sqlite:\S+\/live\.db --format markdown --max-chars 0` for the whole access diff\./);
    expect(r.stdout).toMatch(/\| Account \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| workload-\d{3} \(\d{12}\) \| 800 \| 0 \| 0 \|/);
    expect(r.stdout).toMatch(/\| Permission set \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| (Deploy|ReadOnly) \| 2400 \| 0 \| 0 \|/);
    expect(r.stdout).toMatch(/\| Group \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| team-[a-d]0 \| 1200 \| 0 \| 0 \|/);
    // The counts fit, so nothing is cut: no first rows of the table, and every count is there.
    expect(gains(r.stdout)).toBe(0);
    expect(r.stdout).not.toMatch(/_\d+ more_|not shown here/);
  });

  it('writes the whole diff to --out and points there; --max-chars sets the budget', async () => {
    const out = path.join(tmp.dir, 'access-full.md');
    const r = await access(['--max-chars', '20000', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(20_000);
    expect(r.stdout).toContain(`The whole access diff is in ${out}.`);
    const whole = readFileSync(out, 'utf8');
    expect(gains(whole)).toBe(GRANTS);
    expect(whole.length).toBeGreaterThan(255_000);
    expect(whole).not.toContain('longer than fits here');
    const unbounded = await access(['--max-chars', '100000000']);
    expect(unbounded.stdout).toBe(whole);
    // The command the note names prints the same whole diff.
    const named = /Run `gatehouse (access [^`]+)` for the whole access diff/.exec((await access([])).stdout)![1]!.split(' ');
    const rerun = await gatehouseAsync(named, { cwd: repo }).done;
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stdout).toBe(whole);
  });

  it('with --github puts the whole diff in the job summary, after what the step wrote before, and points there', async () => {
    const summary = path.join(tmp.dir, 'summary.md');
    writeFileSync(summary, '# earlier step output\n');
    const r = await access(['--github'], {
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: 'acme/infra',
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_WORKSPACE: repo,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.length).toBeLessThanOrEqual(60_000);
    expect(r.stdout).toContain('The whole access diff is in the job summary of [this workflow run](https://github.example/acme/infra/actions/runs/42).');
    const whole = readFileSync(summary, 'utf8');
    expect(whole.startsWith('# earlier step output\n')).toBe(true);
    expect(gains(whole)).toBe(GRANTS);
    expect(Buffer.byteLength(whole)).toBeLessThanOrEqual(1024 * 1024);
  });

  it('fits the access list too (streamed user by user: counted as it goes, its beginning kept), and refuses a budget too small to say anything', async () => {
    const out = path.join(tmp.dir, 'list.md');
    const list = await gatehouseAsync(['access', '--config', 'identity', '--store', store, '--format', 'markdown', '--max-chars', '30000', '--out', out], { cwd: repo }).done;
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout.length).toBeLessThanOrEqual(30_000);
    expect(list.stdout).toMatch(/> This access list is longer than fits here \([\d,]+ characters\), so its detail is replaced by counts by account, permission set and group\. The whole access list is in .*list\.md\./);
    expect(list.stdout).toMatch(/\| Group \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| team-[a-d]0 \| 1200 \| 0 \| 0 \|/);
    expect(list.stdout).not.toMatch(/^\| user\d+/m);
    const whole = readFileSync(out, 'utf8');
    expect(whole.match(/^\| user\d+/gm)).toHaveLength(GRANTS);
    expect(list.stdout).toContain(`(${whole.length.toLocaleString('en-US')} characters)`);
    const tiny = await access(['--max-chars', '50']);
    expect(tiny.code).toBe(1);
    expect(tiny.stderr.trim()).toBe('Error: --max-chars must be a whole number of characters, at least 1000 (or 0 for no limit), not "50"');
    // --max-chars 0: the whole list, streamed as it is rendered.
    const unbounded = await gatehouseAsync(['access', '--config', 'identity', '--store', store, '--format', 'markdown', '--max-chars', '0'], { cwd: repo }).done;
    expect(unbounded.code, unbounded.stderr).toBe(0);
    expect(unbounded.stdout).toBe(whole);
  });
});
