// `validate --github` annotates every finding at file:line with a workflow command, escaped as
// the runner unescapes it (actions/toolkit packages/core/src/command.ts: data %25 %0D %0A,
// properties also %3A %2C), and `--sarif FILE` writes all of them as SARIF 2.1.0, checked here
// against the official OASIS schema (test/ci/fixtures/SOURCE.md says where the copy is from).
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { annotationCommand, escapeCommandData, escapeCommandProperty } from '../../src/ci/workflow-commands.js';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const schemaFile = path.join(import.meta.dirname, 'fixtures', 'sarif-schema-2.1.0.json');

/** What the runner does to a value before using it (toolkit's unescapeValue / unescapeProperty). */
const unescapeProperty = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

function sarifValidator() {
  const text = readFileSync(schemaFile, 'utf8');
  expect(createHash('sha256').update(text).digest('hex')).toBe('10666d46649b52e262001e70d43e6c52f7c0279ca3dbdfe9a7dc2e4071556454');
  // The official schema's `language` pattern has a stray `]`, legal only in a non-unicode RegExp.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(text));
}

const tmp = tempDir('gatehouse-sarif-');
afterAll(() => tmp.cleanup());

describe('workflow command escaping', () => {
  it('escapes %, CR and LF in data, and : and , as well in properties', () => {
    expect(escapeCommandData('100% done\r\n::add-mask::x')).toBe('100%25 done%0D%0A::add-mask::x');
    expect(escapeCommandProperty('a,b:c%d\ne')).toBe('a%2Cb%3Ac%25d%0Ae');
    const line = annotationCommand(
      { severity: 'error', rule: 'schema', message: 'bad\n::error::forged', source: { file: 'cfg/x,line=9::y.yaml', line: 3, col: 5 } },
      { workspace: '/repo', cwd: '/repo' },
    );
    expect(line).toBe('::error file=cfg/x%2Cline=9%3A%3Ay.yaml,line=3,col=5,title=Gatehouse schema::bad\\x0A::error::forged');
  });
});

describe('validate --github --sarif on examples/invalid', () => {
  const sarifFile = path.join(tmp.dir, 'out', 'gatehouse.sarif');
  const r = gatehouse(['validate', '--config', 'examples/invalid', '--github', '--sarif', sarifFile], { env: { GITHUB_WORKSPACE: repoRoot } });
  const plain = gatehouse(['validate', '--config', 'examples/invalid']);
  const diagnostics = plain.stdout.split('\n').filter((l) => /: (error|warning) \[/.test(l));

  it('emits one annotation at file,line,col for every error and warning, and a notice that GitHub shows 10', () => {
    expect(r.code).toBe(1);
    expect(plain.stdout).not.toMatch(/^::/m);
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    const errors = commands.filter((l) => l.startsWith('::error '));
    const warnings = commands.filter((l) => l.startsWith('::warning '));
    expect(errors.length).toBe(diagnostics.filter((l) => l.includes(': error [')).length);
    expect(errors.length).toBeGreaterThanOrEqual(30);
    expect(warnings.length).toBe(diagnostics.filter((l) => l.includes(': warning [')).length);
    for (const line of diagnostics) {
      const m = /^(.+?):(\d+):(\d+): (error|warning) \[([^\]]+)\]/.exec(line)!;
      const [, file, row, col, severity, rule] = m;
      expect(commands, line).toContain(commands.find((c) => c.startsWith(`::${severity} file=${escapeCommandProperty(file!)},line=${row},col=${col},title=Gatehouse ${rule}::`)));
    }
    expect(commands.at(-1)).toMatch(/^::notice title=Gatehouse::\d+ errors and 2 warnings: GitHub shows the first 10 of each/);
    expect(commands.at(-1)).toContain(sarifFile);
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with every finding located', () => {
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe('2.1.0');
    const results = log.runs[0].results;
    expect(results).toHaveLength(diagnostics.length);
    expect(results.every((x: { locations?: unknown[] }) => x.locations?.length === 1)).toBe(true);
    const users = results.find((x: { ruleId: string; message: { text: string } }) => x.ruleId === 'reserved-name');
    expect(users.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'examples/invalid/users.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 15 } });
    expect(log.runs[0].tool.driver.rules.map((x: { id: string }) => x.id)).toContain('reserved-name');
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    delete log.runs[0].results[0].message;
    expect(sarifValidator()(log)).toBe(false);
  });
});

describe('a hostile file name', () => {
  it('cannot end the file property early or forge a second command', () => {
    const dir = path.join(tmp.dir, 'hostile');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\ninstance: { region: eu-west-1, identitySource: internal }\n');
    const name = 'evil,line=1,title=x::%0A\n::error file=forged::pwned.yaml';
    writeFileSync(path.join(dir, name), 'users:\n  - { userName: a@example.com, displayName: A, name: { given: A, family: B }, emial: x }\n');
    const sarifFile = path.join(dir, '..', 'hostile.sarif');
    const r = gatehouse(['validate', '--config', dir, '--github', '--sarif', sarifFile], { env: { GITHUB_WORKSPACE: tmp.dir } });
    expect(r.code).toBe(1);
    const commands = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(commands.some((c) => c.startsWith('::error file=forged'))).toBe(false);
    const ours = commands.filter((c) => c.includes('pwned'));
    expect(ours).toHaveLength(1);
    const file = /^::error file=([^,]*),line=2,col=\d+,title=Gatehouse schema::/.exec(ours[0]!)?.[1];
    expect(file).toBe('hostile/evil%2Cline=1%2Ctitle=x%3A%3A%250A%0A%3A%3Aerror file=forged%3A%3Apwned.yaml');
    expect(unescapeProperty(file!)).toBe(`hostile/${name}`);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(sarifValidator()(log)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      `hostile/${encodeURIComponent(name)}`,
    );
  });
});

describe('a config passed by its absolute path on the runner', () => {
  it('is cited by repository paths everywhere, also inside a guardrail\'s message (its "at FILE:LINE")', () => {
    // As `--config $GITHUB_WORKSPACE/identity` would: the guardrail no-user-admin-in-prod lives
    // in gatehouse.yaml, the assignment that breaks it in assignments.yaml.
    const checkout = path.join(tmp.dir, 'checkout');
    const config = path.join(checkout, 'identity');
    cpSync(path.join(repoRoot, 'examples', 'acme'), config, { recursive: true });
    appendFileSync(path.join(config, 'assignments.yaml'), '\n  - users: [heidi@acme.example]\n    permissionSets: [AdministratorAccess]\n    accounts: [prod-core]\n');
    const sarifFile = path.join(checkout, 'gatehouse.sarif');
    const r = gatehouse(['validate', '--config', config, '--github', '--sarif', sarifFile], { cwd: checkout, env: { GITHUB_WORKSPACE: checkout } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=identity\/assignments\.yaml,line=\d+,col=5,title=Gatehouse guardrail::.*change this assignment or the guardrail at identity\/gatehouse\.yaml:\d+$/m);
    const sarif = readFileSync(sarifFile, 'utf8');
    expect(JSON.parse(sarif).runs[0].results[0].message.text).toMatch(/the guardrail at identity\/gatehouse\.yaml:\d+$/);
    for (const output of [r.stdout, r.stderr, sarif]) expect(output).not.toContain(tmp.dir);
    // Outside CI the paths stay as typed.
    expect(gatehouse(['validate', '--config', config], { cwd: checkout }).stdout).toContain(`${config}/assignments.yaml:`);
  });
});
