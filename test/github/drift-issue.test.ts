// `drift --github` keeps one labelled issue (creating the label when the repository lacks it),
// through the real CLI against the loopback GitHub stand-in: opened on drift, updated as it
// changes, closed when the live state is clean again (docs.github.com/rest/issues).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';
import { fakeGitHub } from './fake-github.js';

const acme = path.join(repoRoot, 'examples', 'acme');
const github = fakeGitHub();
const tmp = tempDir('gatehouse-github-drift-');
const dbPath = path.join(tmp.dir, 'live.db');
const store = `sqlite:${dbPath}`;
const summary = path.join(tmp.dir, 'summary.md');
let apiUrl: string;

beforeAll(async () => {
  apiUrl = await github.start();
  const r = gatehouse(['apply', '--config', acme, '--store', store, '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(async () => {
  await github.close();
  tmp.cleanup();
});

async function byHand(change: Change): Promise<void> {
  const live = await openSqliteStore(dbPath);
  try {
    await live.perform(change);
  } finally {
    await live.close();
  }
}

const drift = () =>
  gatehouseAsync(['drift', '--config', acme, '--store', store, '--github'], {
    env: { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/infra', GITHUB_API_URL: apiUrl, GITHUB_STEP_SUMMARY: summary, GITHUB_RUN_ID: '9', GITHUB_SERVER_URL: 'https://github.example' },
  }).done;

const grant = (user: string, permissionSetName: string, accountId: string): Change => ({
  kind: 'assignment.create',
  assignment: { principalType: 'USER', principalName: user, permissionSetName, accountId },
});

describe('drift --github', () => {
  it('opens one labelled issue (creating the label), updates it, and closes it when clean', async () => {
    await byHand(grant('bob@acme.example', 'AdministratorAccess', '444444444444'));
    const opened = await drift();
    expect(opened.code, opened.stderr).toBe(2);
    expect(opened.stderr).toContain('Drift issue #1 created.');
    expect(github.labels).toEqual([{ name: 'gatehouse-drift', color: 'b60205', description: expect.any(String) }]);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ title: 'Gatehouse drift: 1 finding (1 high risk)', labels: [{ name: 'gatehouse-drift' }], state: 'open' });
    expect(existsSync(summary) && readFileSync(summary, 'utf8')).toContain('## Gatehouse drift report');

    await byHand(grant('heidi@acme.example', 'AdministratorAccess', '444444444444'));
    const updated = await drift();
    expect(updated.stderr).toContain('Drift issue #1 updated.');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]!.title).toBe('Gatehouse drift: 2 findings (2 high risk)');
    // The label exists now: created once.
    expect(github.writes().filter((w) => w.path.endsWith('/labels'))).toHaveLength(1);

    for (const user of ['bob@acme.example', 'heidi@acme.example']) {
      await byHand({ kind: 'assignment.delete', assignment: { principalType: 'USER', principalName: user, permissionSetName: 'AdministratorAccess', accountId: '444444444444' } });
    }
    const closed = await drift();
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.stderr).toContain('Drift issue #1 closed.');
    expect(github.issues[0]!.state).toBe('closed');
    expect(github.commentsOn(1).map((c) => c.body)).toEqual([expect.stringMatching(/^No drift as of .*: the live state matches the config\.$/)]);
  });

  it('names the permission when the token may not write issues', async () => {
    await byHand(grant('bob@acme.example', 'AdministratorAccess', '444444444444'));
    github.deny('POST', /\/issues$/, 'issues=write');
    try {
      const r = await drift();
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error: GitHub refused to open the drift issue (403 Resource not accessible by integration): the token needs the permission "issues: write" (GitHub accepts: issues=write)');
    } finally {
      github.allowAll();
    }
    const noToken = gatehouse(['drift', '--config', acme, '--store', store, '--github'], { env: { GITHUB_TOKEN: '', GH_TOKEN: '', GITHUB_REPOSITORY: 'acme/infra' } });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('drift --github needs a token in GITHUB_TOKEN (or GH_TOKEN) with the permission "issues: write"');
  });
});

describe('drift --github-issue without --github', () => {
  it('keeps the issue as documented, with paths as the repository names them, not as typed', async () => {
    // A copy of acme whose vendor grant expired: the finding cites the rule's FILE:LINE:COL.
    const config = path.join(tmp.dir, 'identity');
    cpSync(acme, config, { recursive: true });
    const assignments = path.join(config, 'assignments.yaml');
    writeFileSync(assignments, readFileSync(assignments, 'utf8').replace('expires: 2027-03-31T00:00:00Z', 'expires: 2026-01-01T00:00:00Z'));
    // --config as a scheduler would type it: absolute. Outside Actions (no GITHUB_WORKSPACE) the
    // working directory is the checkout.
    const r = await gatehouseAsync(['drift', '--config', config, '--store', store, '--github-issue', 'acme/infra'], {
      cwd: tmp.dir,
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: apiUrl, GITHUB_WORKSPACE: '', GITHUB_REPOSITORY: '', GITHUB_STEP_SUMMARY: '' },
    }).done;
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/Drift issue #\d+ (created|updated)\./);
    expect(r.stdout).not.toContain('::error');
    const issue = github.issues.find((i) => i.state === 'open')!;
    expect(issue.body).toMatch(/victor&#64;vendor\.example.* expired on 2026-01-01T00:00:00Z \(identity\/assignments\.yaml:\d+:\d+\) but is still live/);
    expect(issue.body).not.toContain(tmp.dir);
  });
});
