import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, tempDir } from '../helpers/cli.js';
import { startDynalite, type Dynalite } from './dynalite-server.js';

// `state:` in gatehouse.yaml: set once, every apply and plan uses it without --state, so no
// workflow can forget the flag and start a chain of its own (issue 10). A sqlite: path there is
// relative to the config directory, not to wherever the command runs.

let dynalite: Dynalite;
let tmp: { dir: string; cleanup: () => void };
let config: string;

const writeConfig = (state: string) => {
  fs.writeFileSync(path.join(config, 'gatehouse.yaml'), `version: 1\ninstance: { region: eu-west-1 }\norganization: organization.yaml\nstate: ${state}\n`);
};

beforeAll(async () => {
  dynalite = await startDynalite();
  await dynalite.createTable('gatehouse-configured');
  tmp = tempDir('gatehouse-state-setting-');
  config = path.join(tmp.dir, 'config');
  fs.mkdirSync(config);
  fs.writeFileSync(path.join(config, 'organization.yaml'), 'managementAccountId: "111111111111"\naccounts:\n  - { id: "111111111111", name: management }\n');
  fs.writeFileSync(path.join(config, 'identity.yaml'), 'users:\n  - { userName: alice@x, displayName: Alice, name: { given: Alice, family: A } }\n');
});
afterAll(async () => {
  await dynalite?.stop();
  tmp?.cleanup();
});

describe('state: in gatehouse.yaml', () => {
  it('is where apply keeps the lock and the audit trail when --state is absent', () => {
    writeConfig('dynamodb:gatehouse-configured');
    const cwd = path.join(tmp.dir, 'runner');
    fs.mkdirSync(cwd);
    const store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
    const apply = gatehouse(['apply', '--config', config, '--store', store, '--auto-approve'], { cwd, env: dynalite.env });
    expect(apply.code, apply.stderr).toBe(0);
    const exported = gatehouse(['audit', 'export', '--state', 'dynamodb:gatehouse-configured'], { cwd, env: dynalite.env });
    expect(exported.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { target: string }).target)).toEqual(['user:alice@x', 'user:alice@x']);
    // Nothing went to the store's file: its own audit table holds no record.
    const local = gatehouse(['audit', 'log', '--store', store], { cwd });
    expect(local.stdout).toBe('No audit records.\n');
    const plan = gatehouse(['plan', '--config', config, '--store', store, '--detailed-exitcode'], { cwd, env: dynalite.env });
    expect(plan.code, plan.stderr).toBe(0);
  });

  it('takes a sqlite: path relative to the config directory, and --state still wins', () => {
    writeConfig('sqlite:state/audit.db');
    const cwd = path.join(tmp.dir, 'elsewhere');
    fs.mkdirSync(cwd);
    const store = `sqlite:${path.join(tmp.dir, 'live2.db')}`;
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve'], { cwd }).code).toBe(0);
    expect(fs.existsSync(path.join(config, 'state', 'audit.db'))).toBe(true);
    expect(fs.readdirSync(cwd)).toEqual([]);
    const verify = gatehouse(['audit', 'verify', '--state', `sqlite:${path.join(config, 'state', 'audit.db')}`], { cwd });
    expect(verify.stdout).toMatch(/^Audit log OK: 2 records\n/);

    const flag = path.join(tmp.dir, 'flag.db');
    writeConfig('sqlite:state/audit.db');
    fs.appendFileSync(path.join(config, 'identity.yaml'), '  - { userName: bob@x, displayName: Bob, name: { given: Bob, family: B } }\n');
    expect(gatehouse(['apply', '--config', config, '--store', store, '--state', `sqlite:${flag}`, '--auto-approve'], { cwd }).code).toBe(0);
    expect(gatehouse(['audit', 'verify', '--state', `sqlite:${flag}`], { cwd }).stdout).toMatch(/^Audit log OK: 2 records\n/);
  });

  it('is where the audit commands read, given --config (or run in the config directory)', () => {
    writeConfig('sqlite:state/audit.db');
    const store = `sqlite:${path.join(tmp.dir, 'live3.db')}`;
    const cwd = path.join(tmp.dir, 'auditor');
    fs.mkdirSync(cwd);
    fs.rmSync(path.join(config, 'state'), { recursive: true, force: true });
    expect(gatehouse(['apply', '--config', config, '--store', store, '--auto-approve'], { cwd }).code).toBe(0);
    const records = /^Audit log OK: (\d+) records\n/;
    const viaFlag = gatehouse(['audit', 'verify', '--config', config, '--store', store], { cwd });
    expect(viaFlag.stdout, viaFlag.stderr).toMatch(records);
    expect(Number(records.exec(viaFlag.stdout)![1])).toBeGreaterThan(0);
    // In the config directory, the default --config . finds it too.
    expect(gatehouse(['audit', 'verify', '--store', store], { cwd: config }).stdout).toBe(viaFlag.stdout);
    expect(gatehouse(['audit', 'log', '--config', config, '--store', store], { cwd }).stdout).toMatch(/^#1 .* INTENT user\.create user:alice@x /);
    // Nothing else was read or created: the store's own file holds no record.
    expect(gatehouse(['audit', 'log', '--store', store], { cwd }).stdout).toBe('No audit records.\n');
  });

  it('an unparsable gatehouse.yaml stops the audit commands with its location, rather than reading another chain', () => {
    const dir = path.join(tmp.dir, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\nstate: [unclosed\n');
    const r = gatehouse(['audit', 'verify', '--config', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gatehouse\.yaml:\d+:\d+: error/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('is checked like every setting: an unknown backend is an error at its line', () => {
    writeConfig('mysql://db/gatehouse');
    const r = gatehouse(['validate', '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/gatehouse\.yaml:4:8: error \[schema\] `state` must match/);
  });
});
