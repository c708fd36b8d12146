import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../src/audit/audit-log.js';
import { repoRoot } from '../helpers/cli.js';

// Two processes appending to one audit log at once (an apply and a concurrent tool, or two
// store connections) must still produce one unbroken chain: each append chains onto the head
// inside a write transaction.

const auditModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'audit', 'audit-log.js')).href;

const CHILD = `
const { openAuditLog } = await import(process.argv[1]);
const [dbPath, actor, count] = process.argv.slice(2);
const log = openAuditLog(dbPath);
// Ready, then wait for the go on stdin: all start together, so the appends really interleave.
process.stdout.write('ready\\n');
await new Promise((r) => process.stdin.once('data', r));
for (let i = 0; i < Number(count); i++) {
  log.append([{ time: new Date(), actor, planId: actor, operation: 'user.create', target: 'user:' + actor + i, after: { i }, requestIds: [], outcome: 'applied' }]);
}
log.close();
`;

function appender(dbPath: string, actor: string, count: number) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, auditModule, dbPath, actor, String(count)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const done = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { ready, done, go: () => child.stdin.end('go\n') };
}

// Enough appends per process that they overlap in time even when one process starts late on a
// loaded machine (each append is a short transaction, well under a millisecond).
const PER_PROCESS = 4000;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-audit-concurrent-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('audit log appends from several processes', () => {
  it('interleave into one valid chain', async () => {
    const dbPath = path.join(dir, 'live.db');
    openAuditLog(dbPath).close();
    const children = ['a', 'b', 'c'].map((actor) => appender(dbPath, actor, PER_PROCESS));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    const codes = await Promise.all(children.map((c) => c.done));
    expect(codes).toEqual([0, 0, 0]);
    const log = openAuditLog(dbPath);
    expect(log.verify()).toMatchObject({ ok: true, count: 3 * PER_PROCESS });
    const actors = log.read().map((r) => r.actor);
    expect(actors.filter((a) => a === 'b')).toHaveLength(PER_PROCESS);
    // Interleaved, not one after the other (which would show 2 switches of actor).
    expect(actors.filter((a, i) => i > 0 && a !== actors[i - 1]).length).toBeGreaterThan(2);
    log.close();
  });
});
