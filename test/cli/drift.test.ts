import { copyFileSync, cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import type { AssignmentTuple } from '../../src/model/entities.js';
import type { LiveState } from '../../src/model/live.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';
import { fakeGitHub } from '../github/fake-github.js';

// Drift on the embedded store: apply examples/acme, change the store by hand (as someone in
// the console would), and expect `gatehouse drift` to say what, where and how risky.

const acme = path.join(repoRoot, 'examples', 'acme');
let applied: { dir: string; cleanup: () => void };
let tmp: { dir: string; cleanup: () => void };
let dbPath: string;
let store: string;

// Applied once; each test gets its own copy of the store file.
beforeAll(() => {
  applied = tempDir('gatehouse-drift-applied-');
  const r = gatehouse(['apply', '--config', acme, '--store', `sqlite:${path.join(applied.dir, 'live.db')}`, '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => applied.cleanup());

beforeEach(() => {
  tmp = tempDir('gatehouse-drift-');
  dbPath = path.join(tmp.dir, 'live.db');
  store = `sqlite:${dbPath}`;
  for (const suffix of ['', '-wal']) {
    const from = path.join(applied.dir, `live.db${suffix}`);
    if (existsSync(from)) copyFileSync(from, `${dbPath}${suffix}`);
  }
});
afterEach(() => tmp.cleanup());

/** Changes made behind Gatehouse's back, straight into the store (as in the console). */
async function byHand(...changes: (Change | ((live: LiveState) => Change))[]): Promise<void> {
  const live = await openSqliteStore(dbPath);
  try {
    for (const change of changes) await live.perform(typeof change === 'function' ? change(await live.snapshot()) : change);
  } finally {
    await live.close();
  }
}

const bobAdminInProd: AssignmentTuple = {
  principalType: 'USER',
  principalName: 'bob@acme.example',
  permissionSetName: 'AdministratorAccess',
  accountId: '444444444444',
};
const adminForBob: Change = { kind: 'assignment.create', assignment: bobAdminInProd };

describe('gatehouse drift', () => {
  it('exits 0 when the live state matches', () => {
    const r = gatehouse(['drift', '--config', acme, '--store', store]);
    expect(r.stdout).toBe('No drift: the live state matches the config.\n');
    expect(r.code).toBe(0);
  });

  it('exits 2 listing an admin assignment added by hand in production, as high risk', async () => {
    await byHand(adminForBob, {
      kind: 'group.update',
      before: { displayName: 'finance', description: 'x' },
      after: { displayName: 'finance', description: 'Money people' },
      fields: ['description'],
    });
    const r = gatehouse(['drift', '--config', acme, '--store', store]);
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Drift: 2 findings (1 high, 0 medium, 1 low)');
    expect(r.stdout).toContain('HIGH    added           assignment:USER:bob@acme.example|AdministratorAccess|444444444444');
    expect(r.stdout).toContain('user bob@acme.example with AdministratorAccess in prod-core (444444444444) is live but not in the config');
    expect(r.stdout).toMatch(/LOW {5}changed {9}group:finance\n.*\n {8}description: live "Money people" → config "/);
    // High risk comes first.
    expect(r.stdout.indexOf('HIGH')).toBeLessThan(r.stdout.indexOf('LOW'));
  });

  it('prints Markdown for an issue and stable JSON for machines', async () => {
    await byHand(adminForBob);
    const md = gatehouse(['drift', '--config', acme, '--store', store, '--format', 'markdown']);
    expect(md.code).toBe(2);
    expect(md.stdout).toContain('| 🔴 High | 1 |');
    expect(md.stdout).toContain('- **added** `assignment:USER:bob@acme.example|AdministratorAccess|444444444444` — prod-core (444444444444)');
    const json = gatehouse(['drift', '--config', acme, '--store', store, '--format', 'json']);
    expect(json.code).toBe(2);
    const body = JSON.parse(json.stdout);
    expect(body).toMatchObject({ format_version: 1, clean: false, summary: { total: 1, high: 1 } });
    expect(body.findings[0]).toMatchObject({ risk: 'high', kind: 'added', account: { id: '444444444444', name: 'prod-core' } });
    expect(gatehouse(['drift', '--config', acme, '--store', store, '--format', 'json']).stdout).toBe(json.stdout);
  });

  it('reports deletions by hand, a permission set made admin, and the accounts not re-provisioned', async () => {
    await byHand(
      {
        kind: 'assignment.delete',
        assignment: { principalType: 'GROUP', principalName: 'finance', permissionSetName: 'Billing', accountId: '111111111111' },
      },
      (live) => {
        const { arn: _arn, ...before } = live.permissionSets.find((p) => p.name === 'ReadOnly')!;
        const after = { ...before, managedPolicies: [...before.managedPolicies, 'arn:aws:iam::aws:policy/AdministratorAccess'].sort() };
        return { kind: 'permissionSet.update', before, after, fields: ['managedPolicies'] };
      },
    );
    const r = gatehouse(['drift', '--config', acme, '--store', store, '--format', 'json']);
    expect(r.code).toBe(2);
    const findings = (JSON.parse(r.stdout) as { findings: { kind: string; key: string; risk: string }[] }).findings;
    const lines = findings.map((f) => `${f.risk} ${f.kind} ${f.key}`);
    expect(lines[0]).toBe('high changed permissionSet:ReadOnly');
    expect(lines).toContain('low missing assignment:GROUP:finance|Billing|111111111111');
    expect(lines).toContain('medium not-provisioned permissionSet:ReadOnly@444444444444');
  });

  it('exits 1 with file:line:col on a config error, reading no store', () => {
    const config = path.join(tmp.dir, 'config');
    cpSync(acme, config, { recursive: true });
    writeFileSync(path.join(config, 'broken.yaml'), 'users:\n  - userName: x\n    displayName: 12\n');
    const r = gatehouse(['drift', '--config', config, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+: error/);
    expect(r.stdout).toBe('');
  });

  it('exits 1 when the store does not exist, instead of reporting everything missing', () => {
    const r = gatehouse(['drift', '--config', acme, '--store', `sqlite:${path.join(tmp.dir, 'typo.db')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no store at');
  });
});

/** The few GitHub issue endpoints the drift command uses, in memory, on loopback. */
describe('gatehouse drift --github-issue', () => {
  const github = fakeGitHub();
  let apiUrl: string;
  beforeAll(async () => {
    apiUrl = await github.start();
  });
  afterAll(() => github.close());

  // The fake server runs in this process, so the CLI must run without blocking it.
  const driftToIssue = async (...extra: string[]) =>
    gatehouseAsync(['drift', '--config', acme, '--store', store, '--github-issue', 'acme/infra', ...extra], {
      env: { GITHUB_TOKEN: 'test-token', GITHUB_API_URL: apiUrl },
    }).done;

  it('opens an issue on drift and closes it once the drift is gone', async () => {
    await byHand(adminForBob);
    const drifted = await driftToIssue();
    expect(drifted.code, drifted.stderr).toBe(2);
    expect(drifted.stderr).toContain('Drift issue #1 created.');
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]).toMatchObject({ title: 'Gatehouse drift: 1 finding (1 high risk)', labels: [{ name: 'gatehouse-drift' }], state: 'open' });
    expect(github.issues[0]!.body).toContain('`assignment:USER:bob@acme.example|AdministratorAccess|444444444444`');
    expect(github.requests.every((r) => r.auth === 'token test-token')).toBe(true);

    const again = await driftToIssue();
    expect(again.stderr).toContain('Drift issue #1 unchanged.');

    await byHand({ kind: 'assignment.delete', assignment: bobAdminInProd });
    const fixed = await driftToIssue();
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(fixed.stderr).toContain('Drift issue #1 closed.');
    expect(github.issues[0]!.state).toBe('closed');
    expect(github.comments.map((c) => ({ issue: c.issue, body: c.body }))).toEqual([{ issue: 1, body: expect.stringMatching(/^No drift as of .*: the live state matches the config\.$/) }]);
  });

  it('fails fast without a token', () => {
    const r = gatehouse(['drift', '--config', acme, '--store', store, '--github-issue', 'acme/infra'], { env: { GITHUB_TOKEN: '', GH_TOKEN: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs a token in GITHUB_TOKEN');
  });
});
