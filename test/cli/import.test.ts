import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// Adoption: a live system configured some other way is imported, and the imported config must
// describe it exactly: validate passes, and a plan against the same store is empty.

const acme = path.join(repoRoot, 'examples', 'acme');
let tmp: { dir: string; cleanup: () => void };
let dbPath: string;
let store: string;

beforeAll(() => {
  tmp = tempDir('gatehouse-import-');
  dbPath = path.join(tmp.dir, 'live.db');
  store = `sqlite:${dbPath}`;
  const applied = gatehouse(['apply', '--config', acme, '--store', store, '--auto-approve']);
  expect(applied.code, applied.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('gatehouse import', () => {
  it('writes a config that validates and plans to nothing against the same store', async () => {
    const out = path.join(tmp.dir, 'imported');
    const r = gatehouse(['import', '--out', out, '--store', store]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Imported 17 users, 7 groups, 7 permission sets and \d+ assignments \(written as \d+ rules\) into /);
    expect(readdirSync(out).sort()).toEqual([
      'assignments.yaml',
      'gatehouse.yaml',
      'groups.yaml',
      'organization.yaml',
      'permission-sets.yaml',
      'policies',
      'users.yaml',
    ]);
    // The schema hint resolves from the written directory to this package's schemas.
    const hint = /^# yaml-language-server: \$schema=(.+)$/m.exec(readFileSync(path.join(out, 'assignments.yaml'), 'utf8'))![1]!;
    expect(existsSync(path.resolve(out, hint))).toBe(true);

    const validate = gatehouse(['validate', '--config', out]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    const now = new Date();
    const loaded = await loadConfig(out, { now });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const live = await openSqliteStore(dbPath, { readOnly: true });
    try {
      const plan = buildPlan({ desired: loaded.desired!, live: await live.snapshot(), now });
      expect(plan.waves.flatMap((w) => w.changes)).toEqual([]);
      expect(plan.unmanaged).toEqual([]);
    } finally {
      await live.close();
    }

    const plan = gatehouse(['plan', '--config', out, '--store', store, '--detailed-exitcode']);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it('writes assignments compactly, with OU targets where exact', () => {
    const out = path.join(tmp.dir, 'compact');
    expect(gatehouse(['import', '--out', out, '--store', store]).code).toBe(0);
    const assignments = readFileSync(path.join(out, 'assignments.yaml'), 'utf8');
    // acme grants ReadOnly to two groups on every production account by tag: that is exactly
    // the Security OU and the Prod OU, and both groups share one rule.
    expect(assignments).toContain(
      ['  - groups:', '      - developers', '      - engineering-managers', '    permissionSets:', '      - ReadOnly', '    ous:', '      - /Root/Security', '      - /Root/Workloads/Prod'].join('\n'),
    );
    // data-engineers hold two permission sets on the same accounts: one rule.
    expect(assignments).toContain(['  - groups:', '      - data-engineers', '    permissionSets:', '      - DataEngineer', '      - ReadOnly'].join('\n'));
    expect(readFileSync(path.join(out, 'policies', 'DataEngineer.json'), 'utf8')).toContain('"Statement"');
  });

  it('refuses a non-empty directory without --force and leaves it untouched', () => {
    const out = path.join(tmp.dir, 'occupied');
    mkdirSync(out);
    writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    const r = gatehouse(['import', '--out', out, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not empty');
    expect(readdirSync(out)).toEqual(['notes.txt']);
    const forced = gatehouse(['import', '--out', out, '--store', store, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(out)).not.toContain('notes.txt');
    expect(readdirSync(tmp.dir).filter((n) => n.includes('.import-'))).toEqual([]);
  });

  it('with an external identity source writes no users or groups, and still validates', () => {
    const out = path.join(tmp.dir, 'external');
    expect(gatehouse(['import', '--out', out, '--store', store, '--identity-source', 'external']).code).toBe(0);
    expect(readdirSync(out)).not.toContain('users.yaml');
    expect(readFileSync(path.join(out, 'gatehouse.yaml'), 'utf8')).toContain('identitySource: external');
    const validate = gatehouse(['validate', '--config', out]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
  });

  it('imports a store with the organisation given on the command line', () => {
    const out = path.join(tmp.dir, 'with-org');
    const r = gatehouse(['import', '--out', out, '--store', store, '--organization', path.join(acme, 'organization.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'organization.yaml'), 'utf8')).toContain('managementAccountId: "111111111111"');
  });

  it('fails on a store that does not exist, writing nothing', () => {
    const out = path.join(tmp.dir, 'never');
    const r = gatehouse(['import', '--out', out, '--store', `sqlite:${path.join(tmp.dir, 'nope.db')}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no store at');
    expect(existsSync(out)).toBe(false);
  });
});
