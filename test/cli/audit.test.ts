import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryFor } from '../../src/audit/audit-entry-for.js';
import { openAuditLog } from '../../src/audit/audit-log.js';
import type { Change } from '../../src/diff/change.js';
import { gatehouse as run, repoRoot } from '../helpers/cli.js';

const gatehouse = (cwd: string, ...args: string[]) => run(args, { cwd });

let dir: string;
let dbPath: string;

function seed(count: number): void {
  const log = openAuditLog(dbPath);
  const entries = Array.from({ length: count }, (_, i) => {
    const change: Change = {
      kind: 'assignment.create',
      assignment: {
        principalType: i % 2 ? 'USER' : 'GROUP',
        principalName: i % 2 ? 'alice' : 'admins',
        permissionSetName: 'Admin',
        accountId: String(111111111111 + i),
      },
    };
    const time = new Date(Date.now() - (count - i) * 86_400_000);
    return auditEntryFor(change, { time, actor: 'ci', planId: `plan-${i < 10 ? 'a' : 'b'}` }, { outcome: 'applied', requestIds: [`r${i}`] });
  });
  log.append(entries);
  log.close();
}

function sql(statement: string): void {
  const db = new Database(dbPath);
  db.exec(statement);
  db.close();
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-audit-'));
  fs.mkdirSync(path.join(dir, '.gatehouse'));
  dbPath = path.join(dir, '.gatehouse', 'live.db');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('gatehouse audit verify', () => {
  it('reports an intact log on the default store', () => {
    seed(20);
    const { code, stdout } = gatehouse(dir, 'audit', 'verify');
    expect(stdout).toMatch(/^Audit log OK: 20 records\nhead: [0-9a-f]{64}\n$/);
    expect(code).toBe(0);
  });

  it('names a tampered record', () => {
    seed(20);
    sql(`UPDATE gatehouse_audit SET target = 'assignment:USER:mallory|Admin|111111111127' WHERE seq = 17`);
    const { code, stderr } = gatehouse(dir, 'audit', 'verify', '--store', `sqlite:${dbPath}`);
    expect(stderr).toContain('record 17: hash mismatch (edited?)');
    expect(code).toBe(1);
  });

  it('names a deleted record', () => {
    seed(20);
    sql('DELETE FROM gatehouse_audit WHERE seq = 5');
    const { code, stderr } = gatehouse(dir, 'audit', 'verify');
    expect(stderr).toContain('record 5: missing (deleted?)');
    expect(code).toBe(1);
  });

  it('names reordered records', () => {
    seed(20);
    sql('UPDATE gatehouse_audit SET seq = -1 WHERE seq = 8; UPDATE gatehouse_audit SET seq = 8 WHERE seq = 9; UPDATE gatehouse_audit SET seq = 9 WHERE seq = -1;');
    const { code, stderr } = gatehouse(dir, 'audit', 'verify');
    expect(stderr).toContain('record 8: does not follow record 7 (reordered');
    expect(code).toBe(1);
  });

  it('detects a truncated tail', () => {
    seed(20);
    sql('DELETE FROM gatehouse_audit WHERE seq > 18');
    const { code, stderr } = gatehouse(dir, 'audit', 'verify');
    expect(stderr).toContain('record 19: missing: the head records 20 records');
    expect(code).toBe(1);
  });

  it('fails on a store that does not exist instead of creating it', () => {
    const { code, stderr } = gatehouse(dir, 'audit', 'verify', '--store', 'sqlite:nope.db');
    expect(stderr).toContain('no audit log');
    expect(code).toBe(1);
    expect(fs.existsSync(path.join(dir, 'nope.db'))).toBe(false);
  });
});

describe('gatehouse audit log', () => {
  it('filters by principal and look-back, in text', () => {
    seed(20);
    const { code, stdout } = gatehouse(dir, 'audit', 'log', '--principal', 'alice', '--since', '5d');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    // Seeded one a day: indexes 16..19 (seq 17..20) are under 5 days old; alice has the odd ones.
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['#18', '#20']);
    expect(lines[0]).toContain('APPLIED assignment.create assignment:USER:alice|Admin|111111111128 plan=plan-b');
  });

  it('prints stable JSON', () => {
    seed(3);
    const { code, stdout } = gatehouse(dir, 'audit', 'log', '--format', 'json');
    expect(code).toBe(0);
    const body = JSON.parse(stdout);
    expect(body.format_version).toBe(1);
    expect(body.records).toHaveLength(3);
    expect(body.records[0]).toMatchObject({
      seq: 1,
      actor: 'ci',
      operation: 'assignment.create',
      after: { principalName: 'admins', principalType: 'GROUP', permissionSetName: 'Admin', accountId: '111111111111' },
      request_ids: ['r0'],
      outcome: 'applied',
    });
  });

  it('rejects a bad --since', () => {
    seed(1);
    const { code, stderr } = gatehouse(dir, 'audit', 'log', '--since', 'yesterday');
    expect(stderr).toContain('invalid --since');
    expect(code).toBe(1);
  });
});

// Truncation (issue #8): the chain alone cannot show that its tail was cut off, and the head row
// can be rewritten along with it. Each applied run records the head it left in the applied-plan
// history, which `audit verify` checks; a head hash published elsewhere catches the rest
// (`--expect-head`), since whoever can rewrite all the state can rewrite its anchors too.
describe('gatehouse audit verify after truncation', () => {
  const acme = path.join(repoRoot, 'examples', 'acme');
  let store: string;

  const head = (): { count: number; last_hash: string } => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db.prepare('SELECT count, last_hash FROM gatehouse_audit_head').get() as { count: number; last_hash: string };
    } finally {
      db.close();
    }
  };

  let template: string;
  let tdir: string;
  afterAll(() => fs.rmSync(tdir, { recursive: true, force: true }));
  beforeAll(() => {
    tdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cli-audit-template-'));
    template = path.join(tdir, 'live.db');
    const first = run(['apply', '--config', acme, '--store', `sqlite:${template}`, '--auto-approve'], { cwd: tdir });
    expect(first.code, first.stderr).toBe(0);
    // A second run, so the chain holds two anchored runs.
    const config = path.join(tdir, 'config');
    fs.cpSync(acme, config, { recursive: true });
    fs.writeFileSync(path.join(config, 'extra.yaml'), 'users:\n  - { userName: zed@acme.example, displayName: Zed, name: { given: Zed, family: Z } }\n');
    const second = run(['apply', '--config', config, '--store', `sqlite:${template}`, '--auto-approve'], { cwd: tdir });
    expect(second.code, second.stderr).toBe(0);
    // Fold the WAL into the file, so one file is the whole store.
    const db = new Database(template);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  }, 120_000);

  beforeEach(() => {
    store = `sqlite:${dbPath}`;
    fs.copyFileSync(template, dbPath);
  });

  it('passes on the untouched chain and prints the head to publish', () => {
    const { code, stdout } = gatehouse(dir, 'audit', 'verify', '--store', store);
    expect(code).toBe(0);
    expect(stdout).toContain(`head: ${head().last_hash}`);
    expect(gatehouse(dir, 'audit', 'verify', '--store', store, '--expect-head', head().last_hash).code).toBe(0);
  });

  it('detects the whole chain deleted, head row included', () => {
    sql('DELETE FROM gatehouse_audit; DELETE FROM gatehouse_audit_head;');
    const { code, stderr } = gatehouse(dir, 'audit', 'verify', '--store', store);
    expect(stderr).toMatch(/Audit log BROKEN: record 1: missing: plan [0-9a-f]{12} applied at \S+ left \d+ records, the chain has 0 \(truncated\?\)/);
    expect(code).toBe(1);
  });

  it('detects the tail deleted together with a matching update of the head row', () => {
    const { count } = head();
    const keep = count - 3;
    const kept = new Database(dbPath, { readonly: true });
    const lastKept = (kept.prepare('SELECT hash FROM gatehouse_audit WHERE seq = ?').get(keep) as { hash: string }).hash;
    kept.close();
    sql(`DELETE FROM gatehouse_audit WHERE seq > ${keep}; UPDATE gatehouse_audit_head SET count = ${keep}, last_hash = '${lastKept}';`);
    // The chain and its head agree with each other now; only the anchor of the last run shows the cut.
    const { code, stderr } = gatehouse(dir, 'audit', 'verify', '--store', store);
    expect(stderr).toMatch(new RegExp(`record ${keep + 1}: missing: plan [0-9a-f]{12} applied at \\S+ left \\d+ records, the chain has ${keep} \\(truncated\\?\\)`));
    expect(code).toBe(1);
  });

  it('cannot see a rewrite of all the state, anchors included; a head published elsewhere can (--expect-head)', () => {
    const published = head().last_hash;
    const db = new Database(dbPath);
    // Cut the whole second run: back to the head the first run anchored.
    const anchors = db.prepare('SELECT body FROM gatehouse_applied_plans ORDER BY seq').all() as { body: string }[];
    expect(anchors).toHaveLength(2);
    const keep = (JSON.parse(anchors[0]!.body) as { auditHead: { count: number } }).auditHead.count;
    const lastKept = (db.prepare('SELECT hash FROM gatehouse_audit WHERE seq = ?').get(keep) as { hash: string }).hash;
    // Whoever can write the whole file can also drop the last run's anchor.
    db.exec(`DELETE FROM gatehouse_audit WHERE seq > ${keep}; UPDATE gatehouse_audit_head SET count = ${keep}, last_hash = '${lastKept}';
      DELETE FROM gatehouse_applied_plans WHERE seq = (SELECT max(seq) FROM gatehouse_applied_plans);`);
    db.close();
    expect(gatehouse(dir, 'audit', 'verify', '--store', store).code).toBe(0);
    const { code, stderr } = gatehouse(dir, 'audit', 'verify', '--store', store, '--expect-head', published);
    expect(stderr).toContain(`Audit log BROKEN: it no longer holds the record with hash ${published} (truncated or rewritten?)`);
    expect(code).toBe(1);
  });
});
