import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The build is done by `npm test` (npm run build) before vitest runs.
const gatehouse = (...args: string[]) => {
  const run = spawnSync('node', ['bin/gatehouse.js', ...args], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

const LINE = /^[^:]+:\d+:\d+: (error|warning) \[[a-z0-9-]+\] .+/;

/** Line number (1-based) of the first line of a file containing `text`. */
const lineOf = (file: string, text: string): number => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('gatehouse validate', () => {
  it('accepts the acme example', () => {
    const run = gatehouse('validate', '--config', 'examples/acme');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('Config is valid: 17 users, 7 groups, 7 permission sets, 8 assignment rules\n');
    expect(run.code).toBe(0);
  });

  describe('on the invalid example', () => {
    const run = gatehouse('validate', '--config', 'examples/invalid');
    const lines = run.stdout.trimEnd().split('\n');

    it('exits 1 and prints every problem as file:line:col: severity [rule] message, then a summary', () => {
      expect(run.code).toBe(1);
      for (const line of lines) expect(line).toMatch(LINE);
      const errors = lines.filter((l) => l.includes(': error [')).length;
      // The second warning says which references were left unchecked because hostile/ files did not parse (issue 12).
      expect(run.stderr).toBe(`${errors} errors, 2 warnings\n`);
      expect(lines).toContainEqual(expect.stringMatching(/warning \[not-checked\] \d+ references/));
    });

    it('covers every rule', () => {
      const rules = new Set(lines.map((l) => /\[([a-z0-9-]+)\]/.exec(l)![1]));
      for (const rule of [
        'schema', 'aws-limit', 'reserved-name', 'iam-policy', 'inline-policy-file', 'duplicate-name', 'unknown-reference',
        'unquoted-account-id', 'account-id-length', 'principal-name', 'confusable-name', 'expires', 'expired-assignment',
        'assignment-shape', 'yaml-syntax', 'duplicate-key', 'forbidden-key', 'too-deep', 'too-many-aliases', 'yaml11-boolean', 'file-too-large',
      ])
        expect(rules, rule).toContain(rule);
    });

    it('points at the right lines', () => {
      const at = (file: string, text: string) => `examples/invalid/${file}:${lineOf(`examples/invalid/${file}`, text)}:`;
      const expectLine = (prefix: string, fragment: string) =>
        expect(lines.filter((l) => l.startsWith(prefix)).join('\n')).toContain(fragment);
      expectLine(at('permission-sets.yaml', 'sesionDuration'), 'unknown field `sesionDuration` in permission set; did you mean `sessionDuration`?');
      expectLine(at('permission-sets.yaml', 'PT13H'), 'outside the allowed range PT1H to PT12H');
      expectLine(at('permission-sets.yaml', 'Effect: Permit'), '`Effect` must be "Allow" or "Deny"');
      expectLine(at('assignments.yaml', '012345678901'), 'Quote it: "012345678901"');
      expectLine(at('assignments.yaml', 'prod-cor,'), 'did you mean `prod-core`?');
      expectLine(at('assignments.yaml', 'next tuesday'), 'is not an ISO 8601 instant');
      expectLine(at('users.yaml', '"аlice'), 'looks like user `alice@acme.example`');
      expectLine(at('users.yaml', 'emial'), 'unknown field `emial` in user; did you mean `email`?');
      expectLine(at('hostile/duplicate-key.yaml', 'description: second'), '[duplicate-key]');
      expectLine('examples/invalid/hostile/tabs.yaml:4:1:', 'tabs are not allowed');
    });

    it('prints the same problems as JSON', () => {
      const json = gatehouse('validate', '--config', 'examples/invalid', '--format', 'json');
      expect(json.code).toBe(1);
      const doc = JSON.parse(json.stdout) as { format_version: number; valid: boolean; diagnostics: { severity: string; rule: string; message: string; file: string; line: number; col: number; text: string }[] };
      expect(doc).toMatchObject({ format_version: 1, valid: false });
      expect(doc.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.severity} [${d.rule}] ${d.message}`)).toEqual(lines);
      expect(doc.diagnostics.map((d) => d.text)).toEqual(lines);
      expect(Object.keys(doc.diagnostics[0]!)).toEqual(['severity', 'rule', 'message', 'file', 'line', 'col', 'text']);
    });
  });

  it('exits 0 with warnings only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatehouse-validate-'));
    try {
      await writeFile(join(dir, 'gatehouse.yaml'), 'version: 1\n');
      await writeFile(
        join(dir, 'config.yaml'),
        'users: [{ userName: ann, displayName: Ann, name: { given: Ann, family: Lee } }]\npermissionSets: [{ name: P }]\nassignments:\n  - users: [ann]\n    permissionSets: [P]\n    accounts: ["111111111111"]\n    expires: 2020-01-01T00:00:00Z\n',
      );
      const run = gatehouse('validate', '--config', dir);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        `${join(dir, 'config.yaml')}:7:14: warning [expired-assignment] this assignment expired at 2020-01-01T00:00:00Z and grants nothing; remove it\n` +
          'Config is valid: 1 user, 0 groups, 1 permission set, 1 assignment rule (1 warning)\n',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 1 on a bad flag or a missing directory', () => {
    const missing = gatehouse('validate', '--config', 'examples/does-not-exist');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error: no such directory examples/does-not-exist: pass --config DIR\n');
    const badFormat = gatehouse('validate', '--config', 'examples/acme', '--format', 'xml');
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toBe('Error: unknown --format xml; use text or json\n');
  });
});
