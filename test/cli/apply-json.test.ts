import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';

// `gatehouse apply --format json` prints one document however the apply ends, and it matches
// schemas/output/apply.schema.json (validated as the other output schemas are, in
// test/cli/conventions.test.ts: strict Ajv with every schema of schemas/output loaded).

const acme = path.join(repoRoot, 'examples', 'acme');
const schemasDir = path.join(repoRoot, 'schemas', 'output');
const ajv = new Ajv2020({ allErrors: true, strict: true });
for (const file of readdirSync(schemasDir)) ajv.addSchema(JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as object);

interface ApplyDoc {
  status: string;
  message: string | null;
  counts: { applied: number; failed: number; unknown: number; skipped: number };
  changes: { status: string; reason: string | null }[];
  diagnostics: { rule: string; severity: string }[];
}

/** Parses stdout as exactly one JSON document and checks it against `schema`. */
function validate<T = ApplyDoc>(schema: string, stdout: string): T {
  const check = ajv.getSchema(`https://gatehouse.dev/schemas/output/${schema}.schema.json`)!;
  const doc = JSON.parse(stdout) as unknown;
  expect(check(doc), `${schema}: ${ajv.errorsText(check.errors)}`).toBe(true);
  return doc as T;
}

let tmp: { dir: string; cleanup: () => void };
let config: string;
beforeAll(() => {
  tmp = tempDir('gatehouse-apply-json-');
  config = path.join(tmp.dir, 'config');
  cpSync(acme, config, { recursive: true });
});
afterAll(() => tmp.cleanup());

const applyJson = (store: string, extra: string[] = [], cfg = config) => gatehouse(['apply', '--config', cfg, '--store', store, '--format', 'json', ...extra]);

describe('apply --format json', () => {
  it('applied, then no-changes, then refused (a mass deletion), each one document matching the schema', () => {
    const store = `sqlite:${path.join(tmp.dir, 'a.db')}`;
    const applied = applyJson(store, ['--auto-approve']);
    expect(applied.code, applied.stderr).toBe(0);
    const doc = validate('apply', applied.stdout);
    expect(doc.status).toBe('applied');
    expect(doc.counts.applied).toBeGreaterThan(50);
    expect(doc.changes.every((c) => c.status === 'applied')).toBe(true);

    const again = applyJson(store, ['--auto-approve']);
    expect(validate('apply', again.stdout).status).toBe('no-changes');

    const emptied = path.join(tmp.dir, 'emptied');
    cpSync(config, emptied, { recursive: true });
    rmSync(path.join(emptied, 'assignments.yaml'));
    const refused = applyJson(store, ['--auto-approve'], emptied);
    expect(refused.code).toBe(1);
    const r = validate('apply', refused.stdout);
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/--allow-mass-delete/);
  });

  it('cancelled (no terminal to confirm on)', () => {
    const r = applyJson(`sqlite:${path.join(tmp.dir, 'c.db')}`);
    expect(r.code).toBe(1);
    expect(validate('apply', r.stdout).status).toBe('cancelled');
  });

  it('plan-errors: the guardrail error is in the document, not in a second one', () => {
    const broken = path.join(tmp.dir, 'broken');
    cpSync(config, broken, { recursive: true });
    writeFileSync(path.join(broken, 'shortcut.yaml'), 'assignments:\n  - users: [alice@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [prod-core]\n');
    const r = applyJson(`sqlite:${path.join(tmp.dir, 'p.db')}`, ['--auto-approve'], broken);
    expect(r.code).toBe(1);
    const doc = validate('apply', r.stdout);
    expect(doc.status).toBe('plan-errors');
    expect(doc.diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toContain('guardrail');
    expect(r.stderr).toMatch(/shortcut\.yaml:2:5: error \[guardrail\]/);
  });

  it('interrupted (SIGINT mid-apply): exit 130, skipped changes say they did not start', async () => {
    const store = `sqlite:${path.join(tmp.dir, 'i.db')}`;
    const r = await gatehouseAsync(['apply', '--config', config, '--store', store, '--format', 'json', '--auto-approve'], { env: { GATEHOUSE_FAULT: 'int:after-outcome:5' } }).done;
    expect(r.code, r.stderr).toBe(130);
    const doc = validate('apply', r.stdout);
    expect(doc.status).toBe('interrupted');
    expect(doc.counts.applied).toBeGreaterThanOrEqual(5);
    expect(doc.counts.skipped).toBeGreaterThan(0);
    expect(doc.changes.filter((c) => c.status === 'skipped').every((c) => c.reason === 'not started: interrupted by SIGINT')).toBe(true);
  });

  it('failed (the lock held by another apply): the document carries the error', () => {
    const store = `sqlite:${path.join(tmp.dir, 'a.db')}`;
    // Take the lock as a live process on this host would hold it: this test's own pid.
    const db = new Database(path.join(tmp.dir, 'a.db'));
    db.prepare(
      "INSERT OR REPLACE INTO gatehouse_lock (id, token, owner, pid, host, acquired_at, expires_at) VALUES (1, 't', 'someone', ?, ?, '2026-01-01T00:00:00Z', ?)",
    ).run(process.pid, os.hostname(), Date.now() + 600_000);
    db.close();
    const r = applyJson(store, ['--auto-approve', '--lock-timeout', '0s']);
    expect(r.code).toBe(1);
    const doc = validate('apply', r.stdout);
    expect(doc.status).toBe('failed');
    expect(doc.message).toMatch(/another apply holds the lock/);
  });

  it('a config that does not load prints the error document only', () => {
    const r = applyJson(`sqlite:${path.join(tmp.dir, 'e.db')}`, ['--auto-approve'], path.join(repoRoot, 'examples', 'invalid'));
    expect(r.code).toBe(1);
    const doc = validate<{ ok: boolean }>('error', r.stdout);
    expect(doc.ok).toBe(false);
  });
});
