import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// The reconcile loop end to end, through the CLI, on the embedded store in a temp dir.

const acme = path.join(repoRoot, 'examples', 'acme');
let tmp: { dir: string; cleanup: () => void };
let store: string;

beforeEach(() => {
  tmp = tempDir();
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
});
afterEach(() => tmp.cleanup());

const auditCount = (): number => {
  const r = gatehouse(['audit', 'log', '--store', store, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { records: unknown[] }).records.length;
};

function copyAcme(): string {
  const dir = path.join(tmp.dir, 'config');
  cpSync(acme, dir, { recursive: true });
  return dir;
}

describe('gatehouse apply on the embedded store', () => {
  it('creates everything, then plans nothing, finds no drift, and writes nothing the second time', () => {
    const first = gatehouse(['apply', '--config', acme, '--store', store, '--auto-approve']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Apply complete! Changes: \d+ added, 0 changed, 0 destroyed\./);
    const records = auditCount();
    expect(records).toBeGreaterThan(20);

    const plan = gatehouse(['plan', '--config', acme, '--store', store, '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes');

    const drift = gatehouse(['drift', '--config', acme, '--store', store]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);

    const second = gatehouse(['apply', '--config', acme, '--store', store, '--auto-approve']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('No changes');
    expect(auditCount()).toBe(records);
    expect(gatehouse(['audit', 'verify', '--store', store]).code).toBe(0);
  });

  it('plan --detailed-exitcode exits 2 when there are changes, and plan writes nothing', () => {
    const plan = gatehouse(['plan', '--config', acme, '--store', store, '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(gatehouse(['plan', '--config', acme, '--store', store, '--detailed-exitcode']).code).toBe(2);
  });

  it('refuses to apply without confirmation when not on a terminal, writing nothing', () => {
    const r = gatehouse(['apply', '--config', acme, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--auto-approve');
    expect(gatehouse(['plan', '--config', acme, '--store', store, '--detailed-exitcode']).code).toBe(2);
    expect(auditCount()).toBe(0);
  });

  it('applies a saved plan once, and refuses it when stale or already applied, with zero writes', () => {
    const planFile = path.join(tmp.dir, 'plan.json');
    expect(gatehouse(['plan', '--config', acme, '--store', store, '--out', planFile]).code).toBe(0);
    const saved = JSON.parse(readFileSync(planFile, 'utf8')) as { format_version: number };
    expect(saved.format_version).toBe(1);

    // The live state changes behind the plan's back: the saved plan is stale.
    const config = copyAcme();
    writeFileSync(path.join(config, 'extra.yaml'), 'users:\n  - { userName: zed@acme.example, displayName: Zed, name: { given: Zed, family: Z } }\n');
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    const before = auditCount();
    const stale = gatehouse(['apply', planFile, '--config', acme, '--store', store]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('live state has changed');
    expect(auditCount()).toBe(before);

    // A fresh plan applies, once.
    expect(gatehouse(['plan', '--config', acme, '--store', store, '--out', planFile]).code).toBe(0);
    const ok = gatehouse(['apply', planFile, '--config', acme, '--store', store]);
    expect(ok.code, ok.stderr).toBe(0);
    const applied = auditCount();
    const again = gatehouse(['apply', planFile, '--config', acme, '--store', store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already applied');
    expect(auditCount()).toBe(applied);
  });

  it('refuses a plan file when the config changed since', () => {
    const config = copyAcme();
    const planFile = path.join(tmp.dir, 'plan.json');
    expect(gatehouse(['plan', '--config', config, '--store', store, '--out', planFile]).code).toBe(0);
    writeFileSync(path.join(config, 'extra.yaml'), 'users:\n  - { userName: zed@acme.example, displayName: Zed, name: { given: Zed, family: Z } }\n');
    const r = gatehouse(['apply', planFile, '--config', config, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('configuration has changed');
    expect(auditCount()).toBe(0);
  });

  it('refuses a mass deletion unless --allow-mass-delete', () => {
    const config = copyAcme();
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']).code).toBe(0);
    const before = auditCount();
    for (const f of ['assignments.yaml', 'groups.yaml']) {
      if (existsSync(path.join(config, f))) rmSync(path.join(config, f));
    }
    const refused = gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']);
    expect(refused.code, refused.stdout + refused.stderr).toBe(1);
    expect(refused.stderr).toContain('--allow-mass-delete');
    expect(auditCount()).toBe(before);
    const allowed = gatehouse(['apply', '--config', config, '--store', store, '--auto-approve', '--allow-mass-delete']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']).code).toBe(0);
  });

  it('reports config errors as file:line:col and exits 1 without touching the store', () => {
    const r = gatehouse(['apply', '--config', path.join(repoRoot, 'examples', 'invalid'), '--store', store, '--auto-approve']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\S+:\d+:\d+: error \[[a-z0-9-]+\] /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('blocks plan and apply when the config breaks a guardrail, pointing at the assignment', () => {
    const config = copyAcme();
    writeFileSync(
      path.join(config, 'shortcut.yaml'),
      'assignments:\n  - users: [alice@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [prod-core]\n',
    );
    const validate = gatehouse(['validate', '--config', config]);
    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/shortcut\.yaml:2:5: error \[guardrail\] guardrail `no-user-admin-in-prod` denies user alice@acme\.example → AdministratorAccess in prod-core/);
    const plan = gatehouse(['plan', '--config', config, '--store', store]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('[guardrail]');
    const apply = gatehouse(['apply', '--config', config, '--store', store, '--auto-approve']);
    expect(apply.code).toBe(1);
    expect(auditCount()).toBe(0);
  });
});
