import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../bench/gen/write-config.js';
import { gatehouse } from '../helpers/cli.js';

// Questions about one user, one account or one pull request on the bench M organisation (10,000
// users, 50,040 assignments): its whole effective access is 8.8 million grants, which took `can`
// 34 s and 3.9 GB and crashed `who-can` and `access --base` out of memory. Each question now builds
// only the grants it asks about, so each runs here with a 512 MB heap.

const HEAP = { NODE_OPTIONS: '--max-old-space-size=512' };
let repo: string;
const ask = (args: readonly string[]) => gatehouse([...args, '--config', 'config', '--store', `sqlite:${path.join(repo, 'live.db')}`], { cwd: repo, env: HEAP });

beforeAll(async () => {
  repo = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-scale-'));
  generateInto('M', 1, path.join(repo, 'config'));
  const git = simpleGit(repo);
  await git.init();
  await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'test');
  await git.add('config').commit('bench M');
  // The pull request: the ReadOnlyAccess permission set gets AdministratorAccess instead.
  const file = path.join(repo, 'config', 'permission-sets.yaml');
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.trim() === '- name: ReadOnlyAccess');
  const policies = lines.findIndex((l, i) => i > at && l.includes('managedPolicies: [ReadOnlyAccess]'));
  lines[policies] = lines[policies]!.replace('[ReadOnlyAccess]', '[AdministratorAccess]');
  writeFileSync(file, lines.join('\n'));
  await git.add('config').commit('escalate');
}, 60_000);
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('questions on a 10,000-user organisation', () => {
  it('can, explain and who-can answer from the grants they ask about', () => {
    const can = ask(['can', 'aaron.abbott10@acme.example', 's3:GetObject']);
    expect(can.stderr).toBe('');
    expect(can.stdout).toMatch(/^Yes: aaron\.abbott10@acme\.example can s3:GetObject\n/);

    const explain = ask(['explain', 'aaron.abbott10@acme.example', 'ReadOnlyAccess', 'mobile-vapor-admin-dev']);
    expect(explain.stdout).toMatch(/^Yes: aaron\.abbott10@acme\.example has ReadOnlyAccess in mobile-vapor-admin-dev .*\n  - member of group all-engineers at config\/assignments\/org-wide\.yaml:\d+:\d+/);

    const who = ask(['who-can', 'iam:CreateUser', '--account', 'log-archive', '--format', 'json']);
    expect(who.stderr).toBe('');
    const users = JSON.parse(who.stdout).users as { userName: string; answer: string }[];
    expect(users.length).toBeGreaterThan(0);
    expect(users.map((u) => u.userName)).toEqual([...users.map((u) => u.userName)].sort());
  }, 60_000);

  it('access --base shows the escalation through ReadOnlyAccess first', () => {
    const r = ask(['access', '--base', 'HEAD~1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Privilege:\n {2}▲ \d+ users in \d+ accounts \(\d+ production\) go from read-only to admin through `ReadOnlyAccess`: managed policy AdministratorAccess added, managed policy ReadOnlyAccess removed/);
    expect(r.stdout).toMatch(/No change in effective access\.\n$/);
  }, 60_000);
});
