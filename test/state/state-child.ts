import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/cli.js';

// Another process using the same shared state, through the built module (dist/, built before
// the tests), as a second `gatehouse apply` on another runner would.

const openStateModule = pathToFileURL(path.join(repoRoot, 'dist', 'src', 'state', 'open-state.js')).href;

const CHILD = `
const { openState } = await import(process.argv[1]);
const [mode, url, arg1, arg2] = process.argv.slice(2);
const say = (line) => process.stdout.write(line + '\\n');
const lines = [];
let wake = () => {};
let buffer = '';
process.stdin.on('data', (d) => {
  buffer += d.toString();
  let i;
  while ((i = buffer.indexOf('\\n')) !== -1) { lines.push(buffer.slice(0, i)); buffer = buffer.slice(i + 1); wake(); }
});
const next = async () => { while (lines.length === 0) await new Promise((r) => (wake = r)); return lines.shift(); };
// Opened inside the try: a child whose openState throws (SQLITE_BUSY on a fresh file, once in
// CI) must say why and exit, or the parent waits for a line that never comes until the timeout.
let state;
let failed = false;
try {
  state = await openState(url);
  if (mode === 'append') {
    // Ready, then wait for the go: both appenders start together, so their puts interleave.
    const [count, name] = [Number(arg1), arg2];
    say('ready');
    await next();
    const written = [];
    for (let i = 0; i < count; ) {
      const size = 1 + (i % 3);
      const batch = [];
      for (let j = 0; j < size && i < count; j++, i++) {
        batch.push({ kind: 'intent', time: new Date(), actor: name, planId: name, operation: 'user.create', target: 'user:' + name + i, after: { i }, requestIds: [], outcome: 'pending' });
      }
      for (const r of await state.appendAudit(batch)) written.push({ seq: r.seq, hash: r.hash, target: r.target });
    }
    say('done ' + JSON.stringify(written));
  } else if (mode === 'hold') {
    const lease = await state.acquireLock({ owner: arg1, timeoutMs: 0, ttlMs: Number(arg2) });
    say('locked');
    for (;;) {
      const command = await next();
      if (command === 'confirm') say('confirm ' + (await lease.confirm()));
      if (command === 'release') { await lease.release(); say('released'); break; }
    }
  }
} catch (err) {
  failed = true;
  say('error ' + err.message);
} finally {
  await state?.close();
  process.exit(failed ? 1 : 0);
}
`;

export interface StateChild {
  readonly pid: number;
  /**
   * Resolves with the first output line starting with `prefix` (the rest of it). Rejects with
   * the child's message when it reports an error, or when it exits without printing the line:
   * a child that failed must fail the test at once, not leave it waiting for its timeout.
   */
  line(prefix: string): Promise<string>;
  send(line: string): void;
  kill(signal: NodeJS.Signals): void;
  readonly exited: Promise<void>;
}

export function stateChild(args: readonly string[], env: Record<string, string>): StateChild {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, openStateModule, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  // A `send` to a child that already failed would raise EPIPE here; line() reports the failure.
  child.stdin!.on('error', () => {});
  let out = '';
  const waiters: { prefix: string; resolve: (rest: string) => void; reject: (err: Error) => void }[] = [];
  const seen: string[] = [];
  let failure: string | undefined;
  const offer = () => {
    for (const w of [...waiters]) {
      const index = seen.findIndex((l) => l.startsWith(w.prefix));
      if (index !== -1) {
        const [hit] = seen.splice(index, 1);
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit!.slice(w.prefix.length).trim());
      } else if (failure !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.reject(new Error(`state child ${child.pid} (${args[0]}) before "${w.prefix}": ${failure}`));
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    let i;
    while ((i = out.indexOf('\n')) !== -1) {
      const line = out.slice(0, i);
      out = out.slice(i + 1);
      if (line.startsWith('error ')) failure ??= line.slice('error '.length);
      else seen.push(line);
    }
    offer();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('close', (code, signal) => {
      failure ??= `exited (${signal ?? `code ${code}`})`;
      offer();
      resolve();
    }),
  );
  return {
    pid: child.pid!,
    line: (prefix) =>
      new Promise((resolve, reject) => {
        waiters.push({ prefix, resolve, reject });
        offer();
      }),
    send: (line) => child.stdin!.write(`${line}\n`),
    kill: (signal) => child.kill(signal),
    exited,
  };
}
