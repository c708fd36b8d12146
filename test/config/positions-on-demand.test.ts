import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../bench/gen/write-config.js';
import { REFERENCE_NOW } from '../../bench/gen/sizes.js';
import { loadConfig, type ConfigLoadResult } from '../../src/config/load-config.js';
import { parseOrganization } from '../../src/config/organization-file.js';
import { DeferredLocator } from '../../src/config/yaml/deferred-locator.js';
import type { DesiredState } from '../../src/model/desired.js';
import { account, organization } from '../plan/builders.js';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import { fieldKey, groupKey, membershipKey, permissionSetKey, userKey } from '../../src/model/keys.js';
import { messages, parseFiles } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-positions-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The desired state as plain data, every source resolved: what a consumer can observe. */
const observable = (desired: DesiredState | undefined) =>
  desired && { ...JSON.parse(JSON.stringify({ ...desired, sources: undefined })), sources: [...desired.sources] };

const loadBoth = async (dir: string, now = new Date(REFERENCE_NOW)): Promise<[ConfigLoadResult, ConfigLoadResult]> => [
  await loadConfig(dir, { now, positions: 'on-demand' }),
  await loadConfig(dir, { now, positions: 'eager' }),
];

/** Whether line/col of this range are still to be worked out (a getter, not a value). */
const deferred = (range: object): boolean => Object.getOwnPropertyDescriptor(range, 'line')?.get !== undefined;

describe('positions on demand', () => {
  it('loads examples/acme to the same desired state as the precise path, without computing positions', async () => {
    const [fast, precise] = await loadBoth('examples/acme');
    expect(precise.desired).toBeDefined();
    // Not vacuous: the fast path was taken, so positions were not computed while loading.
    expect(deferred(fast.desired!.assignments[0]!.source)).toBe(true);
    expect(deferred(precise.desired!.assignments[0]!.source)).toBe(false);
    expect(observable(fast.desired)).toEqual(observable(precise.desired));
    expect(fast.organization).toEqual(precise.organization);
    expect(fast.diagnostics).toEqual(precise.diagnostics);
    expect(fast.files).toEqual(precise.files);
  });

  it('loads a generated organisation (bench S) to the same desired state and sources as the precise path', async () => {
    const dir = join(scratch, 'generated');
    generateInto('S', 3, dir);
    const [fast, precise] = await loadBoth(dir);
    expect(precise.diagnostics).toEqual([]);
    expect(precise.desired!.users.length).toBeGreaterThan(100);
    expect(deferred(fast.desired!.assignments[0]!.source)).toBe(true);
    expect(observable(fast.desired)).toEqual(observable(precise.desired));
    expect(fast.organization).toEqual(precise.organization);
  });

  it('gives the same diagnostics, at the same places, for examples/invalid', async () => {
    const [fast, precise] = await loadBoth('examples/invalid');
    expect(fast.diagnostics.length).toBeGreaterThan(20);
    expect(messages(fast)).toEqual(messages(precise));
  });

  it('resolves each source to the exact place, and only when asked', () => {
    const files = {
      'users.yaml': 'users:\n  - userName: alice\n    displayName: Alice\n    name: { given: A, family: L }\n',
      'groups.yaml': 'groups:\n  - name: ops\n    members:\n      - alice\n      - alice\n',
      'sets.yaml': 'permissionSets:\n  - name: Read\n    sessionDuration: PT2H\n',
    };
    const fast = parseFiles(files).desired!;
    const precise = parseConfigEager(files);
    for (const key of [
      userKey('alice'),
      fieldKey(userKey('alice'), 'displayName'),
      fieldKey(userKey('alice'), 'name'),
      groupKey('ops'),
      fieldKey(groupKey('ops'), 'members'),
      membershipKey('ops', 'alice'),
      permissionSetKey('Read'),
      fieldKey(permissionSetKey('Read'), 'sessionDuration'),
    ])
      expect(fast.sources.get(key), key).toEqual(precise.sources.get(key));
    // A member written twice keeps the later place, as a Map filled in file order does.
    expect(fast.sources.get(membershipKey('ops', 'alice'))).toEqual({ file: 'groups.yaml', line: 5, col: 9 });
    expect(fast.sources.get(fieldKey(permissionSetKey('Read'), 'sessionDuration'))).toEqual({ file: 'sets.yaml', line: 3, col: 22 });
    expect(fast.sources.get('user:nobody')).toBeUndefined();
    expect(fast.sources.has(fieldKey(userKey('alice'), 'email'))).toBe(false);
    expect(fast.sources.size).toBe(precise.sources.size);
    expect([...fast.sources.keys()]).toEqual([...precise.sources.keys()]);
  });

  it('parses a file a second time only when one of its positions is read', () => {
    const locator = new DeferredLocator('users.yaml', 'users:\n  - userName: alice\n    title: x\n');
    const range = locator.at(['users', 0], ['title']);
    expect(range.file).toBe('users.yaml');
    expect(locator.resolved).toBe(false);
    expect(range.line).toBe(3);
    expect(locator.resolved).toBe(true);
    expect({ ...range }).toEqual({ file: 'users.yaml', line: 3, col: 12 });
    // A key, and a path that goes deeper than the data: the deepest node that exists.
    expect(locator.at(['users', 0], ['title'], true)).toEqual({ file: 'users.yaml', line: 3, col: 5 });
    expect(locator.at(['users', 0], ['missing', 'deeper'])).toEqual({ file: 'users.yaml', line: 2, col: 5 });
  });

  it('merges a grant written twice in one file to its first rule without working out any position', () => {
    const files = {
      'groups.yaml': 'groups:\n  - name: ops\n',
      'sets.yaml': 'permissionSets:\n  - name: Read\n',
      'assignments.yaml': [
        'assignments:',
        '  - groups: [ops]',
        '    permissionSets: [Read]',
        '    accounts: ["111122223333"]',
        '    reason: first',
        '  - groups: [ops]',
        '    permissionSets: [Read]',
        '    accounts: ["111122223333"]',
        '    reason: second',
        '',
      ].join('\n'),
    };
    const rules = parseFiles(files).desired!.assignments;
    expect(rules.map((r) => r.position)).toEqual([0, 1]);
    // Count every read of a line or column while expanding.
    let reads = 0;
    for (const r of rules) {
      const line = Object.getOwnPropertyDescriptor(r.source, 'line')!.get!;
      const col = Object.getOwnPropertyDescriptor(r.source, 'col')!.get!;
      Object.defineProperty(r.source, 'line', { get: () => (reads++, line()), enumerable: true });
      Object.defineProperty(r.source, 'col', { get: () => (reads++, col()), enumerable: true });
    }
    const org = organization([account('111122223333', 'prod', '/Root')], { managementAccountId: '999999999999' });
    const { tuples } = expandAssignments(rules, org, new Date(REFERENCE_NOW));
    expect(reads).toBe(0);
    expect(tuples).toHaveLength(1);
    expect(tuples[0]!.source).toBe(rules[0]!.source);
    expect(tuples[0]!.reason).toBe('first; second');
    expect({ ...tuples[0]!.source }).toEqual({ file: 'assignments.yaml', line: 2, col: 5 });
  });

  it('reads the organisation file to the same organisation on both paths', () => {
    const text = readFileSync('examples/acme/organization.yaml', 'utf8');
    const fast = parseOrganization(text, 'o.yaml');
    expect(fast.organization).toBeDefined();
    expect(fast).toEqual(parseOrganization(text, 'o.yaml', { positions: 'eager' }));
    // A duplicate is reported by the precise path, located, on both.
    const duplicated = text.replace('name: prod-data', 'name: prod-core');
    expect(messages(parseOrganization(duplicated, 'o.yaml'))).toEqual(messages(parseOrganization(duplicated, 'o.yaml', { positions: 'eager' })));
    expect(messages(parseOrganization(duplicated, 'o.yaml'))[0]).toMatch(/^o\.yaml:\d+:\d+: error \[duplicate-name\] account name `prod-core` is used twice: here and at o\.yaml:\d+:\d+/);
  });

  describe('sends unusual files to the precise path, with the same result', () => {
    const cases: Record<string, { text: string; rule?: string }> = {
      'anchors and aliases (valid)': {
        text: 'permissionSets:\n  - name: A\n    tags: &t { owner: x }\n  - name: B\n    tags: *t\n',
      },
      'YAML 1.1 boolean': { text: 'users:\n  - userName: NO\n    displayName: N\n    name: { given: a, family: b }\n', rule: 'yaml11-boolean' },
      'duplicate key': { text: 'groups:\n  - name: a\n    name: b\n', rule: 'duplicate-key' },
      'tab indentation': { text: 'groups:\n\t- name: a\n', rule: 'yaml-syntax' },
      'prototype key': { text: 'groups:\n  - name: a\n    __proto__: { x: 1 }\n', rule: 'forbidden-key' },
      'constructor key': { text: 'permissionSets:\n  - name: A\n    tags: { constructor: x }\n', rule: 'forbidden-key' },
      'null key': { text: 'permissionSets:\n  - name: A\n    tags: { ~: x }\n', rule: 'aws-limit' }, // the key is "", not "null"
      'collection key': { text: 'permissionSets:\n  - name: A\n    tags: { [a, b]: x }\n', rule: 'yaml-syntax' },
      'too deep': { text: `groups: ${'['.repeat(70)}${']'.repeat(70)}\n`, rule: 'too-deep' },
      'binary': { text: 'groups:\n  - name: a\u0001\n', rule: 'binary-file' },
      'unquoted account id': { text: 'assignments:\n  - groups: [g]\n    permissionSets: [P]\n    accounts: [012345678901]\n', rule: 'unquoted-account-id' },
      'schema error': { text: 'groups:\n  - name: a\n    membres: [x]\n', rule: 'schema' },
      'invalid YAML': { text: 'groups: [a\n', rule: 'yaml-syntax' },
      'several documents': { text: 'groups: []\n---\nusers: []\n', rule: 'yaml-syntax' },
    };
    for (const [name, { text, rule }] of Object.entries(cases)) {
      it(name, () => {
        const fast = parseFiles({ 'f.yaml': text });
        const precise = parseConfigEager({ 'f.yaml': text }, true);
        expect(messages(fast)).toEqual(messages(precise));
        if (rule !== undefined) expect(fast.diagnostics.map((d) => d.rule)).toContain(rule);
        else expect(observable(fast.desired)).toEqual(observable(precise.desired));
      });
    }
  });

  it('locates a semantic error in a fast-path file exactly (the file is re-read for it)', async () => {
    const dir = join(scratch, 'acme-broken');
    cpSync('examples/acme', dir, { recursive: true });
    const groupsFile = readdirSync(dir).find((f) => f.startsWith('groups'))!;
    const path = join(dir, groupsFile);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/members: \[/, 'members: [nobody@acme.example, '));
    const [fast, precise] = await loadBoth(dir);
    expect(messages(fast, 'unknown-reference')).toHaveLength(1);
    expect(messages(fast)).toEqual(messages(precise));
  });
});

function parseConfigEager(files: Record<string, string>, withDiagnostics: true): ReturnType<typeof parseFiles>;
function parseConfigEager(files: Record<string, string>): DesiredState;
function parseConfigEager(files: Record<string, string>, withDiagnostics = false) {
  const parsed = parseFiles(files, { positions: 'eager' });
  return withDiagnostics ? parsed : parsed.desired!;
}
