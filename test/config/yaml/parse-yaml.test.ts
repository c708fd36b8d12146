import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/config/yaml/parse-yaml.js';
import { messages, parseFiles } from '../helpers.js';

const rules = (text: string) => parseYaml('f.yaml', text).diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule}`);

/** Hostile input must be reported fast; a generous bound, only to catch runaway work. */
function timed<T>(fn: () => T): T {
  const start = performance.now();
  const result = fn();
  expect(performance.now() - start).toBeLessThan(1000);
  return result;
}

describe('parseYaml', () => {
  it('converts to plain data and remembers where every key and value was written', () => {
    const parsed = parseYaml('f.yaml', 'users:\n  - userName: alice\n    tags: { a: b }\n');
    expect(parsed.value).toEqual({ users: [{ userName: 'alice', tags: { a: 'b' } }] });
    expect(parsed.locator.at(parsed.value, ['users', 0])).toEqual({ file: 'f.yaml', line: 2, col: 5 });
    expect(parsed.locator.at(parsed.value, ['users', '0', 'userName'])).toMatchObject({ line: 2, col: 15 });
    expect(parsed.locator.at(parsed.value, ['users', 0, 'tags', 'a'], true)).toMatchObject({ line: 3, col: 13 });
    // A missing field points at the deepest node that exists.
    expect(parsed.locator.at(parsed.value, ['users', 0, 'missing'])).toMatchObject({ line: 2, col: 5 });
  });

  it('keeps the source text of numbers, so a lost leading zero can be quoted back', () => {
    const parsed = parseYaml('f.yaml', 'accounts: [012345678901]\n');
    const list = (parsed.value as { accounts: unknown[] }).accounts;
    expect(list[0]).toBe(12345678901);
    expect(parsed.locator.numberSource(list, 0)).toBe('012345678901');
  });

  it('reports duplicate keys instead of silently keeping one', () => {
    expect(rules('a: 1\nb: 2\na: 3\n')).toEqual(['3:1 duplicate-key']);
  });

  it('reports tab indentation', () => {
    expect(rules('a:\n\tb: 1\n')).toEqual(['2:1 yaml-syntax']);
  });

  it('reports YAML 1.1 booleans (the Norway problem) and remembers them for the schema check', () => {
    const parsed = parseYaml('f.yaml', 'country: NO\nflag: on\nquoted: "yes"\nreal: true\n');
    expect(parsed.diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule}`)).toEqual(['1:10 yaml11-boolean', '2:7 yaml11-boolean']);
    expect(parsed.diagnostics[0]!.message).toContain('quote it ("NO")');
    expect([...parsed.reportedPointers]).toEqual(['/country', '/flag']);
  });

  it('reports an unsupported tag once: the value it leaves out is not also a schema error', () => {
    const parsed = parseYaml('f.yaml', 'assignments:\n  - groups: [ops]\n    permissionSets: [!!binary AdministratorAccess]\n');
    expect(parsed.diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule}`)).toEqual(['3:31 yaml-syntax']);
    expect([...parsed.reportedPointers]).toEqual(['/assignments/0/permissionSets/0']);
    const config = parseFiles({ 'a.yaml': 'assignments:\n  - groups: [ops]\n    permissionSets: [!!binary AdministratorAccess]\n    accounts: [prod]\n' });
    expect(messages(config).filter((m) => m.startsWith('a.yaml'))).toEqual([
      'a.yaml:3:31: error [yaml-syntax] the tag tag:yaml.org,2002:binary is not supported; write plain text, numbers or true/false',
    ]);
  });

  it('drops __proto__, constructor and prototype keys with an error', () => {
    const parsed = parseYaml('f.yaml', 'a:\n  __proto__: { polluted: true }\n  constructor: x\n  ok: 1\n');
    expect(parsed.value).toEqual({ a: { ok: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(parsed.diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule}`)).toEqual(['2:3 forbidden-key', '3:3 forbidden-key']);
  });

  it('stops an alias bomb quickly', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const parsed = timed(() => parseYaml('f.yaml', `${levels.join('\n')}\n`));
    expect(parsed.value).toBeUndefined();
    expect(parsed.diagnostics.map((d) => d.rule)).toEqual(['too-many-aliases']);
  });

  it('allows a few aliases', () => {
    const parsed = parseYaml('f.yaml', 'a: &list [x, y]\nb: *list\n');
    expect(parsed.value).toEqual({ a: ['x', 'y'], b: ['x', 'y'] });
    expect(parsed.diagnostics).toEqual([]);
  });

  it('rejects deep flow nesting before parsing it', () => {
    const parsed = timed(() => parseYaml('f.yaml', `a: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`));
    expect(parsed.diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule}`)).toEqual(['1:68 too-deep']);
  });

  it('rejects deep block nesting', () => {
    const text = Array.from({ length: 70 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    const parsed = timed(() => parseYaml('f.yaml', text));
    expect(parsed.diagnostics.map((d) => d.rule)).toEqual(['too-deep']);
    expect(parsed.value).toBeUndefined();
  });

  it('rejects compact block nesting (- - - -) and ever deeper indentation before parsing', () => {
    expect(timed(() => rules(`${'- '.repeat(200_000)}x\n`))).toEqual(['1:1 too-deep']);
    expect(timed(() => rules(`${'? '.repeat(100_000)}x\n`))).toEqual(['1:1 too-deep']);
    const stairs = Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    expect(timed(() => rules(`${stairs} x\n`))).toEqual(['65:1 too-deep']);
    // Block scalars and comments do not count as levels.
    expect(rules(`a: |\n${'  text\n'.repeat(200)}# ${'  '.repeat(100)}c\nb: 1\n`)).toEqual([]);
  });

  // Our own check, with a Map: yaml's uniqueKeys compares every pair (100k keys took a minute).
  it('finds duplicate keys in a big map itself', () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `k${i}: ${i}`);
    const parsed = parseYaml('f.yaml', `${keys.join('\n')}\nk7: again\n`);
    expect(parsed.diagnostics.map((d) => `${d.source?.line}:${d.source?.col} ${d.rule} ${d.message}`)).toEqual([
      '5001:1 duplicate-key the key `k7` is written twice in the same map (first at line 8); YAML tools disagree on which one wins, so remove or merge one',
    ]);
  });

  it('does not count brackets inside quotes and comments as nesting', () => {
    expect(rules(`a: "${'['.repeat(100)}"\nb: '${'{'.repeat(100)}'\n# ${'['.repeat(100)}\n`)).toEqual([]);
  });

  it('reports binary content and invalid UTF-8 with a position', () => {
    expect(timed(() => rules('a: 1\nb: \u0000\u0001\u0002'))).toEqual(['2:4 binary-file']);
    expect(rules(Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe]).toString('utf8'))).toEqual(['1:4 binary-file']);
  });

  it('reports garbage as a YAML syntax error, never throws', () => {
    for (const garbage of ['{a: 1', ': : :\n  - ]', '"unterminated', '- a\nb: c\n', '!!python/object:os.system ls\n']) {
      const parsed = timed(() => parseYaml('f.yaml', garbage));
      expect(parsed.diagnostics.length, garbage).toBeGreaterThan(0);
      expect(parsed.diagnostics.every((d) => d.source?.file === 'f.yaml' && d.source.line >= 1)).toBe(true);
    }
  });

  it('rejects several documents in one file', () => {
    expect(rules('a: 1\n---\nb: 2\n')).toEqual(['2:1 yaml-syntax']);
  });

  it('rejects binary tags', () => {
    expect(rules('a: !!binary aGVsbG8=\n')).toEqual(['1:13 yaml-syntax']);
  });

  it('accepts a byte order mark and empty files', () => {
    expect(parseYaml('f.yaml', '\uFEFFa: 1\n').value).toEqual({ a: 1 });
    expect(parseYaml('f.yaml', '').value).toBeNull();
  });
});
