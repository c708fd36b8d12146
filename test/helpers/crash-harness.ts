import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ORG } from '../emulator/fixture.js';
import { gatehouse, gatehouseAsync, repoRoot, type CliResult } from './cli.js';
import { auditRecords } from './store-digest.js';
import { startWriteLogEmulator, type StoreWrite, type WriteLogEmulator } from './write-log-emulator.js';

// Runs `gatehouse apply --store aws` against the write-logging emulator, interrupted at a chosen
// point, then checks the promises of the write-ahead audit trail (issue #8): every write the
// store saw has an intent record that a later record closes, the rerun converges, and
// `audit verify` passes.

export const CRASH_CONFIG = path.join(repoRoot, 'test', 'fixtures', 'crash-config');
export const AWS_ENV = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };

export interface Workspace {
  readonly cwd: string;
  readonly dbPath: string;
  /** `--store aws` keeps its state (lock, audit) here, relative to the working directory. */
  readonly statePath: string;
}

export function workspace(root: string, name: string, from?: Workspace): Workspace {
  const cwd = path.join(root, name);
  mkdirSync(path.join(cwd, '.gatehouse'), { recursive: true });
  const ws = { cwd, dbPath: path.join(cwd, 'emulator.db'), statePath: path.join(cwd, '.gatehouse', 'audit.db') };
  if (from) {
    // A copy of a workspace at rest (no process holds the files): the emulator database and the
    // audit state together, as one consistent backup.
    for (const [src, dst] of [
      [from.dbPath, ws.dbPath],
      [from.statePath, ws.statePath],
    ] as const) {
      checkpoint(src);
      cpSync(src, dst);
    }
  }
  return ws;
}

/** Folds the WAL into the main file, so copying the main file copies everything. */
function checkpoint(file: string): void {
  if (!existsSync(file)) return;
  const db = new Database(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

export const startEmulatorIn = (ws: Workspace, latencyMs?: number): Promise<WriteLogEmulator> =>
  startWriteLogEmulator({ dbPath: ws.dbPath, organization: ORG, ...(latencyMs ? { latencyMs } : {}) });

export const applyArgs = (config: string, url: string, extra: string[] = []) => [
  'apply',
  '--auto-approve',
  '--config',
  config,
  '--store',
  'aws',
  '--endpoint-url',
  url,
  '--lock-timeout',
  '10s',
  ...extra,
];

export function applyAsync(ws: Workspace, config: string, url: string, env: Record<string, string> = {}, extra: string[] = []) {
  return gatehouseAsync(applyArgs(config, url, extra), { cwd: ws.cwd, env: { ...AWS_ENV, ...env } });
}

export const apply = (ws: Workspace, config: string, url: string, env: Record<string, string> = {}, extra: string[] = []): Promise<CliResult> =>
  applyAsync(ws, config, url, env, extra).done;

export const auditVerify = (ws: Workspace): CliResult => gatehouse(['audit', 'verify', '--state', `sqlite:${ws.statePath}`], { cwd: ws.cwd });

/** Is the apply lock free (no lease row)? */
export function lockReleased(ws: Workspace): boolean {
  if (!existsSync(ws.statePath)) return true;
  const db = new Database(ws.statePath, { readonly: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gatehouse_lock'").get();
    return !has || db.prepare('SELECT 1 FROM gatehouse_lock').get() === undefined;
  } finally {
    db.close();
  }
}

/** Who holds the apply lock of a SQLite state file, and until when (epoch ms). */
export function lockHolder(statePath: string): { pid: number; expires_at: number } | undefined {
  const db = new Database(statePath, { readonly: true });
  try {
    return db.prepare('SELECT pid, expires_at FROM gatehouse_lock WHERE id = 1').get() as { pid: number; expires_at: number } | undefined;
  } finally {
    db.close();
  }
}

/** Polls `probe` every 20 ms until it answers, or fails naming what it waited for. */
export async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Intents no record closes (outcome applied/failed, or a resolution), by seq. */
export function openIntents(ws: Workspace): number[] {
  const records = auditRecords(ws.statePath);
  const closed = new Set(records.filter((r) => r.intent_seq !== null && (r.kind === 'resolution' || (r.kind === 'outcome' && r.outcome !== 'unknown'))).map((r) => r.intent_seq));
  return records.filter((r) => r.kind === 'intent' && !closed.has(r.seq)).map((r) => r.seq);
}

/**
 * Writes the store saw that the audit trail does not account for: no intent for the target,
 * or only intents that nothing closed. For a single-call change (user, group, membership,
 * assignment create) the closing record must also say `applied`: the store did take it.
 */
export function unaccountedWrites(ws: Workspace, writes: readonly StoreWrite[]): string[] {
  const records = auditRecords(ws.statePath);
  const closing = new Map<number, string>();
  for (const r of records) {
    if (r.intent_seq === null) continue;
    if (r.kind === 'resolution' || (r.kind === 'outcome' && r.outcome !== 'unknown')) closing.set(r.intent_seq, r.outcome);
  }
  const intents = records.filter((r) => r.kind === 'intent');
  // A record from before write-ahead records (an outcome with no intent) accounts for its write too.
  const legacy = new Set(records.filter((r) => r.kind !== 'intent' && r.intent_seq === null && r.outcome === 'applied').map((r) => r.target.toLowerCase()));
  const problems: string[] = [];
  for (const w of writes) {
    if (legacy.has(w.target.toLowerCase())) continue;
    const mine = intents.filter((i) => i.target.toLowerCase() === w.target.toLowerCase());
    if (mine.length === 0) {
      problems.push(`${w.operation} ${w.target}: no intent record`);
      continue;
    }
    const closedBy = mine.map((i) => closing.get(i.seq)).filter((o): o is string => o !== undefined);
    if (closedBy.length === 0) {
      problems.push(`${w.operation} ${w.target}: intent ${mine.map((i) => `#${i.seq}`).join(', ')} never closed`);
      continue;
    }
    const singleCall = /^(identitystore:Create(User|Group|GroupMembership)|sso-admin:CreateAccountAssignment)$/.test(w.operation);
    if (singleCall && !closedBy.includes('applied')) problems.push(`${w.operation} ${w.target}: the store took it, the audit trail says ${closedBy.join(', ')}`);
  }
  return problems;
}

export type { StoreWrite };
