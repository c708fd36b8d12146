import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, gatehouse, repoRoot, tempDir } from '../helpers/cli.js';
import { storeDigest } from '../helpers/store-digest.js';

// Issue #8, "Read-only means read-only": plan and config-only access never create or change
// anything (a mistyped --store path is planned as an empty store and said so; the store's
// organisation is not replaced by the config's file), and a store the user cannot write gives
// an error naming the file and the cause.

const acme = path.join(repoRoot, 'examples', 'acme');
let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir('gatehouse-read-only-');
});
afterAll(() => tmp.cleanup());

describe('read-only commands with a mistyped --store path', () => {
  it('plan creates no file and no directory, plans against an empty store and says so', () => {
    const cwd = path.join(tmp.dir, 'typo-plan');
    mkdirSync(cwd);
    const r = gatehouse(['plan', '--config', acme, '--store', 'sqlite:.gatehuose/live.db', '--detailed-exitcode'], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`Note: the store sqlite:${path.join(cwd, '.gatehuose', 'live.db')} does not exist yet; planned against an empty store (apply creates it).`);
    expect(r.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('plan --out still writes only the plan file', () => {
    const cwd = path.join(tmp.dir, 'typo-plan-out');
    mkdirSync(cwd);
    const r = gatehouse(['plan', '--config', acme, '--store', 'sqlite:nowhere/live.db', '--out', 'plan.json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual(['plan.json']);
  });

  it('access from the config creates no file and no directory', () => {
    const cwd = path.join(tmp.dir, 'typo-access');
    mkdirSync(cwd);
    const r = gatehouse(['access', '--config', acme, '--store', 'sqlite:.gatehuose/live.db', '--user', 'alice@acme.example'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('AdministratorAccess');
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('plan against an existing store', () => {
  it('changes nothing in it, not even the organisation when the config’s organisation file differs', () => {
    const dir = path.join(tmp.dir, 'existing');
    const config = path.join(dir, 'config');
    cpSync(acme, config, { recursive: true });
    const db = path.join(dir, 'live.db');
    expect(gatehouse(['apply', '--config', config, '--store', `sqlite:${db}`, '--auto-approve']).code).toBe(0);
    // The organisation file moves on (an account renamed); the store keeps what apply loaded.
    const org = path.join(config, 'organization.yaml');
    writeFileSync(org, readFileSync(org, 'utf8').replace(/name: sandbox$/m, 'name: sandbox-renamed'));
    expect(readFileSync(org, 'utf8')).toContain('sandbox-renamed');
    const before = storeDigest(db);
    const r = gatehouse(['plan', '--config', config, '--store', `sqlite:${db}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(storeDigest(db)).toBe(before);
    const conn = new Database(db, { readonly: true });
    const names = (conn.prepare('SELECT name FROM org_accounts ORDER BY name').all() as { name: string }[]).map((a) => a.name);
    conn.close();
    expect(names).toContain('sandbox');
    expect(names).not.toContain('sandbox-renamed');
  });
});

// A store the user cannot write. Root ignores file permissions, so as root the directory is made
// read-only with a read-only bind mount in a private mount namespace (`unshare -m`, EROFS); as
// any other user, with chmod a-w on the directory (EACCES). Skipped, saying so, where neither works.
const isRoot = process.getuid?.() === 0;
const canBindReadOnly = isRoot && spawnSync('unshare', ['-m', 'sh', '-c', 'd=$(mktemp -d) && mount --bind "$d" "$d" && mount -o remount,ro,bind "$d"; rc=$?; rmdir "$d"; exit $rc']).status === 0;

/**
 * A store applied from acme in its own directory, with its WAL files left beside it or not, and
 * its digest (taken first: reading it leaves the WAL files).
 */
function storeWith(walFiles: boolean, name: string): { storeDir: string; db: string; digest: string } {
  const storeDir = path.join(tmp.dir, name, 'store');
  mkdirSync(storeDir, { recursive: true });
  const db = path.join(storeDir, 'live.db');
  expect(gatehouse(['apply', '--config', acme, '--store', `sqlite:${db}`, '--auto-approve']).code).toBe(0);
  const digest = storeDigest(db);
  if (walFiles) {
    // A read-only connection closing last keeps them.
    const reader = new Database(db, { readonly: true });
    reader.prepare('SELECT count(*) FROM gatehouse_audit').get();
    reader.close();
  } else {
    // Everything checkpointed into the database file; then the WAL files can go.
    const writer = new Database(db);
    writer.pragma('wal_checkpoint(TRUNCATE)');
    writer.close();
    rmSync(`${db}-wal`, { force: true });
    rmSync(`${db}-shm`, { force: true });
  }
  expect(existsSync(`${db}-shm`)).toBe(walFiles);
  return { storeDir, db, digest };
}

/** The CLI with `storeDir` not writable: a read-only bind mount as root, else chmod a-w. */
function withReadOnly(storeDir: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  if (isRoot) {
    const quoted = [process.execPath, cliPath, ...args].map((a) => `'${a}'`).join(' ');
    return spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind '${storeDir}' '${storeDir}' && mount -o remount,ro,bind '${storeDir}' && ${quoted}`], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1', GATEHOUSE_ACTOR: 'test' },
    });
  }
  chmodSync(storeDir, 0o555);
  try {
    const g = gatehouse(args);
    return { status: g.code, stdout: g.stdout, stderr: g.stderr };
  } finally {
    chmodSync(storeDir, 0o755);
  }
}

describe('a store on a file system the user cannot write', () => {
  // Two ways SQLite meets it: with the -wal and -shm files of a WAL database left next to it (a
  // reader that closed last leaves them), it opens read-only and fails at the first write
  // (SQLITE_READONLY); without them it cannot open at all (SQLITE_CANTOPEN).
  it.skipIf(isRoot && !canBindReadOnly).each([
    ['with its WAL files', true],
    ['without WAL files', false],
  ])(`apply says which file and why, %s (${isRoot ? 'read-only bind mount' : 'chmod a-w'})`, (_label, walFiles) => {
    const { storeDir, db, digest: before } = storeWith(walFiles, `read-only-fs-${String(walFiles)}`);
    const r = withReadOnly(storeDir, ['apply', '--config', acme, '--store', `sqlite:${db}`, '--auto-approve']);
    expect(r.status, r.stderr).toBe(1);
    const cause = isRoot ? 'read-only file system' : 'permission denied';
    const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(r.stderr).toMatch(
      new RegExp(`^Error: cannot use the shared state sqlite:${esc(db)}: (SQLITE_CANTOPEN: unable to open database file|SQLITE_READONLY: attempt to write a readonly database) \\((${esc(db)}|${esc(storeDir)}): ${cause}\\)$`, 'm'),
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toContain('Apply complete');
    expect(storeDigest(db)).toBe(before);
  });

  // What only reads reads it all the same (from a copy SQLite can lock), and leaves it as it was.
  it.skipIf(isRoot && !canBindReadOnly).each([
    ['with its WAL files', true],
    ['without WAL files', false],
  ])(`plan, drift and audit verify read it, %s`, (_label, walFiles) => {
    const { storeDir, db, digest: before } = storeWith(walFiles, `read-only-readers-${String(walFiles)}`);
    const files = readdirSync(storeDir).sort();
    const store = ['--store', `sqlite:${db}`];
    const plan = withReadOnly(storeDir, ['plan', '--config', acme, ...store, '--detailed-exitcode']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('No changes.');
    const drift = withReadOnly(storeDir, ['drift', '--config', acme, ...store]);
    expect(drift.status, drift.stderr).toBe(0);
    const verify = withReadOnly(storeDir, ['audit', 'verify', ...store]);
    expect(verify.status, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^Audit log OK: \d+ records/);
    expect(readdirSync(storeDir).sort()).toEqual(files);
    expect(storeDigest(db)).toBe(before);
  });
});
