// `--github` through the real CLI against a loopback stand-in for the GitHub REST API
// (GITHUB_API_URL; test/github/fake-github.ts): the sticky plan comment (docs.github.com/rest/
// issues/comments), the job summary (GITHUB_STEP_SUMMARY, 1 MiB per step), apply of exactly
// what was reviewed (GET /repos/{owner}/{repo}/commits/{sha}/pulls finds the merged pull request),
// and the errors that name the permission a workflow token lacks.
import { appendFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';
import { fakeGitHub } from './fake-github.js';

const github = fakeGitHub();
const tmp = tempDir('gatehouse-github-');
const config = path.join(tmp.dir, 'identity');
const dbPath = path.join(tmp.dir, 'live.db');
const store = `sqlite:${dbPath}`;
const state = `sqlite:${path.join(tmp.dir, 'state.db')}`;
const summary = path.join(tmp.dir, 'summary.md');
const eventFile = path.join(tmp.dir, 'event.json');
const HEAD = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
let apiUrl: string;

const baseAssignments = readFileSync(path.join(repoRoot, 'examples', 'acme', 'assignments.yaml'), 'utf8');
const FINANCE_READS_PROD = '\n  - groups: [finance]\n    permissionSets: [ReadOnly]\n    accounts: [prod-core]\n';
const HEIDI_ADMIN_IN_PROD = '\n  - users: [heidi@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [prod-core]\n';
const FINANCE_READS_STAGING = '\n  - groups: [finance]\n    permissionSets: [ReadOnly]\n    accounts: [staging]\n';
const withAssignments = (...extra: string[]) => writeFileSync(path.join(config, 'assignments.yaml'), baseAssignments + extra.join(''));

beforeAll(async () => {
  apiUrl = await github.start();
  cpSync(path.join(repoRoot, 'examples', 'acme'), config, { recursive: true });
  const r = gatehouse(['apply', '--config', config, '--store', store, '--state', state, '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(eventFile, JSON.stringify({ action: 'synchronize', pull_request: { number: 7, head: { sha: HEAD } } }));
});
afterAll(async () => {
  await github.close();
  tmp.cleanup();
});

const env = (extra: Record<string, string> = {}) => ({
  GITHUB_TOKEN: 'test-token',
  GITHUB_REPOSITORY: 'acme/infra',
  GITHUB_API_URL: apiUrl,
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_EVENT_PATH: eventFile,
  GITHUB_SHA: HEAD,
  GITHUB_RUN_ID: '42',
  GITHUB_STEP_SUMMARY: summary,
  GITHUB_WORKSPACE: tmp.dir,
  ...extra,
});

// The fake server runs in this process: the CLI must not block it (no spawnSync while it is asked).
const run = (args: string[], extra: Record<string, string> = {}) => gatehouseAsync([...args, '--github'], { cwd: tmp.dir, env: env(extra) }).done;
const plan = (extra: Record<string, string> = {}) => run(['plan', '--config', config, '--store', store, '--state', state], extra);
const apply = (extra: Record<string, string> = {}) => run(['apply', '--config', config, '--store', store, '--state', state, '--auto-approve'], extra);

const stickyOf = (pr: number) => github.commentsOn(pr).filter((c) => c.user.type === 'Bot' && c.body.startsWith('<!-- gatehouse:plan '));

async function liveSnapshot(): Promise<string> {
  const live = await openSqliteStore(dbPath);
  try {
    return JSON.stringify(await live.snapshot());
  } finally {
    await live.close();
  }
}

describe('plan --github', () => {
  it('keeps one comment per pull request and config: created, then updated in place; blocks first, then access, summary, full plan', async () => {
    withAssignments(FINANCE_READS_PROD);
    github.humanComment(7, '<!-- gatehouse:plan config=identity instance=x -->\nI quoted the marker; do not touch me.');
    const first = await plan();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/GitHub: plan comment created on pull request #7/);
    expect(stickyOf(7)).toHaveLength(1);
    const created = stickyOf(7)[0]!.body;
    expect(created.split('\n')[0]).toMatch(/^<!-- gatehouse:plan config=identity instance=arn%3Aaws%3Asso%3A%3A%3Ainstance%2F.+ -->$/);
    expect(created).toContain('### 1. What blocks apply\n\nNothing: the plan can be applied as shown.');
    expect(created).toMatch(/\| ➕ gains \| .+ \| prod-core \(\d{12}\) 🏭 \| ReadOnly \| read-only \| group finance \|/);

    // A second push: the plan changes, and now a guardrail blocks it.
    withAssignments(FINANCE_READS_PROD, HEIDI_ADMIN_IN_PROD);
    const second = await plan();
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/GitHub: plan comment updated on pull request #7/);
    // The guardrail finding is annotated at the assignment that breaks it.
    expect(second.stdout).toMatch(/^::error file=identity\/assignments\.yaml,line=56,col=5,title=Gatehouse guardrail::guardrail `no-user-admin-in-prod` denies user heidi@acme\.example/m);
    // --config was the runner's absolute path: no location anywhere says it, not even the
    // guardrail's own "at FILE:LINE" inside the message.
    expect(second.stdout).toMatch(/^::error file=identity\/assignments\.yaml,.*change this assignment or the guardrail at identity\/gatehouse\.yaml:\d+$/m);
    expect(second.stdout + second.stderr).not.toContain(tmp.dir);
    const comments = stickyOf(7);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    const order = ['### 1. What blocks apply', '### 2. Who gains and loses access', '### 3. Summary', '### 4. Full plan'].map((h) => body.indexOf(h));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(body.slice(order[0]!, order[1]!)).toContain('no-user-admin-in-prod');
    expect(body.slice(order[1]!, order[2]!)).toMatch(/heidi&#64;acme\.example \| prod-core \(\d{12}\) 🏭 \| AdministratorAccess \| \*\*admin\*\*/);
    expect(body).toMatch(/^<!-- gatehouse:reviewed \{"changes_digest":"[0-9a-f]{64}"/m);
    expect(github.commentsOn(7).find((c) => c.user.type === 'User')!.body).toContain('do not touch me');
    const writes = github.writes().filter((w) => w.path.includes('/issues/'));
    expect(writes.map((w) => w.method)).toEqual(['POST', 'PATCH']);
    expect(readFileSync(summary, 'utf8')).toContain('## Gatehouse plan: ');
    expect(body).toContain('the guardrail at identity/gatehouse.yaml:');
    expect(body).not.toContain(tmp.dir);
    expect(readFileSync(summary, 'utf8')).not.toContain(tmp.dir);
  });

  it('never edits, nor reads as its own, a person\'s comment that copies the marker', async () => {
    const marker = stickyOf(7)[0]!.body.split('\n')[0]!;
    github.humanComment(9, `${marker}\n<!-- gatehouse:reviewed {"changes_digest":"${'0'.repeat(64)}","summary":{"add":0,"change":0,"destroy":0}} -->\nforged`);
    const event9 = path.join(tmp.dir, 'event9.json');
    writeFileSync(event9, JSON.stringify({ pull_request: { number: 9, head: { sha: HEAD } } }));
    const r = await plan({ GITHUB_EVENT_PATH: event9 });
    expect(r.stderr).toMatch(/GitHub: plan comment created on pull request #9/);
    expect(github.commentsOn(9).find((c) => c.user.type === 'User')!.body).toMatch(/forged$/);
    expect(stickyOf(9)).toHaveLength(1);
  });

  it('fails with the permission named: no token, or a 403 from GitHub', async () => {
    const noToken = await plan({ GITHUB_TOKEN: '' });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('plan --github needs a token in GITHUB_TOKEN with the permission "pull-requests: write"');
    github.deny('PATCH', /\/issues\/comments\//, 'pull_requests=write');
    github.deny('POST', /\/issues\/\d+\/comments$/, 'pull_requests=write');
    try {
      withAssignments(FINANCE_READS_PROD);
      const denied = await plan();
      expect(denied.code).toBe(1);
      expect(denied.stderr).toMatch(/Error: GitHub refused to (update the plan comment \d+|comment on pull request #7) \(403 Resource not accessible by integration\): the token needs the permission "pull-requests: write" \(GitHub accepts: pull_requests=write\)/);
      expect(denied.stderr).not.toMatch(/\n\s+at /);
    } finally {
      github.allowAll();
    }
  });
});

describe('apply --github', () => {
  it('refuses, writing nothing, when the plan on merge differs from the reviewed one; applies when it matches and records it', async () => {
    withAssignments(FINANCE_READS_PROD);
    const reviewed = await plan();
    expect(reviewed.code, reviewed.stderr).toBe(0);
    github.merged(7, MERGE, HEAD);

    // Something else reached main in between: the merge commit plans more than was reviewed.
    withAssignments(FINANCE_READS_PROD, FINANCE_READS_STAGING);
    const before = await liveSnapshot();
    const commentsBefore = github.commentsOn(7).length;
    const refused = await apply({ GITHUB_SHA: MERGE });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Refusing to apply: the changes planned now at commit bbbbbbbbbbbb differ from the ones reviewed on pull request #7 (at aaaaaaaaaaaa)');
    expect(refused.stderr).toContain('Nothing was changed.');
    expect(await liveSnapshot()).toBe(before);
    const added = github.commentsOn(7).slice(commentsBefore);
    expect(added).toHaveLength(1);
    expect(added[0]!.body).toContain('### ⛔ Gatehouse did not apply this pull request');
    expect(added[0]!.body).toContain('**Not reviewed** (1 change planned now that the comment did not show):');
    expect(added[0]!.body).toMatch(/^\+ assignment GROUP finance → ReadOnly in staging \(\d{12}\)$/m);
    expect(added[0]!.body).toMatch(/\| reviewed \| 1 to add, 0 to change, 0 to destroy \|/);
    expect(stickyOf(7)[0]!.body).toContain('**Not applied** at commit `bbbbbbbbbbbb` by [workflow run 42](https://github.example/acme/infra/actions/runs/42)');

    // The merge commit holds what was reviewed: applied, and the comment says so.
    withAssignments(FINANCE_READS_PROD);
    const applied = await apply({ GITHUB_SHA: MERGE });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await liveSnapshot()).not.toBe(before);
    const sticky = stickyOf(7)[0]!.body;
    expect(sticky).toMatch(/✅ \*\*Applied\*\* at commit `bbbbbbbbbbbb` by \[workflow run 42\]\(https:\/\/github\.example\/acme\/infra\/actions\/runs\/42\): 1 change\./);
    expect(sticky).not.toContain('Not applied');
    expect(sticky.match(/<!-- gatehouse:outcome -->/g)).toHaveLength(1);
  });

  it('lists the pull request\'s comments once per run, also when it has only the placeholder of a failed plan', async () => {
    // GET /repos/{owner}/{repo}/issues/{n}/comments is paginated (docs.github.com/rest/issues/
    // comments#list-issue-comments): one listing, then this instance's comment or the placeholder.
    github.comments.push({ id: 9_000, issue: 13, body: '<!-- gatehouse:plan config=identity instance=* -->\n<!-- gatehouse:no-plan -->\nplaceholder', user: { login: 'github-actions[bot]', type: 'Bot' } });
    github.merged(13, 'e'.repeat(40), HEAD);
    const listings = () => github.requests.filter((r) => r.method === 'GET' && r.path === '/repos/acme/infra/issues/13/comments').length;
    const before = listings();
    const r = await apply({ GITHUB_SHA: 'e'.repeat(40) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the plan comment on pull request #13 shows no plan, only why apply was blocked');
    expect(listings() - before).toBe(1);
  });

  it('refuses a commit that no merged pull request lists', async () => {
    const r = await apply({ GITHUB_SHA: 'c'.repeat(40) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no merged pull request lists commit cccccccccccc');
  });
});

describe('an oversized plan and access diff', () => {
  it('is summarised under the comment limit and whole in the job summary', async () => {
    const big = path.join(tmp.dir, 'big');
    writeGeneratedConfig(big, { users: 400, groups: 4, accounts: 6 });
    const bigStore = `sqlite:${path.join(tmp.dir, 'big.db')}`;
    const bigSummary = path.join(tmp.dir, 'big-summary.md');
    writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 8, head: { sha: HEAD } } }));
    appendFileSync(bigSummary, '# earlier step output\n');
    try {
      const r = await run(['plan', '--config', big, '--store', bigStore], { GITHUB_STEP_SUMMARY: bigSummary });
      expect(r.code, r.stderr).toBe(0);
      const [comment] = stickyOf(8);
      expect(comment!.body.length).toBeLessThanOrEqual(65_536);
      expect(comment!.body).toContain('> This access diff is longer than fits here');
      expect(comment!.body).toContain('The whole access diff is in the job summary of [this workflow run](https://github.example/acme/infra/actions/runs/42).');
      expect(comment!.body).toMatch(/\| Account \| \+ \| ~ \| - \|\n\|:--\|--:\|--:\|--:\|\n\| workload-\d{3} \(\d{12}\) \| 800 \| 0 \| 0 \|/);
      expect(comment!.body).toMatch(/\| Group \| \+ \| ~ \| - \|/);
      const whole = readFileSync(bigSummary, 'utf8');
      expect(whole.startsWith('# earlier step output\n')).toBe(true);
      // 400 users × 6 accounts × 2 permission sets, every one in the job summary.
      expect(whole.match(/^\| ➕ gains \|/gm)).toHaveLength(4800);
      expect(whole.length).toBeGreaterThan(255_000);
      expect(whole.length).toBeLessThanOrEqual(1024 * 1024);
      // Over its room the access table is replaced by the counts above, not cut to its first rows.
      expect(comment!.body).toContain('> This access diff is longer than fits here');
      expect(comment!.body).toMatch(/> This access diff is longer than fits here \([\d,]+ characters\), so its detail is replaced by counts by account, permission set and group\./);
      expect(comment!.body).not.toMatch(/^\| ➕ gains \|/m);

      // Earlier steps left the job summary too little room for the whole access diff: the job
      // summary has the counts too, and it and the comment point on to the command that prints
      // the diff whole, not to themselves.
      const BASE = 'f'.repeat(40);
      writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 8, head: { sha: HEAD }, base: { sha: BASE } } }));
      const crowded = path.join(tmp.dir, 'crowded-summary.md');
      writeFileSync(crowded, `${'x'.repeat(800_000)}\n`);
      const again = await run(['plan', '--config', big, '--store', bigStore], { GITHUB_STEP_SUMMARY: crowded });
      expect(again.code, again.stderr).toBe(0);
      const command = `gatehouse access --base ${BASE} --config big --store ${bigStore} --format markdown --max-chars 0`;
      const summaryPart = readFileSync(crowded, 'utf8').slice(800_001);
      expect(summaryPart).toContain(`so its detail is replaced by counts by account, permission set and group. Run \`${command}\` for the whole access diff.`);
      expect(Buffer.byteLength(readFileSync(crowded))).toBeLessThanOrEqual(1024 * 1024);
      const updated = stickyOf(8)[0]!.body;
      expect(updated).toContain(`Run \`${command}\` for the whole access diff.`);
      expect(updated).not.toContain('The whole access diff is in the job summary');
    } finally {
      writeFileSync(eventFile, JSON.stringify({ pull_request: { number: 7, head: { sha: HEAD } } }));
      if (existsSync(big)) rmSync(big, { recursive: true, force: true });
    }
  });
});

describe('plan --github without a plan (the config does not load, or planning fails)', () => {
  const usersFile = () => path.join(config, 'users.yaml');
  // Two errors in users.yaml, one of them quoting a key that tries to mention a team and close a code span.
  const BROKEN_USERS = '  - userName: mallet@acme.example\n    displayName: Mallet\n    name: { given: M, family: Allet }\n    "em`ial@acme/admins": x\n  - userName: 42\n';
  const pr = (number: number) => {
    const file = path.join(tmp.dir, `event${number}.json`);
    writeFileSync(file, JSON.stringify({ pull_request: { number, head: { sha: HEAD } } }));
    return { GITHUB_EVENT_PATH: file };
  };

  it('replaces the plan with what blocks apply, located and escaped; apply on merge refuses; the next good plan replaces it again', async () => {
    const users = readFileSync(usersFile(), 'utf8');
    // Not applied by the tests above: a change in every order the tests run.
    withAssignments(FINANCE_READS_STAGING);
    try {
      const good = await plan(pr(11));
      expect(good.code, good.stderr).toBe(0);
      expect(stickyOf(11)).toHaveLength(1);
      const planned = stickyOf(11)[0]!.body;
      expect(planned).toContain('group finance');

      writeFileSync(usersFile(), users + BROKEN_USERS);
      const summaryBefore = readFileSync(summary, 'utf8').length;
      const broken = await plan(pr(11));
      expect(broken.code).toBe(1);
      expect(broken.stderr).toMatch(/GitHub: plan comment updated on pull request #11 \(.+\): apply is blocked, the config has errors\./);
      expect(stickyOf(11)).toHaveLength(1);
      const body = stickyOf(11)[0]!.body;
      // Same marker (same instance), so the next plan finds it; no reviewed digest to apply.
      expect(body.split('\n')[0]).toBe(planned.split('\n')[0]);
      expect(body).not.toContain('gatehouse:reviewed');
      expect(body).toMatch(/^## Gatehouse plan: apply is blocked by [2-9] errors in the config$/m);
      expect(body).toContain('### 1. What blocks apply');
      expect(body).not.toContain('### 2.');
      expect(body).not.toContain('group finance');
      expect(body).toContain('any plan this comment showed before was of an older commit and is withdrawn');
      const located = body.split('\n').filter((l) => l.startsWith('- '));
      expect(located.length).toBeGreaterThanOrEqual(2);
      // Each error is one code span at its repository path; the quoted key cannot leave it.
      for (const line of located) expect(line).toMatch(/^- (`+) ?identity\/users\.yaml:\d+:\d+: error \[[a-z-]+\] .+ ?\1$/);
      expect(located.some((l) => l.includes('em`ial@acme/admins'))).toBe(true);
      expect(located.every((l) => /^- ``/.test(l) || !l.includes('`ial'))).toBe(true);
      expect(body).not.toContain(tmp.dir);
      expect(readFileSync(summary, 'utf8').slice(summaryBefore)).toMatch(/apply is blocked by [2-9] errors in the config[\s\S]*identity\/users\.yaml:\d+:\d+: error/);

      // Merged anyway: nothing was reviewed, nothing is applied.
      writeFileSync(usersFile(), users);
      github.merged(11, 'd'.repeat(40), HEAD);
      const before = await liveSnapshot();
      const refused = await apply({ GITHUB_SHA: 'd'.repeat(40) });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('the plan comment on pull request #11 shows no plan, only why apply was blocked');
      expect(await liveSnapshot()).toBe(before);

      const fixed = await plan(pr(11));
      expect(fixed.code, fixed.stderr).toBe(0);
      expect(stickyOf(11)).toHaveLength(1);
      expect(stickyOf(11)[0]!.body).toContain('group finance');
      expect(stickyOf(11)[0]!.body).toMatch(/^<!-- gatehouse:reviewed /m);
    } finally {
      writeFileSync(usersFile(), users);
    }
  });

  it('posts one placeholder when the first plan of a pull request fails, and the first good plan takes it over', async () => {
    const gatehouseYaml = path.join(config, 'gatehouse.yaml');
    const root = readFileSync(gatehouseYaml, 'utf8');
    const users = readFileSync(usersFile(), 'utf8');
    try {
      rmSync(gatehouseYaml);
      const failed = await plan(pr(12));
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('no gatehouse.yaml in');
      expect(stickyOf(12)).toHaveLength(1);
      const placeholder = stickyOf(12)[0]!.body;
      expect(placeholder.split('\n')[0]).toBe('<!-- gatehouse:plan config=identity instance=* -->');
      expect(placeholder).toMatch(/^## Gatehouse plan: apply is blocked: the plan failed$/m);
      expect(placeholder).toMatch(/^```text\nno gatehouse\.yaml in identity: pass --config DIR/m);
      expect(placeholder).not.toContain(tmp.dir);

      writeFileSync(gatehouseYaml, root);
      writeFileSync(usersFile(), users + BROKEN_USERS);
      const invalid = await plan(pr(12));
      expect(invalid.code).toBe(1);
      expect(stickyOf(12)).toHaveLength(1);
      expect(stickyOf(12)[0]!.body).toMatch(/^## Gatehouse plan: apply is blocked by [2-9] errors in the config$/m);

      writeFileSync(usersFile(), users);
      const good = await plan(pr(12));
      expect(good.code, good.stderr).toBe(0);
      expect(good.stderr).toMatch(/GitHub: plan comment updated on pull request #12/);
      expect(stickyOf(12)).toHaveLength(1);
      expect(stickyOf(12)[0]!.body.split('\n')[0]).toMatch(/^<!-- gatehouse:plan config=identity instance=arn%3Aaws%3Asso/);
    } finally {
      writeFileSync(gatehouseYaml, root);
      writeFileSync(usersFile(), users);
    }
  });
});
