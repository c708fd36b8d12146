import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { parseConfigFiles, type ParsedConfig } from '../../src/config/parse-config-files.js';
import { parseOrganization } from '../../src/config/organization-file.js';
import { gatehouse, repoRoot, tempDir } from '../helpers/cli.js';

// The loader fuzz of issues 8 and 13: example files mutated, arbitrary bytes, and generated
// control characters, look-alikes and escaped forbidden keys, through the loader in-process.
// Never a throw or a stack trace, only diagnostics, every error located; the injected hostile
// text is never accepted. 10,000 cases when CI=true (about a minute here), 1,000 otherwise;
// GATEHOUSE_FUZZ_RUNS sets the total.

const CI = process.env.CI === 'true' || process.env.CI === '1';
const TOTAL = Number(process.env.GATEHOUSE_FUZZ_RUNS ?? (CI ? 10_000 : 1_000));
const runs = (share: number): number => Math.max(1, Math.round(TOTAL * share));
const NOW = new Date('2026-11-29T12:00:00Z');

const ACME = path.join(repoRoot, 'examples', 'acme');
const example: Record<string, string> = {};
for (const name of readdirSync(ACME)) if (/\.ya?ml$/.test(name)) example[name] = readFileSync(path.join(ACME, name), 'utf8');
const policies: Record<string, string> = {};
for (const name of readdirSync(path.join(ACME, 'policies'))) policies[`policies/${name}`] = readFileSync(path.join(ACME, 'policies', name), 'utf8');
const CONFIG_FILES = Object.keys(example).filter((f) => f !== 'organization.yaml' && f !== 'gatehouse.yaml');

const tried = new Map<string, number>();
const count = (fault: string): void => void tried.set(fault, (tried.get(fault) ?? 0) + 1);
afterAll(() => console.log(`loader fuzz cases: ${[...tried].map(([k, v]) => `${k} ${v}`).join(', ')}`));

const ORGANIZATION = parseOrganization(example['organization.yaml']!, 'organization.yaml').organization!;

/**
 * The given files with the example's gatehouse.yaml (and `with`), against the example's
 * organisation. Only a few files per case: parsing all of them each time would make the run
 * minutes long, and the cross-file rules run all the same.
 */
function parse(files: Record<string, string>, positions?: 'on-demand' | 'eager', ...with_: string[]): ParsedConfig {
  const all: Record<string, string> = { 'gatehouse.yaml': example['gatehouse.yaml']!, ...Object.fromEntries(with_.map((f) => [f, example[f]!])), ...files };
  return parseConfigFiles(
    Object.entries(all).map(([name, text]) => ({ path: name, text })),
    {
      now: NOW,
      rootFile: 'gatehouse.yaml',
      organization: ORGANIZATION,
      ...(positions && { positions }),
      readFile: (p) => (policies[p] === undefined ? { rule: 'read-file', error: 'no such file' } : { text: policies[p]! }),
    },
  );
}

const STACK = /\n\s+at |RangeError|TypeError|ReferenceError|Maximum call stack|undefined undefined/;
function expectOnlyDiagnostics(run: () => { diagnostics: readonly Diagnostic[] }): readonly Diagnostic[] {
  let result: { diagnostics: readonly Diagnostic[] } | undefined;
  expect(() => (result = run())).not.toThrow();
  for (const d of result!.diagnostics) {
    expect(d.message, d.message).not.toMatch(STACK);
    if (d.severity === 'error' && d.rule !== 'missing-settings') expect(d.source?.line ?? 0, `${d.rule}: ${d.message}`).toBeGreaterThan(0);
  }
  return result!.diagnostics;
}

// Text an attacker or an unlucky editor puts into a file.
const NASTY = [
  '\u0000', '\u001b[8m', '\u001b]8;;x\u0007', '\r', '\r\n', '\n', '\t', '\u0085', '\u2028', '\u2029', '\u200b', '\u202e', '\u00a0', '\ufeff', '\ufffd',
  '"', "'", '\\', '\\x5f_proto__', '\\u005f_proto__', '"\\ud800"', '&a ', '*a', '!!binary ', '|', '>', '- ', ': ', '? ', '#', '[', ']', '{', '}', ',',
  '%YAML 1.1\n', '---\n', '...\n', '__proto__', 'constructor', 'yes', 'NO', '0123', '2027-02-30T00:00:00Z', 'а', 'Ι', ' ',
];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }), times: fc.integer({ min: 2, max: 200 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;
function mutate(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + m.length);
  return text.slice(0, at) + text.slice(at, at + m.length).repeat(m.times) + text.slice(at);
}

/** A name, description or tag value holding a character that must never reach output. */
const unsafeChar = fc.oneof(
  fc.integer({ min: 0, max: 0x1f }).filter((c) => c !== 0x0a && c !== 0x09),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.constantFrom(0x0a, 0x09, 0xad, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069, 0xfeff, 0xe0041),
);
const yamlEscape = (code: number): string => (code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);

describe('loader fuzz', () => {
  it('mutated example files: only located diagnostics, never a throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CONFIG_FILES, 'gatehouse.yaml', 'organization.yaml'), fc.array(mutation, { minLength: 1, maxLength: 4 }), (file, mutations) => {
        count('mutated example files');
        const text = mutations.reduce(mutate, example[file]!);
        if (file === 'organization.yaml') expectOnlyDiagnostics(() => parseOrganization(text, file));
        else expectOnlyDiagnostics(() => parse({ [file]: text }));
      }),
      { numRuns: runs(0.08) },
    );
  }, 180_000);

  it('arbitrary bytes: only located diagnostics, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, asOrganization) => {
        count('arbitrary bytes');
        const text = Buffer.from(bytes).toString('utf8');
        if (asOrganization) expectOnlyDiagnostics(() => parseOrganization(text, 'o.yaml'));
        else expectOnlyDiagnostics(() => parse({ 'x.yaml': text }));
      }),
      { numRuns: runs(0.54) },
    );
  }, 180_000);

  it('a control or format character in any name, description or tag is never accepted', () => {
    const places = [
      (s: string) => ({ 'groups.yaml': `groups:\n  - name: "ops${s}"\n` }),
      (s: string) => ({ 'groups.yaml': `groups:\n  - name: ops\n    description: "a${s}b"\n` }),
      (s: string) => ({ 'users.yaml': `users:\n  - userName: "eve${s}"\n    displayName: Eve\n    name: { given: Eve, family: E }\n` }),
      (s: string) => ({ 'users.yaml': `users:\n  - userName: eve\n    displayName: "Eve${s}"\n    name: { given: Eve, family: E }\n` }),
      (s: string) => ({ 'permission-sets.yaml': `permissionSets:\n  - name: P\n    description: "d${s}"\n    tags: { team: x }\n` }),
      (s: string) => ({ 'permission-sets.yaml': `permissionSets:\n  - name: P\n    tags: { team: "v${s}" }\n` }),
      (s: string) => ({ 'permission-sets.yaml': `permissionSets:\n  - name: P\n    tags: { "k${s}": v }\n` }),
      (s: string) => ({ 'guardrails.yaml': `guardrails:\n  - name: "g${s}"\n    deny: { permissionSets: [AdministratorAccess] }\n` }),
      (s: string) => ({ 'organization.yaml': example['organization.yaml']!.replace(/name: (\w+)/, `name: "$1${s}"`) }),
    ];
    fc.assert(
      fc.property(fc.nat(places.length - 1), unsafeChar, fc.boolean(), (place, code, escaped) => {
        count('control and format characters');
        const text = escaped ? yamlEscape(code) : String.fromCodePoint(code);
        const files = places[place]!(text);
        const diagnostics = 'organization.yaml' in files ? expectOnlyDiagnostics(() => parseOrganization(files['organization.yaml'], 'organization.yaml')) : expectOnlyDiagnostics(() => parse(files));
        expect(diagnostics.some((d) => d.severity === 'error'), `U+${code.toString(16)} accepted at place ${place}`).toBe(true);
      }),
      { numRuns: runs(0.14) },
    );
  });

  it('a look-alike of an existing group or user is never accepted', () => {
    const lookalike = fc.oneof(
      fc.constant((n: string) => `${n} `),
      fc.constant((n: string) => ` ${n}`),
      fc.constant((n: string) => n.toUpperCase()),
      fc.constant((n: string) => n[0]!.toUpperCase() + n.slice(1)),
      fc.constant((n: string) => n.replace('-', '\u00a0')),
      fc.constant((n: string) => n.replace('-', '\u2010')),
      fc.constant((n: string) => n.replace(/a/, '\u0430')),
      fc.constant((n: string) => n.replace(/e/, '\u0435')),
      fc.constant((n: string) => n.replace(/o/, '\u03bf')),
      fc.constant((n: string) => n.replace(/l/, '1')),
      fc.constant((n: string) => n.replace(/m/, 'rn')),
      fc.constant((n: string) => `${n}\u200b`),
      fc.constant((n: string) => n.replace(/e/, 'e\u0301')), // not NFC: é written as e + combining acute
    );
    const groups = [...example['groups.yaml']!.matchAll(/- name: ([\w-]+)/g)].map((m) => m[1]!);
    fc.assert(
      fc.property(fc.constantFrom(...groups), lookalike, (name, twist) => {
        count('look-alikes');
        const twin = twist(name);
        fc.pre(twin !== name);
        const diagnostics = expectOnlyDiagnostics(() => parse({ 'twin.yaml': `groups:\n  - name: "${twin}"\n` }, undefined, 'groups.yaml', 'users.yaml'));
        expect(diagnostics.some((d) => d.severity === 'error'), `${JSON.stringify(twin)} beside ${name} accepted`).toBe(true);
      }),
      { numRuns: runs(0.1) },
    );
  });

  it('an escaped forbidden key is never accepted, on either parse path', () => {
    const spell = fc.constantFrom('__proto__', 'constructor', 'prototype').chain((key) =>
      fc.array(fc.boolean(), { minLength: key.length, maxLength: key.length }).map((escapes) =>
        [...key].map((ch, i) => (escapes[i] ? fc.sample(fc.constantFrom(`\\x${ch.charCodeAt(0).toString(16)}`, yamlEscape(ch.charCodeAt(0))), 1)[0] : ch)).join(''),
      ),
    );
    const places = [
      (k: string) => ({ 'permission-sets.yaml': `permissionSets:\n  - name: P\n    tags: { "${k}": x }\n` }),
      (k: string) => ({ 'assignments.yaml': `assignments:\n  - groups: [developers]\n    permissionSets: [ReadOnly]\n    accountTags: { "${k}": prod }\n` }),
      (k: string) => ({ 'users.yaml': `users:\n  - userName: eve\n    "${k}": { polluted: true }\n` }),
      (k: string) => ({ 'organization.yaml': example['organization.yaml']!.replace(/tags: \{/, `tags: { "${k}": x,`) }),
    ];
    fc.assert(
      fc.property(fc.nat(places.length - 1), spell, fc.constantFrom('on-demand', 'eager') as fc.Arbitrary<'on-demand' | 'eager'>, (place, key, positions) => {
        count('escaped forbidden keys');
        const files = places[place]!(key);
        const diagnostics =
          'organization.yaml' in files
            ? expectOnlyDiagnostics(() => parseOrganization(files['organization.yaml'], 'organization.yaml', { positions }))
            : expectOnlyDiagnostics(() => parse(files, positions));
        expect(diagnostics.map((d) => d.rule), `${key} at place ${place} (${positions})`).toContain('forbidden-key');
      }),
      { numRuns: runs(0.14) },
    );
  });
});

describe('the CLI on mutated configs', () => {
  const temp = tempDir('gatehouse-fuzz-cli-');
  afterAll(temp.cleanup);
  it('exits only 0 or 1, with no stack trace', () => {
    const cases = fc.sample(fc.tuple(fc.constantFrom(...CONFIG_FILES, 'gatehouse.yaml', 'organization.yaml'), fc.array(mutation, { minLength: 1, maxLength: 3 })), { numRuns: 4, seed: 8 });
    cases.forEach(([file, mutations], i) => {
      count('CLI runs');
      const dir = path.join(temp.dir, `case-${i}`);
      mkdirSync(path.join(dir, 'policies'), { recursive: true });
      for (const [name, text] of Object.entries(example)) writeFileSync(path.join(dir, name), name === file ? mutations.reduce(mutate, text) : text);
      for (const [name, text] of Object.entries(policies)) writeFileSync(path.join(dir, name), text);
      const run = gatehouse(['validate', '--config', dir]);
      expect([0, 1], run.stderr).toContain(run.code);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(STACK);
    });
  });
});
