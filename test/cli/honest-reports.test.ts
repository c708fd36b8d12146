import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { gatehouse, gatehouseAsync, tempDir } from '../helpers/cli.js';

// Issue 13, "honest reports of what happened": a failure names what failed (the file, what still
// differs), a machine reader gets one JSON document, and nothing from a record reaches the
// terminal raw.

const awsEnv = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
const STACK_FRAME = /\n\s+at /;

let tmp: { dir: string; cleanup: () => void };
let config: string;

function writeConfig(groupDescription: string): void {
  writeFileSync(
    path.join(config, 'users.yaml'),
    'users:\n  - { userName: alice@example.com, displayName: Alice, name: { given: Alice, family: A }, email: alice@example.com }\n',
  );
  writeFileSync(path.join(config, 'groups.yaml'), `groups:\n  - { name: admins, description: ${groupDescription}, members: [alice@example.com] }\n`);
  writeFileSync(path.join(config, 'permission-sets.yaml'), 'permissionSets:\n  - { name: Admin, sessionDuration: PT1H, managedPolicies: [AdministratorAccess] }\n');
  writeFileSync(path.join(config, 'assignments.yaml'), 'assignments:\n  - { groups: [admins], permissionSets: [Admin], accounts: ["222222222222"] }\n');
}

beforeAll(() => {
  tmp = tempDir('gatehouse-honest-');
  config = path.join(tmp.dir, 'config');
  mkdirSync(config);
  writeConfig('On call');
  writeFileSync(
    path.join(config, 'organization.yaml'),
    `managementAccountId: "111111111111"
accounts:
  - { id: "111111111111", name: management, email: root@example.com }
  - { id: "222222222222", name: prod, email: prod@example.com }
`,
  );
  writeFileSync(path.join(config, 'gatehouse.yaml'), 'version: 1\ninstance: { region: us-east-1 }\norganization: organization.yaml\n');
});
afterAll(() => tmp.cleanup());

function workDir(name: string): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('--format json prints one document', () => {
  it('a plan whose --out file cannot be written: the plan document only, the error on stderr naming the file', () => {
    const cwd = workDir('json-once');
    // A regular file where a directory should be: unwritable even for root.
    writeFileSync(path.join(cwd, 'not-a-dir'), 'x');
    const out = path.join(cwd, 'not-a-dir', 'plan.json');
    const r = gatehouse(['plan', '--config', config, '--format', 'json', '--out', out], { cwd });
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as { format_version: number; plan_id?: string };
    expect(parsed.plan_id).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stderr).toContain(`Error: cannot write ${out}: `);
    expect(r.stderr).toMatch(/: (ENOTDIR|EEXIST) \(/);
    expect(r.stderr).not.toContain('.tmp');
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(readdirSync(cwd)).toEqual(['not-a-dir']);
  });
});

describe('SQLite errors name the file and the cause', () => {
  it('a store file that is not a database', () => {
    const cwd = workDir('not-a-db');
    const file = path.join(cwd, 'live.db');
    writeFileSync(file, 'this is not an SQLite database, it is a text file long enough to have a header\n'.repeat(20));
    const r = gatehouse(['plan', '--config', config, '--store', `sqlite:${file}`], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/SQLITE_NOTADB|not a database/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a shared-state file that is not a database', () => {
    const cwd = workDir('state-not-a-db');
    const state = path.join(cwd, 'audit.db');
    writeFileSync(state, 'garbage, not SQLite\n'.repeat(50));
    const r = gatehouse(['audit', 'verify', '--state', `sqlite:${state}`], { cwd });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(state);
    expect(r.stderr).toMatch(/SQLITE_NOTADB|not a database/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('audit log shows what a record holds, never raw', () => {
  it('an actor with terminal sequences is printed as visible escapes', () => {
    const cwd = workDir('hostile-actor');
    const applied = gatehouse(['apply', '--config', config, '--auto-approve'], { cwd, env: { GATEHOUSE_ACTOR: 'mallory\u001b[8m\nforged line\u202e' } });
    expect(applied.code, applied.stderr).toBe(0);
    const log = gatehouse(['audit', 'log'], { cwd });
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).not.toContain('\u001b');
    expect(log.stdout).toContain('mallory\\x1B[8m\\x0Aforged line');
    expect(log.stdout.split('\n').filter((l) => l.startsWith('forged line'))).toEqual([]);
    // JSON too: a reader printing the actor (jq -r) gets no raw control or bidi character.
    const json = gatehouse(['audit', 'log', '--format', 'json'], { cwd });
    expect(json.stdout).not.toMatch(/[\u001b\u202e]/);
    expect((JSON.parse(json.stdout) as { records: { actor: string }[] }).records[0]!.actor).toBe('mallory\u001b[8m\nforged line\u202e');
  });
});

/**
 * Forwards to the emulator, but answers the operations `swallow` names with an empty success
 * without forwarding them: a store that acknowledges a write it did not perform, which only
 * the verify read after apply can notice.
 */
async function swallowingProxy(upstream: string, swallow: ReadonlySet<string>) {
  const target = new URL(upstream);
  const swallowed: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      if (swallow.has(operation)) {
        swallowed.push(operation);
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `swallowed-${swallowed.length}` });
        res.end('{}');
        return;
      }
      const out = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    swallowed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the verify read after apply names what still differs', () => {
  it('a write the store acknowledged but did not perform: exit 1, the remaining change named, never "Apply complete!"', async () => {
    const cwd = workDir('verify');
    const emulator = await startEmulator({ dbPath: path.join(cwd, 'emulated.db'), organization: ORG });
    const proxy = await swallowingProxy(emulator.url, new Set(['UpdateGroup']));
    const run = (url: string, args: string[]) =>
      gatehouseAsync([...args, '--config', config, '--store', 'aws', '--endpoint-url', url], { cwd, env: awsEnv }).done;
    try {
      const first = await run(emulator.url, ['apply', '--auto-approve']);
      expect(first.code, first.stderr).toBe(0);

      writeConfig('Paged at night');
      try {
        const applied = await run(proxy.url, ['apply', '--auto-approve', '--verify-timeout', '1s']);
        expect(proxy.swallowed).toEqual(['UpdateGroup']);
        expect(applied.code).toBe(1);
        expect(applied.stdout).not.toContain('Apply complete!');
        expect(applied.stderr).toMatch(/still differs from the configuration/);
        expect(applied.stderr).toMatch(/0 to add, 1 to change, 0 to destroy/);
        expect(applied.stderr).toMatch(/~ group admins/);
        expect(applied.stderr).not.toMatch(STACK_FRAME);
      } finally {
        writeConfig('On call');
      }
    } finally {
      await proxy.close();
      await emulator.close();
    }
    expect(existsSync(path.join(cwd, 'emulated.db'))).toBe(true);
  }, 90_000);
});

describe('commands that read what is live refuse a store that does not exist', () => {
  // A missing SQLite file reads as an empty Identity Center: `--live` would answer "no access"
  // for everyone, drift would call everything deleted, import would write nothing.
  it.each([
    ['access', '--live'],
    ['report', 'access', '--format', 'csv', '--live'],
    ['explain', 'alice@example.com', 'Admin', 'prod', '--live'],
    ['drift'],
  ])('%s … names the missing file, exit 1, creates nothing', (...args) => {
    const cwd = workDir(`missing-${args[0]}-${args.length}`);
    const file = path.join(cwd, 'typo', 'live.db');
    const r = gatehouse([...args, '--config', config, '--store', `sqlite:${file}`], { cwd });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toContain(`no store at ${file}`);
    expect(r.stdout).not.toMatch(/No access matches/);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('plan says when it cannot read the shared state', () => {
  it('an unreadable state is named (apply will hold the plan to limits plan could not see); a missing one is not', () => {
    const cwd = workDir('plan-state');
    const state = path.join(cwd, 'state.db');
    writeFileSync(state, 'not SQLite\n'.repeat(100));
    const unreadable = gatehouse(['plan', '--config', config, '--state', `sqlite:${state}`], { cwd });
    expect(unreadable.code, unreadable.stderr).toBe(0);
    expect(unreadable.stderr).toContain(`Note: could not read the shared state sqlite:${state} (`);
    expect(unreadable.stderr).toMatch(/the safety limits checked here are the config's alone/);
    const missing = gatehouse(['plan', '--config', config, '--state', `sqlite:${path.join(cwd, 'none.db')}`], { cwd });
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stderr).not.toContain('could not read the shared state');
  });

  it('a plan after an apply reads its own state without a note', () => {
    const cwd = workDir('plan-after-apply');
    expect(gatehouse(['apply', '--config', config, '--auto-approve'], { cwd }).code).toBe(0);
    const plan = gatehouse(['plan', '--config', config, '--detailed-exitcode'], { cwd });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).not.toContain('could not read');
  });
});
