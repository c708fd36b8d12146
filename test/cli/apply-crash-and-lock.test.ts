import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, gatehouseAsync, tempDir } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';

// An apply big enough to take a few seconds: 600 users in 30 groups, two permission sets on 40
// accounts (2,400 assignments).

let tmp: { dir: string; cleanup: () => void };
let config: string;

beforeAll(() => {
  tmp = tempDir();
  config = path.join(tmp.dir, 'config');
  writeGeneratedConfig(config, { users: 600, groups: 30, accounts: 40 });
});
afterAll(() => tmp.cleanup());

const auditRecords = (db: string): number => {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const row = conn.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'gatehouse_audit'").get() as { n: number };
    if (row.n === 0) return 0;
    return (conn.prepare('SELECT count(*) AS n FROM gatehouse_audit').get() as { n: number }).n;
  } finally {
    conn.close();
  }
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('apply under failure', () => {
  it('converges after being killed mid-wave, and the audit chain stays valid', async () => {
    const db = path.join(tmp.dir, 'crash.db');
    const store = `sqlite:${db}`;
    const run = gatehouseAsync(['apply', '--config', config, '--store', store, '--auto-approve']);
    // Wait until the apply is well into its waves (some, not all, writes recorded), then kill it.
    const deadline = Date.now() + 60_000;
    let seen = 0;
    while (Date.now() < deadline) {
      await sleep(50);
      try {
        seen = auditRecords(db);
      } catch {
        seen = 0;
      }
      if (seen > 700) break;
    }
    run.child.kill('SIGKILL');
    const killed = await run.done;
    expect(killed.code).toBe(-1);
    expect(seen).toBeGreaterThan(700);

    const plan = gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']);
    expect(plan.code).toBe(2);
    const rerun = gatehouse(['apply', '--config', config, '--store', store, '--auto-approve', '--lock-timeout', '30s']);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']).code).toBe(0);
    const verify = gatehouse(['audit', 'verify', '--store', store]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('lets one of two concurrent applies write; the other waits, gives up, and writes nothing', async () => {
    const db = path.join(tmp.dir, 'lock.db');
    const store = `sqlite:${db}`;
    const args = ['apply', '--config', config, '--store', store, '--auto-approve', '--lock-timeout', '200ms'];
    const a = gatehouseAsync(args);
    const b = gatehouseAsync(args);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    const codes = [ra.code, rb.code].sort();
    expect(codes, ra.stderr + rb.stderr).toEqual([0, 1]);
    const loser = ra.code === 1 ? ra : rb;
    expect(loser.stderr).toMatch(/lock/i);
    expect(loser.stdout).not.toContain('Apply complete');
    // Every audit record comes from the winner's single plan.
    const conn = new Database(db, { readonly: true });
    const plans = conn.prepare('SELECT count(DISTINCT plan_id) AS n FROM gatehouse_audit').get() as { n: number };
    conn.close();
    expect(plans.n).toBe(1);
    expect(gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode']).code).toBe(0);
  });
});
