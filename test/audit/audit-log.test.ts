import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryFor } from '../../src/audit/audit-entry-for.js';
import { openAuditLog, type AuditLog } from '../../src/audit/audit-log.js';
import { GENESIS_HASH, hashRecord, type AuditEntry } from '../../src/audit/audit-record.js';
import type { Change } from '../../src/diff/change.js';

const context = { actor: 'alice', gitCommit: 'abc123', planId: 'plan-1' };

const changes: Change[] = [
  { kind: 'group.create', after: { displayName: 'admins', description: 'Admins' } },
  { kind: 'membership.add', groupName: 'admins', userName: 'bob' },
  {
    kind: 'assignment.create',
    assignment: { principalType: 'GROUP', principalName: 'admins', permissionSetName: 'Admin', accountId: '111122223333' },
  },
  {
    kind: 'assignment.delete',
    assignment: { principalType: 'USER', principalName: 'carol', permissionSetName: 'ReadOnly', accountId: '111122223333' },
    cause: 'undeclared',
  },
  { kind: 'user.update', before: user('dave', 'Dave'), after: user('dave', 'David'), fields: ['displayName'] },
];

function user(userName: string, displayName: string) {
  return { userName, displayName, givenName: displayName, familyName: 'X' };
}

function entries(start = Date.parse('2025-03-01T10:00:00Z')): AuditEntry[] {
  return changes.map((change, i) =>
    auditEntryFor(change, { ...context, time: new Date(start + i * 60_000) }, { outcome: 'applied', requestIds: [`req-${i}`] }),
  );
}

let dir: string;
let dbPath: string;
let log: AuditLog;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-audit-'));
  dbPath = path.join(dir, 'live.db');
  log = openAuditLog(dbPath);
});

afterEach(() => {
  log.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Tampering as an attacker with sqlite3 would: a separate connection, plain SQL. */
function tamper(sql: string, ...params: unknown[]): void {
  const db = new Database(dbPath);
  db.prepare(sql).run(...params);
  db.close();
}

describe('openAuditLog', () => {
  it('appends records chained from the genesis hash and reads them back', () => {
    const records = log.append(entries());
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    expect(log.read()).toEqual(records);
    expect(records[2]).toMatchObject({
      time: '2025-03-01T10:02:00.000Z',
      actor: 'alice',
      gitCommit: 'abc123',
      planId: 'plan-1',
      operation: 'assignment.create',
      target: 'assignment:GROUP:admins|Admin|111122223333',
      requestIds: ['req-2'],
      outcome: 'applied',
    });
    expect(JSON.parse(records[4]!.before!)).toMatchObject({ displayName: 'Dave' });
    expect(JSON.parse(records[4]!.after!)).toMatchObject({ displayName: 'David' });
    expect(log.verify()).toEqual({ ok: true, count: 5, lastHash: records[4]!.hash });
  });

  it('continues the chain across connections and keeps failed writes with their error', () => {
    const first = log.append(entries().slice(0, 2));
    log.close();
    log = openAuditLog(dbPath);
    const [failed] = log.append([
      auditEntryFor(changes[2]!, { ...context, time: new Date('2025-03-02T00:00:00Z') }, {
        outcome: 'failed',
        requestIds: [],
        error: 'ConflictException: in progress',
      }),
    ]);
    expect(failed).toMatchObject({ seq: 3, prevHash: first[1]!.hash, outcome: 'failed', error: 'ConflictException: in progress' });
    expect(log.verify()).toMatchObject({ ok: true, count: 3 });
  });

  it('filters by time, principal and plan', () => {
    log.append(entries());
    log.append([auditEntryFor(changes[1]!, { ...context, planId: 'plan-2', time: new Date('2025-03-05T00:00:00Z') }, { outcome: 'applied', requestIds: [] })]);
    expect(log.read({ since: new Date('2025-03-01T10:03:00Z') }).map((r) => r.seq)).toEqual([4, 5, 6]);
    expect(log.read({ principal: 'admins' }).map((r) => r.seq)).toEqual([1, 2, 3, 6]);
    expect(log.read({ principal: 'bob' }).map((r) => r.seq)).toEqual([2, 6]);
    expect(log.read({ principal: 'carol' }).map((r) => r.seq)).toEqual([4]);
    expect(log.read({ principal: 'dave' }).map((r) => r.seq)).toEqual([5]);
    expect(log.read({ planId: 'plan-2' }).map((r) => r.seq)).toEqual([6]);
    expect(log.read({ planId: 'plan-' }).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log.read({ planId: 'plan-1x' })).toEqual([]);
  });

  it('an empty log verifies', () => {
    expect(log.verify()).toMatchObject({ ok: true, count: 0 });
  });

  it('an empty append writes nothing', () => {
    expect(log.append([])).toEqual([]);
    expect(log.verify()).toMatchObject({ ok: true, count: 0 });
  });
});

describe('verify detects tampering', () => {
  beforeEach(() => {
    log.append(entries());
  });

  it('an edited field', () => {
    tamper(`UPDATE gatehouse_audit SET actor = 'mallory' WHERE seq = 3`);
    expect(log.verify()).toEqual({ ok: false, seq: 3, reason: 'hash mismatch (edited?)' });
  });

  it('an edit of before/after JSON, even whitespace only', () => {
    tamper(`UPDATE gatehouse_audit SET after_json = replace(after_json, ',', ', ') WHERE seq = 5`);
    expect(log.verify()).toMatchObject({ ok: false, seq: 5, reason: 'hash mismatch (edited?)' });
  });

  it('an edited record whose hash was recomputed breaks the next link', () => {
    // The attacker recomputes record 2's own hash; record 3 still points at the old one.
    const rows = new Database(dbPath);
    const row = rows.prepare('SELECT * FROM gatehouse_audit WHERE seq = 2').get() as Record<string, unknown>;
    rows.close();
    const edited = {
      seq: 2, time: row.time as string, actor: 'mallory', gitCommit: row.git_commit as string, planId: row.plan_id as string,
      operation: row.operation as string, target: row.target as string, after: row.after_json as string,
      requestIds: JSON.parse(row.request_ids as string) as string[], outcome: 'applied' as const, prevHash: row.prev_hash as string,
    };
    tamper(`UPDATE gatehouse_audit SET actor = 'mallory', hash = ? WHERE seq = 2`, hashRecord(edited));
    expect(log.verify()).toMatchObject({ ok: false, seq: 3, reason: expect.stringContaining('does not follow record 2') });
  });

  it('a deleted record (gap)', () => {
    tamper('DELETE FROM gatehouse_audit WHERE seq = 2');
    expect(log.verify()).toEqual({ ok: false, seq: 2, reason: 'missing (deleted?)' });
  });

  it('a deleted record with the later ones renumbered', () => {
    tamper('DELETE FROM gatehouse_audit WHERE seq = 2');
    tamper('UPDATE gatehouse_audit SET seq = seq - 1 WHERE seq > 2');
    expect(log.verify()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('does not follow record 1') });
  });

  it('two records swapped', () => {
    tamper('UPDATE gatehouse_audit SET seq = 100 WHERE seq = 2');
    tamper('UPDATE gatehouse_audit SET seq = 2 WHERE seq = 3');
    tamper('UPDATE gatehouse_audit SET seq = 3 WHERE seq = 100');
    expect(log.verify()).toMatchObject({ ok: false, seq: 2, reason: expect.stringContaining('reordered') });
  });

  it('the first record deleted and the rest renumbered', () => {
    tamper('DELETE FROM gatehouse_audit WHERE seq = 1');
    tamper('UPDATE gatehouse_audit SET seq = seq - 1');
    expect(log.verify()).toMatchObject({ ok: false, seq: 1, reason: expect.stringContaining('does not start the chain') });
  });

  it('the tail truncated', () => {
    tamper('DELETE FROM gatehouse_audit WHERE seq >= 4');
    expect(log.verify()).toMatchObject({ ok: false, seq: 4, reason: expect.stringContaining('truncated') });
  });

  it('the head row deleted', () => {
    tamper('DELETE FROM gatehouse_audit_head');
    expect(log.verify()).toMatchObject({ ok: false, reason: expect.stringContaining('head row missing') });
  });

  it('everything deleted but the head', () => {
    tamper('DELETE FROM gatehouse_audit');
    expect(log.verify()).toMatchObject({ ok: false, seq: 1, reason: expect.stringContaining('truncated') });
  });

  it('a record appended outside gatehouse', () => {
    tamper(
      `INSERT INTO gatehouse_audit (seq, time, actor, git_commit, plan_id, operation, target, before_json, after_json,
         request_ids, outcome, error, prev_hash, hash)
       SELECT 6, time, actor, git_commit, plan_id, operation, target, before_json, after_json,
         request_ids, outcome, error, hash, hash FROM gatehouse_audit WHERE seq = 5`,
    );
    expect(log.verify()).toMatchObject({ ok: false, seq: 6 });
  });
});
