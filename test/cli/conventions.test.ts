import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';

// The terminal and output conventions of issue #12, through the built CLI as a user runs it.

let tmp: { dir: string; cleanup: () => void };
let config: string;
let store: string;
const acme = path.join(repoRoot, 'examples', 'acme');

beforeAll(() => {
  tmp = tempDir();
  config = path.join(tmp.dir, 'repo', 'identity');
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
  cpSync(acme, config, { recursive: true });
});
afterAll(() => tmp.cleanup());

const ESC = '\u001b';

describe('colour', () => {
  it('is never written to a pipe, with NO_COLOR, or with --no-color on any command', () => {
    const plain = gatehouse(['plan', '--config', acme, '--store', store], { env: { NO_COLOR: '' } });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('Wave 1');
    expect(plain.stdout + plain.stderr).not.toContain(ESC);
  });

  it.runIf(existsSync('/usr/bin/script'))('is used on a terminal, unless NO_COLOR, TERM=dumb or --no-color says no', () => {
    const onTty = (args: string, env: Record<string, string>) => {
      const r = spawnSync('/usr/bin/script', ['-qec', `${process.execPath} ${cliPath} plan --config ${acme} --store ${store} ${args}`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, GATEHOUSE_ACTOR: 'test', TERM: 'xterm', ...env },
        timeout: 60_000,
      });
      return r.stdout;
    };
    const free: Record<string, string> = { NO_COLOR: '' };
    expect(onTty('', free)).toContain(`${ESC}[32m`);
    expect(onTty('', { NO_COLOR: '1' })).not.toContain(ESC);
    expect(onTty('', { ...free, TERM: 'dumb' })).not.toContain(ESC);
    expect(onTty('--no-color', free)).not.toContain(ESC);
  });

  it('every command accepts --no-color and --debug', async () => {
    const commands = ['init', 'validate', 'plan', 'apply', 'drift', 'import', 'access', 'explain', 'audit verify', 'audit log', 'emulator', 'show', 'report access', 'sso-config'];
    const helps = await Promise.all(commands.map((c) => gatehouseAsync([...c.split(' '), '--help']).done));
    for (const [i, help] of helps.entries()) {
      expect(help.code, commands[i]).toBe(0);
      expect(help.stdout, commands[i]).toContain('--no-color');
      expect(help.stdout, commands[i]).toContain('--debug');
    }
    const r = gatehouse(['validate', '--config', acme, '--no-color']);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('a closed pipe', () => {
  it('ends quietly: no EPIPE stack trace, the command’s own exit status', async () => {
    const child = spawn(process.execPath, [cliPath, 'plan', '--config', acme, '--store', store], {
      env: { ...process.env, CI: 'true', NO_COLOR: '1', GATEHOUSE_ACTOR: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.destroy(); // the reader goes away before the plan is printed, as `| head -0` would
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
    expect(code).toBe(0);
  });
});

describe('unknown names', () => {
  it('explain and access say which name is unknown and what was meant, exit 1, never "No access matches"', () => {
    const cases: [string[], RegExp][] = [
      [['explain', 'alcie@acme.example', 'AdministratorAccess', 'prod-core'], /unknown user "alcie@acme\.example".*did you mean `alice@acme\.example`/],
      [['explain', 'alice@acme.example', 'AdministratorAcess', 'prod-core'], /unknown permission set "AdministratorAcess".*did you mean `AdministratorAccess`/],
      [['explain', 'alice@acme.example', 'AdministratorAccess', 'prod-cor'], /unknown account "prod-cor".*did you mean `prod-core`/],
      [['access', '--user', 'bobb@acme.example'], /unknown user "bobb@acme\.example".*did you mean `bob@acme\.example`/],
      [['access', '--permission-set', 'ReadOnyl'], /unknown permission set "ReadOnyl".*did you mean `ReadOnly`/],
      [['access', '--account', 'prod-cor'], /unknown account "prod-cor".*did you mean `prod-core`/],
    ];
    for (const [args, message] of cases) {
      const r = gatehouse([...args, '--config', acme, '--store', store]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).not.toContain('No access matches');
      expect(r.stdout).not.toMatch(/^No:/);
    }
  });
});

describe('--debug', () => {
  it('adds timings on stderr and never prints a secret from the environment', () => {
    const secrets = { GITHUB_TOKEN: 'ghp_verysecret123456', AWS_SECRET_ACCESS_KEY: 'aws-secret-abcdef987654', AWS_SESSION_TOKEN: 'session-token-xyz-42' };
    const r = gatehouse(['plan', '--config', acme, '--store', store, '--debug'], { env: secrets });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/debug \+\d+ms load config .*: \d+ ms/);
    const failing = gatehouse(['drift', '--config', acme, '--store', `sqlite:${path.join(tmp.dir, 'none.db')}`, '--debug', '--github-issue', 'o/r'], { env: secrets });
    expect(failing.code).toBe(1);
    for (const output of [r.stdout, r.stderr, failing.stdout, failing.stderr]) {
      for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    }
    const quiet = gatehouse(['plan', '--config', acme, '--store', store]);
    expect(quiet.stderr).not.toContain('debug +');
  });
});

describe('file names in diagnostics cannot forge a location', () => {
  it('escapes `:` and newlines in file names; a name that is not UTF-8 is reported readably', () => {
    const dir = path.join(tmp.dir, 'forged');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\n');
    writeFileSync(path.join(dir, 'x:1:1: error [fake].yaml'), 'users: [unclosed\n');
    writeFileSync(path.join(dir, 'two\nlines.yaml'), 'users: [unclosed\n');
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.yaml')]), 'users: []\n');
    const r = gatehouse(['validate', '--config', dir]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^[^:\n]+:\d+:\d+: (error|warning) \[/);
    expect(r.stdout).toMatch(/\/x%3A1%3A1%3A error \[fake\]\.yaml:\d+:\d+: error \[yaml-syntax\]/);
    expect(r.stdout).toMatch(/\/two%0Alines\.yaml:\d+:\d+: error \[yaml-syntax\]/);
    expect(r.stdout).toMatch(/bad\\xFF\\xFE\.yaml:1:1: error \[file-name\] .*not valid UTF-8/);
  });
});

describe('the access diff', () => {
  it('cites removed access at its path in the repository, not in a temporary checkout', async () => {
    const repo = path.dirname(config);
    const git = simpleGit(repo);
    await git.init();
    await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'Test');
    await git.add('.').commit('acme');
    const assignments = path.join(config, 'assignments.yaml');
    const before = readFileSync(assignments, 'utf8');
    rmSync(assignments);
    try {
      const r = gatehouse(['access', '--config', config, '--store', store, '--base', 'HEAD']);
      expect(r.code, r.stderr).toBe(0);
      const lost = r.stdout.split('\n').filter((l) => l.startsWith('- '));
      expect(lost.length).toBeGreaterThan(0);
      for (const line of lost) expect(line).toContain(`${assignments}:`);
      expect(r.stdout).not.toContain('gatehouse-base-');
    } finally {
      writeFileSync(assignments, before);
    }
  });
});

describe('--format json', () => {
  const schemasDir = path.join(repoRoot, 'schemas', 'output');
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  for (const file of readdirSync(schemasDir)) ajv.addSchema(JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as object);
  const validate = (schema: string, stdout: string) => {
    const check = ajv.getSchema(`https://gatehouse.dev/schemas/output/${schema}.schema.json`)!;
    const doc = JSON.parse(stdout) as unknown;
    expect(check(doc), `${schema}: ${ajv.errorsText(check.errors)}`).toBe(true);
    return doc as Record<string, unknown>;
  };

  it('every document has a format_version and matches its schema in schemas/output', () => {
    const run = (args: string[], expected = 0) => {
      const r = gatehouse([...args, '--format', 'json']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(expected);
      return r.stdout;
    };
    const db = `sqlite:${path.join(tmp.dir, 'json.db')}`;
    validate('validate', run(['validate', '--config', acme]));
    const invalid = validate('validate', run(['validate', '--config', path.join(repoRoot, 'examples', 'invalid')], 1));
    expect(invalid.valid).toBe(false);
    validate('plan', run(['plan', '--config', acme, '--store', db]));
    validate('access', run(['access', '--config', acme, '--store', db]));
    validate('explain', run(['explain', 'alice@acme.example', 'AdministratorAccess', 'prod-core', '--config', acme, '--store', db]));
    expect(gatehouse(['apply', '--config', acme, '--store', db, '--auto-approve']).code).toBe(0);
    writeFileSync(path.join(tmp.dir, 'extra.yaml'), '');
    validate('drift', run(['drift', '--config', acme, '--store', db]));
    validate('access', run(['access', '--live', '--config', acme, '--store', db]));
    const imported = validate('import', run(['import', '--out', path.join(tmp.dir, 'imported'), '--store', db]));
    expect((imported.counts as { users: number }).users).toBe(17); // examples/acme's users
    const error = validate('error', run(['explain', 'nobody', 'ReadOnly', 'prod-core', '--config', acme, '--store', db], 1));
    expect(error.error).toMatch(/unknown user "nobody"/);
    const badConfig = validate('error', run(['plan', '--config', path.join(repoRoot, 'examples', 'invalid'), '--store', db], 1));
    expect((badConfig.diagnostics as unknown[]).length).toBeGreaterThan(10);
  });

  it('the emulator announces its address as a JSON line that matches its schema', async () => {
    const { child, done } = gatehouseAsync(['emulator', '--port', '0', '--db', path.join(tmp.dir, 'emulator.db'), '--format', 'json']);
    const line = await new Promise<string>((resolve) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        if (buffered.includes('\n')) resolve(buffered.split('\n')[0]!);
      });
    });
    child.kill('SIGTERM');
    await done;
    validate('emulator', line);
  });

  it('the access diff document matches its schema', () => {
    validate('access-diff', gatehouse(['access', '--config', config, '--store', store, '--base', 'HEAD', '--format', 'json']).stdout);
  });
});
