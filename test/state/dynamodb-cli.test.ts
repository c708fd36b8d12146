import fs from 'node:fs';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouseAsync, repoRoot, tempDir, waitUntilStopped } from '../helpers/cli.js';
import { writeGeneratedConfig } from '../helpers/generated-config.js';
import { startDynalite, type Dynalite } from './dynalite-server.js';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.js';

// Gatehouse in CI with a shared DynamoDB state (issue 10), through the CLI: each "runner" is a
// fresh working directory with nothing local; they share only the live store (an embedded
// SQLite file standing in for the AWS account) and the table, on dynalite behind a proxy that
// records every DynamoDB call. Every CLI run is asynchronous: the proxy lives in this process.

let dynalite: Dynalite;
let proxy: RecordingProxy;
let tmp: { dir: string; cleanup: () => void };
let config: string;
let store: string;
const TABLE = 'gatehouse-ci';
const STATE = `dynamodb:${TABLE}@eu-west-1`;

beforeAll(async () => {
  dynalite = await startDynalite();
  proxy = await startRecordingProxy(dynalite.endpoint);
  await dynalite.createTable(TABLE);
  tmp = tempDir('gatehouse-ddb-cli-');
  config = path.join(tmp.dir, 'config');
  // ~100 changes: an apply that takes a few seconds against dynalite.
  writeGeneratedConfig(config, { users: 30, groups: 3, accounts: 6 });
  store = `sqlite:${path.join(tmp.dir, 'aws-account.db')}`;
});
afterAll(async () => {
  await proxy?.stop();
  await dynalite?.stop();
  tmp?.cleanup();
});

const runner = (name: string) => {
  const cwd = path.join(tmp.dir, 'runners', name);
  fs.mkdirSync(cwd, { recursive: true });
  return cwd;
};

const run = (args: readonly string[], cwd: string, env: Record<string, string> = {}) =>
  gatehouseAsync(args, { cwd, env: { ...dynalite.env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint, ...env } });

const apply = (name: string, extra: readonly string[] = [], env: Record<string, string> = {}) =>
  run(['apply', '--config', config, '--store', store, '--state', STATE, '--auto-approve', ...extra], runner(name), { GATEHOUSE_ACTOR: name, ...env });

interface ExportLine {
  seq: number;
  kind: string;
  intent_seq: number | null;
  time: string;
  actor: string;
  plan_id: string;
  prev_hash: string;
  hash: string;
  state: string;
}

const exportAll = async (extra: readonly string[] = []): Promise<ExportLine[]> => {
  const r = await run(['audit', 'export', '--state', STATE, '--format', 'jsonl', ...extra], runner('reader')).done;
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ExportLine);
};

const addUsers = (from: number, count: number) => {
  const users = path.join(config, 'users.yaml');
  const lines = Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return `  - { userName: extra${i}@example.com, displayName: Extra ${i}, name: { given: Extra, family: E${i} }, email: extra${i}@example.com }`;
  });
  fs.appendFileSync(users, `${lines.join('\n')}\n`);
};

describe('a dynamodb: state shared by CI runners', () => {
  it('two applies from two fresh working directories: one writes, the other waits, exits 1 and writes nothing', async () => {
    // Runner A takes the lock and freezes after its first write (a slow apply, made
    // deterministic: on a quiet machine a whole apply can finish inside B's 1 s wait, and then
    // B rightly finds nothing to do). B waits 1 s and gives up; A resumes and finishes.
    const a = apply('runner-a', ['--lock-timeout', '1s'], { GATEHOUSE_FAULT: 'stop:after-outcome:1' });
    await waitUntilStopped(a.child.pid!);
    const rb = await apply('runner-b', ['--lock-timeout', '1s']).done;
    a.child.kill('SIGCONT');
    const ra = await a.done;
    expect([ra.code, rb.code], ra.stderr + rb.stderr).toEqual([0, 1]);
    const [winner, loser] = ['runner-a', rb] as const;
    expect(loser.stderr).toMatch(new RegExp(`another apply holds the lock on ${STATE} \\(pid \\d+ on .* by gatehouse apply \\(${winner}\\).*waited 1\\.\\ds`));
    expect(loser.stdout).not.toContain('Apply complete');

    // Every record is the winner's; write-ahead pairs, so the loser wrote nothing at all.
    const records = await exportAll();
    expect(records.length).toBeGreaterThan(150);
    expect(new Set(records.map((r) => r.actor))).toEqual(new Set([winner]));
    expect(records.filter((r) => r.kind === 'intent').length).toBe(records.length / 2);
    // Nothing was kept locally: a fresh checkout has all it needs in the table.
    for (const name of ['runner-a', 'runner-b']) expect(fs.readdirSync(runner(name))).toEqual([]);
  });

  it('continues one audit chain across runners, verifiable from any of them', async () => {
    const before = await exportAll();
    addUsers(0, 2);
    const c = await apply('runner-c').done;
    expect(c.code, c.stderr).toBe(0);
    const after = await exportAll();
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length);
    expect(added.map((r) => r.actor)).toEqual(['runner-c', 'runner-c', 'runner-c', 'runner-c']);
    expect(added[0]!.seq).toBe(before.length + 1);
    expect(added[0]!.prev_hash).toBe(before[before.length - 1]!.hash);
    expect(new Set(after.map((r) => r.state))).toEqual(new Set([STATE]));

    const verify = await run(['audit', 'verify', '--state', STATE, '--endpoint-url', proxy.endpoint], runner('auditor'), { AWS_ENDPOINT_URL_DYNAMODB: '' }).done;
    expect(verify.stdout, verify.stderr).toBe(`Audit log OK: ${after.length} records\nhead: ${after[after.length - 1]!.hash}\n`);
    expect(verify.code).toBe(0);

    // Incremental export for a SIEM: only what came after the last shipped record.
    expect(await exportAll(['--after-seq', String(before.length)])).toEqual(added);
    const log = await run(['audit', 'log', '--state', STATE, '--principal', 'extra1@example.com'], runner('auditor')).done;
    expect(log.stdout.trim().split('\n')).toHaveLength(2);
    expect(log.stdout).toContain('user.create user:extra1@example.com');
  });

  it('after a SIGKILL of the holder, the next run waits for the lease to expire, then resolves the open intents', async () => {
    addUsers(2, 10);
    const before = await exportAll();
    // Killed right after recording its third intent: that write has no outcome.
    const killed = await apply('runner-d', ['--lock-ttl', '3s'], { GATEHOUSE_FAULT: 'kill:after-intent:3' }).done;
    expect(killed.code).toBe(-1);
    const lease = await dynalite.client().send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'lock' }, sk: { N: '0' } }, ConsistentRead: true }));
    const expiresAt = Number(lease.Item!.expiresAt!.N);
    expect(lease.Item!.owner!.S).toBe('gatehouse apply (runner-d)');

    const early = await apply('runner-e', ['--lock-timeout', '500ms']).done;
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/another apply holds the lock .*runner-d/);
    const leftOver = await exportAll();
    const open = leftOver.slice(before.length);
    // Three intents; the third (and any recorded beside it in the same wave) has no outcome.
    expect(open.filter((r) => r.kind === 'intent')).toHaveLength(3);
    const closed = new Set(open.map((r) => r.intent_seq));
    const unresolved = open.filter((r) => r.kind === 'intent' && !closed.has(r.seq));
    expect(unresolved.length).toBeGreaterThanOrEqual(1);
    expect(open.every((r) => r.actor === 'runner-d')).toBe(true);

    const next = await apply('runner-e', ['--lock-timeout', '30s']).done;
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toContain(`Resolved ${unresolved.length} write${unresolved.length === 1 ? '' : 's'} left unrecorded by an interrupted apply`);
    const after = await exportAll();
    const resumed = after.slice(leftOver.length);
    // The new holder wrote nothing before the old lease had run out.
    expect(Date.parse(resumed[0]!.time)).toBeGreaterThanOrEqual(expiresAt);
    expect(resumed[0]).toMatchObject({ kind: 'resolution', actor: 'runner-e' });
    const verify = await run(['audit', 'verify', '--state', STATE], runner('auditor')).done;
    expect(verify.code, verify.stderr).toBe(0);
    const plan = await run(['plan', '--config', config, '--store', store, '--state', STATE, '--detailed-exitcode'], runner('reader')).done;
    expect(plan.code, plan.stderr).toBe(0);
  });

  it('keeps the table append-only: audit and plan items only ever PutItem with attribute_not_exists; only the lock is updated or deleted', () => {
    const calls = proxy.calls;
    expect(calls.length).toBeGreaterThan(300);
    expect(new Set(calls.map((c) => c.operation))).toEqual(new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query']));
    for (const c of calls) {
      if (c.operation === 'UpdateItem' || c.operation === 'DeleteItem') expect(c).toMatchObject({ partition: 'lock' });
      if (c.operation === 'PutItem' && c.partition !== 'lock') expect(c.condition).toBe('attribute_not_exists(#pk)');
    }
    const puts = new Set(calls.filter((c) => c.operation === 'PutItem').map((c) => c.partition));
    expect(puts).toEqual(new Set(['lock', 'audit', 'plans']));
  });

  it('exports JSON Lines that match schemas/output/audit-export.schema.json', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const check = ajv.compile(JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'output', 'audit-export.schema.json'), 'utf8')) as object);
    const r = await run(['audit', 'export', '--state', STATE], runner('reader')).done;
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(r.stdout.endsWith('\n')).toBe(true);
    for (const line of lines) expect(check(JSON.parse(line)), ajv.errorsText(check.errors)).toBe(true);
    expect(lines.map((l) => (JSON.parse(l) as ExportLine).seq)).toEqual(lines.map((_, i) => i + 1));
  });
});
