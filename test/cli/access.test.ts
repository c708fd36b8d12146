import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// Effective access through the CLI, on a real git repository for the pull-request diff.

let tmp: { dir: string; cleanup: () => void };
let repo: string;
let config: string;
let store: string;

beforeAll(async () => {
  tmp = tempDir();
  repo = path.join(tmp.dir, 'repo');
  config = path.join(repo, 'identity');
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
  cpSync(path.join(repoRoot, 'examples', 'acme'), config, { recursive: true });
  const git = simpleGit(repo);
  await git.init();
  await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'Test');
  await git.add('.').commit('acme');
});
afterAll(() => tmp.cleanup());

describe('gatehouse access and explain', () => {
  it('explains every path that grants access, with the file and line of the assignment', () => {
    const r = gatehouse(['explain', 'alice@acme.example', 'AdministratorAccess', 'prod-core', '--config', config, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Yes: alice@acme\.example has AdministratorAccess in prod-core \(444444444444\)/);
    expect(r.stdout).toMatch(/member of group platform-admins at .*assignments\.yaml:\d+:\d+/);
    const no = gatehouse(['explain', 'victor@vendor.example', 'AdministratorAccess', 'prod-core', '--config', config, '--store', store]);
    expect(no.stdout).toMatch(/^No: nothing gives victor@vendor\.example AdministratorAccess/);
  });

  it('shows who gains and who loses access compared with a git ref', async () => {
    writeFileSync(
      path.join(config, 'pr.yaml'),
      'assignments:\n  - users: [victor@vendor.example]\n    permissionSets: [ReadOnly]\n    accounts: [staging]\n',
    );
    const r = gatehouse(['access', '--config', config, '--store', store, '--base', 'HEAD', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout) as { gained: { userName: string; accountId: string }[]; lost: unknown[] };
    expect(diff.gained.map((g) => `${g.userName}@${g.accountId}`)).toEqual(['victor@vendor.example@666666666666']);
    expect(diff.lost).toEqual([]);
    const md = gatehouse(['access', '--config', config, '--store', store, '--base', 'HEAD', '--format', 'markdown']);
    expect(md.stdout).toContain('**Effective access:** 1 gained, 0 lost.');
  });

  it('reads effective access from the live store after apply', () => {
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve', '--allow-mass-delete']).code).toBe(0);
    const r = gatehouse(['access', '--live', '--config', config, '--store', store, '--user', 'victor@vendor.example', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const grants = (JSON.parse(r.stdout) as { grants: { accountId: string; permissionSetName: string }[] }).grants;
    expect(grants.map((g) => `${g.permissionSetName}@${g.accountId}`).sort()).toEqual(['ReadOnly@444444444444', 'ReadOnly@666666666666']);
  });
});
