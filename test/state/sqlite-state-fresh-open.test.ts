import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openState } from '../../src/state/open-state.js';
import { repoRoot } from '../helpers/cli.js';

// Several processes opening the same new `sqlite:` state at the same moment, as parallel CI
// jobs starting on a fresh runner do. Before switch-to-wal.ts and the IMMEDIATE schema
// transaction, 3–20% of rounds failed (SQLITE_BUSY from `journal_mode = WAL`, or "duplicate
// column name" from the column migration); at 3 processes × 100 rounds that is a failing run
// all but always. The children stay up and open one file per round, so a round costs
// milliseconds rather than a process start.

const PROCESSES = 3;
const ROUNDS = 100;
// The store's race lost about 1 round in 140 before its fix (src/stores/identity-center/engine.ts).
const STORE_ROUNDS = 400;

const openStateModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'state', 'open-state.js')).href;
const engineModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'stores', 'identity-center', 'engine.js')).href;

// One line in per round (`state URL` or `store FILE`), one line out: `ok …` or `error <message>`.
// The child ends with its stdin, so it cannot outlive the test.
const CHILD = `
const { openState } = await import(process.argv[1]);
const { IdentityCenterEngine } = await import(process.argv[2]);
const name = process.argv[3];
let buffer = '';
let chain = Promise.resolve();
process.stdin.on('data', (d) => {
  buffer += d.toString();
  let i;
  while ((i = buffer.indexOf('\\n')) !== -1) {
    const [kind, target] = buffer.slice(0, i).split(' ');
    buffer = buffer.slice(i + 1);
    chain = chain.then(() => (kind === 'store' ? openStoreClose(target) : openAppendClose(target)));
  }
});
process.stdin.on('end', () => chain.then(() => process.exit(0)));
async function openAppendClose(url) {
  let state;
  try {
    state = await openState(url);
    await state.appendAudit([{ kind: 'intent', time: new Date(), actor: name, planId: name, operation: 'user.create', target: 'user:' + name, after: {}, requestIds: [], outcome: 'pending' }]);
    process.stdout.write('ok\\n');
  } catch (err) {
    process.stdout.write('error ' + String(err.message).replace(/\\n/g, ' ') + '\\n');
  } finally {
    await state?.close();
  }
}
// The embedded store's engine: the same WAL switch and schema migration on a fresh file.
async function openStoreClose(file) {
  let engine;
  try {
    engine = IdentityCenterEngine.open(file);
    process.stdout.write('ok ' + engine.instance.instanceArn + '\\n');
  } catch (err) {
    process.stdout.write('error ' + String(err.message).replace(/\\n/g, ' ') + '\\n');
  } finally {
    engine?.close();
  }
}
process.stdout.write('ready\\n');
`;

interface Opener {
  readonly process: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startOpener(name: string): Opener {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, openStateModule, engineModule, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const lines: string[] = [];
  let wake = () => {};
  let ended = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    let i;
    while ((i = out.indexOf('\n')) !== -1) {
      lines.push(out.slice(0, i));
      out = out.slice(i + 1);
    }
    wake();
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.once('close', (code) => {
    ended = true;
    lines.push(`error ${name} exited (code ${code}): ${stderr.trim()}`);
    wake();
  });
  child.stdin.on('error', () => {});
  return {
    process: child,
    async next() {
      while (lines.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
      return lines.shift() ?? `error ${name} exited`;
    },
  };
}

describe('sqlite: state opened by several processes at once', () => {
  let dir: string;
  let openers: Opener[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-fresh-open-'));
    openers = Array.from({ length: PROCESSES }, (_, i) => startOpener(`p${i}`));
    expect(await Promise.all(openers.map((o) => o.next()))).toEqual(openers.map(() => 'ready'));
  });

  afterAll(async () => {
    for (const o of openers) o.process.stdin.end();
    await Promise.all(openers.map((o) => new Promise((r) => (o.process.exitCode !== null ? r(null) : o.process.once('close', r)))));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${PROCESSES} processes opening the same new file, ${ROUNDS} times: every open succeeds and every append lands`, async () => {
    const failures = new Map<string, number>();
    const urls: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const url = `sqlite:${path.join(dir, `state-${round}.db`)}`;
      urls.push(url);
      // Written in one tick: the children start their opens within a fraction of a millisecond.
      for (const o of openers) o.process.stdin.write(`state ${url}\n`);
      for (const line of await Promise.all(openers.map((o) => o.next()))) {
        if (line === 'ok') continue;
        const cause = line.replaceAll(dir, 'DIR').replace(/state-\d+\.db/, 'state-N.db');
        failures.set(cause, (failures.get(cause) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(failures)).toEqual({});
    for (const url of urls) {
      const state = await openState(url, { readOnly: true });
      try {
        expect((await state.readAudit()).map((r) => r.seq)).toEqual(Array.from({ length: PROCESSES }, (_, i) => i + 1));
      } finally {
        await state.close();
      }
    }
  }, 30_000);

  it(`${PROCESSES} processes opening the same new embedded store, ${STORE_ROUNDS} times: every open succeeds, on one instance`, async () => {
    const failures = new Map<string, number>();
    for (let round = 0; round < STORE_ROUNDS; round++) {
      const file = path.join(dir, `store-${round}.db`);
      for (const o of openers) o.process.stdin.write(`store ${file}\n`);
      const answers = await Promise.all(openers.map((o) => o.next()));
      for (const line of answers) {
        if (line.startsWith('ok ')) continue;
        const cause = line.replaceAll(dir, 'DIR').replace(/store-\d+\.db/, 'store-N.db');
        failures.set(cause, (failures.get(cause) ?? 0) + 1);
      }
      if (answers.every((a) => a.startsWith('ok '))) expect(new Set(answers).size).toBe(1);
    }
    expect(Object.fromEntries(failures)).toEqual({});
  }, 60_000);
});
