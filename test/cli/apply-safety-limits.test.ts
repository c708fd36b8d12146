import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';
import { storeDigest } from '../helpers/store-digest.js';

// Issue #8, "Safety limits that cannot be switched off by the change itself", and "a plan that
// apply would refuse says so in every format". The limits in force are the stricter of the
// config's and those of the last complete apply (kept in the shared state); a config that raises
// them needs --allow-mass-delete, and policies stripped from a permission set count as deletions.

const acme = path.join(repoRoot, 'examples', 'acme');
let tmp: { dir: string; cleanup: () => void };
/** acme applied once: the limits recorded are acme's (maxDeletes 25, maxDeleteFraction 0.25). */
let template: string;

beforeAll(() => {
  tmp = tempDir('gatehouse-safety-');
  template = path.join(tmp.dir, 'template.db');
  const r = gatehouse(['apply', '--config', acme, '--store', `sqlite:${template}`, '--auto-approve']);
  expect(r.code, r.stderr).toBe(0);
  const db = new Database(template);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}, 120_000);
afterAll(() => tmp.cleanup());

let n = 0;
/** A fresh copy of the applied store and of the acme config, edited by `edit`. */
function scenario(edit: (config: string) => void): { config: string; db: string; store: string } {
  const dir = path.join(tmp.dir, `case-${++n}`);
  const config = path.join(dir, 'config');
  cpSync(acme, config, { recursive: true });
  edit(config);
  const db = path.join(dir, 'live.db');
  cpSync(template, db);
  return { config, db, store: `sqlite:${db}` };
}

const setSafety = (config: string, maxDeletes: number, maxDeleteFraction: number) => {
  const file = path.join(config, 'gatehouse.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/safety:\n\s+maxDeletes: \d+\n\s+maxDeleteFraction: [\d.]+\n/, `safety:\n  maxDeletes: ${maxDeletes}\n  maxDeleteFraction: ${maxDeleteFraction}\n`));
  expect(readFileSync(file, 'utf8')).toContain(`maxDeletes: ${maxDeletes}\n`);
};
const emptyAccess = (config: string) => {
  rmSync(path.join(config, 'assignments.yaml'));
  rmSync(path.join(config, 'groups.yaml'));
};

describe('apply refuses a change that loosens its own safety limits', () => {
  it('a pull request that raises maxDeletes and empties the config is refused without the flag, writing nothing', () => {
    const s = scenario((config) => {
      setSafety(config, 100_000, 1);
      emptyAccess(config);
    });
    const before = storeDigest(s.db);
    const r = gatehouse(['apply', '--config', s.config, '--store', s.store, '--auto-approve']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('Refusing to apply: the config raises safety.maxDeletes from 25 to 100000 and safety.maxDeleteFraction from 0.25 to 1');
    expect(r.stderr).toContain('--allow-mass-delete');
    expect(r.stdout).not.toContain('Apply complete');
    expect(storeDigest(s.db)).toBe(before);

    const allowed = gatehouse(['apply', '--config', s.config, '--store', s.store, '--auto-approve', '--allow-mass-delete']);
    expect(allowed.code, allowed.stderr).toBe(0);
  });

  it('raising the limits and keeping one grant (so nothing is "emptied") is refused too: the last apply\'s limits hold', () => {
    const s = scenario((config) => {
      setSafety(config, 100_000, 1);
      writeFileSync(path.join(config, 'assignments.yaml'), 'assignments:\n  - groups: [finance]\n    permissionSets: [Billing]\n    accounts: [management]\n');
    });
    const before = storeDigest(s.db);
    const r = gatehouse(['apply', '--config', s.config, '--store', s.store, '--auto-approve']);
    expect(r.code, r.stdout.slice(-300) + r.stderr).toBe(1);
    expect(r.stderr).toContain('Refusing to apply: the config raises safety.maxDeletes from 25 to 100000');
    expect(storeDigest(s.db)).toBe(before);
  });

  it('keeping one assignment does not sidestep the check: the deletions still count against maxDeletes', () => {
    const s = scenario((config) => {
      // Not every assignment goes (so nothing is "emptied"), but 30-odd grants do.
      writeFileSync(path.join(config, 'assignments.yaml'), 'assignments:\n  - groups: [finance]\n    permissionSets: [Billing]\n    accounts: [management]\n');
    });
    const before = storeDigest(s.db);
    const r = gatehouse(['apply', '--config', s.config, '--store', s.store, '--auto-approve']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Refusing to apply: the plan deletes \d+ objects, more than safety\.maxDeletes \(25\)/);
    expect(storeDigest(s.db)).toBe(before);
  });

  it('counts policies stripped from a permission set as deletions', () => {
    const s = scenario((config) => {
      setSafety(config, 2, 0.25);
      // Three removals of access and no object deleted: ReadOnly and SecurityAudit lose
      // ViewOnlyAccess, DataEngineer its inline policy. Over maxDeletes 2.
      const file = path.join(config, 'permission-sets.yaml');
      const text = readFileSync(file, 'utf8');
      const stripped = text
        .replace('managedPolicies: [ReadOnlyAccess, job-function/ViewOnlyAccess]', 'managedPolicies: [ReadOnlyAccess]')
        .replace('managedPolicies: [SecurityAudit, job-function/ViewOnlyAccess]', 'managedPolicies: [SecurityAudit]')
        .replace('    inlinePolicy: policies/data-engineer.json\n', '');
      expect(stripped.length).toBeLessThan(text.length - 60);
      writeFileSync(file, stripped);
    });
    const plan = gatehouse(['plan', '--config', s.config, '--store', s.store]);
    expect(plan.stdout).toMatch(/Plan: 0 to add, \d+ to change, 0 to destroy\./);
    const before = storeDigest(s.db);
    const r = gatehouse(['apply', '--config', s.config, '--store', s.store, '--auto-approve']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toMatch(/Refusing to apply: the plan deletes 3 objects \(3 of them policies stripped from permission sets\), more than safety\.maxDeletes \(2\)/);
    expect(storeDigest(s.db)).toBe(before);
  });
});

describe('a plan that apply would refuse says so in every format, naming the flag or the fix', () => {
  const schemas = path.join(repoRoot, 'schemas', 'output');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  for (const file of ['diagnostic.schema.json', 'plan.schema.json', 'error.schema.json']) ajv.addSchema(JSON.parse(readFileSync(path.join(schemas, file), 'utf8')) as object);
  const planSchema = ajv.getSchema('https://gatehouse.dev/schemas/output/plan.schema.json')!;

  const cases = [
    { name: 'a mass deletion (an emptied config)', edit: emptyAccess, exit: 0, says: /apply will refuse this plan: the plan deletes all 33 live account assignments \(an emptied config\?\); if it is intended, apply with --allow-mass-delete/i },
    {
      name: 'raised safety limits',
      edit: (c: string) => setSafety(c, 1000, 0.5),
      exit: 0,
      says: /apply will refuse this plan: the config raises safety\.maxDeletes from 25 to 1000 and safety\.maxDeleteFraction from 0\.25 to 0\.5 \(the last applied run's limits\); to accept, apply with --allow-mass-delete/i,
    },
    {
      name: 'a guardrail error',
      edit: (c: string) => writeFileSync(path.join(c, 'shortcut.yaml'), 'assignments:\n  - users: [alice@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [prod-core]\n'),
      exit: 1,
      says: /apply will refuse this plan: 1 error \(guardrails or unresolved references\) must be fixed in the config first/i,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = scenario(c.edit);
      const text = gatehouse(['plan', '--config', s.config, '--store', s.store]);
      expect(text.code, text.stderr).toBe(c.exit);
      expect(text.stdout).toMatch(c.says);

      const md = gatehouse(['plan', '--config', s.config, '--store', s.store, '--format', 'markdown']);
      expect(md.code).toBe(c.exit);
      // In the comment's head, before any detail, as a callout.
      const head = md.stdout.slice(0, md.stdout.indexOf('<details>') === -1 ? undefined : md.stdout.indexOf('<details>'));
      expect(head).toContain('> [!CAUTION]');
      expect(head).toMatch(new RegExp(`^> ${c.says.source}`, 'im'));

      const json = gatehouse(['plan', '--config', s.config, '--store', s.store, '--format', 'json']);
      expect(json.code).toBe(c.exit);
      // One document (it was an error document followed by the plan when the plan had errors).
      const doc = JSON.parse(json.stdout) as { diagnostics: { rule: string; message: string }[] };
      expect(planSchema(doc), ajv.errorsText(planSchema.errors)).toBe(true);
      const blocked = doc.diagnostics.filter((d) => d.rule === 'apply-blocked').map((d) => d.message);
      expect(blocked.some((m) => c.says.test(m)), blocked.join('\n')).toBe(true);
    });
  }
});
