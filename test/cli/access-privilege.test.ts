import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// The escalation issue 11 was filed for: the contractors' permission set `Restricted` keeps its
// name and swaps ReadOnlyAccess for AdministratorAccess. Before the privilege model, the access
// diff said "No change in effective access" and a guardrail on names passed. On a real git
// repository holding a copy of examples/acme.

let tmp: { dir: string; cleanup: () => void };
let config: string;
let store: string;
/** Line of the contractors' assignment rule in assignments.yaml. */
let contractorsLine: number;

const setWarning = (severity: 'error' | 'warning') => {
  const file = path.join(config, 'gatehouse.yaml');
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('- name: contractors-never-admin');
  writeFileSync(file, text.slice(0, at) + text.slice(at).replace(/severity: (error|warning)/, `severity: ${severity}`));
};

beforeAll(async () => {
  tmp = tempDir();
  const repo = path.join(tmp.dir, 'repo');
  config = path.join(repo, 'identity');
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
  cpSync(path.join(repoRoot, 'examples', 'acme'), config, { recursive: true });
  const git = simpleGit(repo);
  await git.init();
  await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'Test');
  await git.add('.').commit('acme');
  const applied = gatehouse(['apply', '--auto-approve', '--config', config, '--store', store]);
  expect(applied.code, applied.stderr).toBe(0);

  const psFile = path.join(config, 'permission-sets.yaml');
  const ps = readFileSync(psFile, 'utf8');
  const at = ps.indexOf('- name: Restricted');
  writeFileSync(psFile, ps.slice(0, at) + ps.slice(at).replace('managedPolicies: [ReadOnlyAccess]', 'managedPolicies: [AdministratorAccess]'));
  const lines = readFileSync(path.join(config, 'assignments.yaml'), 'utf8').split('\n');
  contractorsLine = lines.findIndex((l) => l.includes('groups: [contractors]')) + 1;
  expect(contractorsLine).toBeGreaterThan(0);
});
afterAll(() => tmp.cleanup());

describe('privilege in the access diff, the plan and guardrails', () => {
  it('access --base shows the contractors going from read-only to admin through Restricted, then the names', () => {
    const r = gatehouse(['access', '--base', 'HEAD', '--config', config, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    const [privilege, names] = r.stdout.split('\n\n');
    expect(privilege).toContain(
      '2 users in 4 production accounts go from read-only to admin through `Restricted`: managed policy AdministratorAccess added, managed policy ReadOnlyAccess removed',
    );
    expect(privilege).toContain('sybil@contractor.example, trent@contractor.example in security-audit, log-archive, prod-core, prod-data');
    // The names did not change: the part below is the object-level diff as before.
    expect(names).toContain('No change in effective access.');

    const json = JSON.parse(gatehouse(['access', '--base', 'HEAD', '--config', config, '--store', store, '--format', 'json']).stdout);
    expect(json.privilege).toEqual([
      expect.objectContaining({ direction: 'gain', from: 'read-only', to: 'admin', through: 'Restricted', users: ['sybil@contractor.example', 'trent@contractor.example'] }),
    ]);
  });

  it('a privilege: [admin] guardrail blocks it at the assignment’s file:line, in validate and plan', () => {
    setWarning('error');
    const v = gatehouse(['validate', '--config', config]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(new RegExp(`assignments\\.yaml:${contractorsLine}:\\d+: error \\[guardrail\\] guardrail \`contractors-never-admin\` denies group contractors → Restricted`));
    expect(v.stdout).toContain('Restricted is admin');
    const p = gatehouse(['plan', '--config', config, '--store', store]);
    expect(p.code).toBe(1);
    expect(p.stderr).toMatch(new RegExp(`assignments\\.yaml:${contractorsLine}:\\d+: error \\[guardrail\\]`));
  });

  it('renaming the permission set does not get around the guardrail', () => {
    setWarning('error');
    const files = ['permission-sets.yaml', 'assignments.yaml'].map((f) => path.join(config, f));
    const saved = files.map((f) => readFileSync(f, 'utf8'));
    try {
      writeFileSync(files[0]!, saved[0]!.replace('- name: Restricted', '- name: ContractorView'));
      writeFileSync(files[1]!, saved[1]!.replace('permissionSets: [Restricted]', 'permissionSets: [ContractorView]'));
      const v = gatehouse(['validate', '--config', config]);
      expect(v.code).toBe(1);
      expect(v.stdout).toContain('denies group contractors → ContractorView');
    } finally {
      files.forEach((f, i) => writeFileSync(f, saved[i]!));
    }
  });

  it('the plan’s Markdown shows the privilege gain first, before the objects', () => {
    setWarning('warning');
    const r = gatehouse(['plan', '--config', config, '--store', store, '--format', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    const gain = r.stdout.indexOf('2 users in 4 production accounts go from read-only to admin through `Restricted`: managed policy AdministratorAccess added');
    expect(gain).toBeGreaterThan(0);
    expect(gain).toBeLessThan(r.stdout.indexOf('Permission sets: 1 to change'));
  });
});
