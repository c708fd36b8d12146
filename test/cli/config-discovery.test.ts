import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, tempDir } from '../helpers/cli.js';

// Which directory and which files are config (issue #12): a directory without gatehouse.yaml is
// not one; `include:` narrows the files; `gatehouse init` writes a config that works as is.

let tmp: { dir: string; cleanup: () => void };
beforeAll(() => {
  tmp = tempDir();
});
afterAll(() => tmp.cleanup());

describe('config discovery', () => {
  it('stops at once without a gatehouse.yaml, instead of loading every YAML file below', () => {
    const dir = path.join(tmp.dir, 'repo-root');
    mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    mkdirSync(path.join(dir, 'charts'));
    writeFileSync(path.join(dir, 'charts', 'values.yaml'), 'replicas: 3\nimage: { tag: latest }\n');
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services: { web: { image: nginx } }\n');
    for (const command of [['validate'], ['plan'], ['access'], ['validate', '--format', 'json']]) {
      const r = gatehouse([...command, '--config', dir]);
      expect(r.code, command.join(' ')).toBe(1);
      expect(r.stderr).toBe(`Error: no gatehouse.yaml in ${dir}: pass --config DIR, or create one with gatehouse init ${dir}\n`);
      expect(r.stdout).not.toContain('values.yaml');
    }
  });

  it('reads only the files `include:` names (gatehouse.yaml and the organisation file always)', () => {
    const dir = path.join(tmp.dir, 'included');
    mkdirSync(path.join(dir, 'identity', 'teams'), { recursive: true });
    mkdirSync(path.join(dir, 'charts'));
    writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\ninclude: ["identity/**/*.yaml"]\n');
    writeFileSync(path.join(dir, 'identity', 'teams', 'users.yaml'), 'users:\n  - userName: ann\n    displayName: Ann\n    name: { given: Ann, family: Lee }\n');
    writeFileSync(path.join(dir, 'charts', 'values.yaml'), 'replicas: 3\n');
    const r = gatehouse(['validate', '--config', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Config is valid: 1 user,');
    writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\n');
    const everything = gatehouse(['validate', '--config', dir]);
    expect(everything.code).toBe(1);
    expect(everything.stdout).toContain(path.join(dir, 'charts', 'values.yaml'));
  });

  it('gatehouse init writes a config with schema headers that validates and plans on the embedded store', () => {
    const dir = path.join(tmp.dir, 'new-config');
    const init = gatehouse(['init', dir]);
    expect(init.code, init.stderr).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toContain('gatehouse.yaml');
    for (const file of files) {
      const first = readFileSync(path.join(dir, file), 'utf8').split('\n')[0]!;
      const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(m, file).not.toBeNull();
      expect(existsSync(path.resolve(dir, m![1]!)), `${file}: ${m![1]}`).toBe(true);
    }
    const validate = gatehouse(['validate', '--config', dir]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toBe('Config is valid: 1 user, 1 group, 1 permission set, 1 assignment rule\n');
    const plan = gatehouse(['plan', '--config', dir, '--store', `sqlite:${path.join(tmp.dir, 'init.db')}`, '--detailed-exitcode']);
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('+ assignment GROUP developers → ReadOnly in sandbox (222222222222)');
    const again = gatehouse(['init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });
});
