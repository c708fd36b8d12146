import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlainYaml, preciseParseReason } from '../../../src/config/yaml/parse-plain-yaml.js';
import { parseYaml } from '../../../src/config/yaml/parse-yaml.js';

/** The fast path's promise: when it gives a value, parseYaml gives the same one and no diagnostic. */
function expectSameAsPrecise(text: string): void {
  const plain = parsePlainYaml(text);
  if (plain === undefined) return;
  const precise = parseYaml('f.yaml', text);
  expect(precise.diagnostics.map((d) => d.message), JSON.stringify(text)).toEqual([]);
  expect(plain.value, JSON.stringify(text)).toEqual(precise.value);
}

const valueOf = (text: string): unknown => parsePlainYaml(text)?.value;

describe('parsePlainYaml', () => {
  it('resolves plain scalars like the yaml package (YAML 1.2 core schema)', () => {
    const scalars = [
      '012345678901', '123456789012', '+12', '-0', '0o17', '0x1F', '0b101', '1_000', '0o8', '0xG',
      '1.5', '1.', '.5', '+.5', '-1.5e3', '1e3', '1E+3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '.NAN', 'nan', 'inf',
      '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE', 'false', 'FALSE', 'y', 'n', 'Y',
      '2027-01-31T00:00:00Z', '2027-01-31', '2027-01-31 10:00:00 +01:00', '12:30:00', '1:20', '190:20:30',
      'PT1H', 'arn:aws:iam::aws:policy/ReadOnlyAccess', '/Root/Workloads', 'a b', '"yes"', "'no'", '"012345678901"',
      '"\\u00e9\\x41\\t"', "'it''s'", '-', '--', '-1', '=', '<<', 'é', '"\\/"', '1 # comment',
    ];
    for (const s of scalars) for (const text of [`v: ${s}\n`, `- ${s}\n`, `{ k: ${s} }\n`, `[${s}]\n`, `${s}: x\n`]) expectSameAsPrecise(text);
    expect(valueOf('expires: 2027-01-31T00:00:00Z\n')).toEqual({ expires: '2027-01-31T00:00:00Z' });
    expect(valueOf('accounts: [012345678901, "012345678901"]\n')).toEqual({ accounts: [12345678901, '012345678901'] });
    expect(valueOf('a: 0b101\nb: 1_000\nc: 0o17\nd: ~\ne: .5\n')).toEqual({ a: '0b101', b: '1_000', c: 15, d: null, e: 0.5 });
  });

  it('gives null for an empty or comment-only file, as parseYaml does', () => {
    for (const text of ['', '\n', '# only a comment\n']) expect(parsePlainYaml(text)).toEqual({ value: null });
    for (const text of ['', '\n', '# only a comment\n', '---\n', '~\n']) expectSameAsPrecise(text);
  });

  it('leaves to parseYaml every file it cannot read exactly as parseYaml would', () => {
    const precise = [
      'country: NO\n', // YAML 1.1 boolean: parseYaml reports it
      '- on\n',
      'a: 1\na: 2\n', // duplicate key
      'a: &x 1\nb: *x\n', // anchor and alias
      'a: !!str 1\n', // tag
      'a: !custom x\n',
      'a:\n\tb: 1\n', // tab
      '%YAML 1.1\n---\na: yes\n', // directive
      '? [a, b]\n: c\n', // complex key
      '[a, b]: c\n',
      '{ a: 1 }: x\n',
      '~: x\n', // null key: js-yaml says "null", the yaml package ""
      'tags: { : x }\n',
      'a:\n  __proto__: { polluted: true }\n',
      'constructor: x\n',
      'a: 1\n---\nb: 2\n', // several documents
      'a: [b\n', // invalid
      '\uFEFFa: 1\n',
      'a: "x\u0000"\n', // binary
      `${'['.repeat(70)}${']'.repeat(70)}\n`, // too deep
      'a: 1\rb: 2\n',
      // Line shapes beyond `key: value` and `- value` on one line.
      'a: |\n  text\n',
      'a: >-\n  text\n',
      'a: plain\n  continued\n',
      'a: "quoted\n  continued"\n',
      'a: [x,\n  y]\n',
      '- a:\n    -\n- b\n', // js-yaml 4 would give [{a: [null, b]}]
      'a: [x]#comment\n',
    ];
    for (const text of precise) expect(parsePlainYaml(text), JSON.stringify(text)).toBeUndefined();
  });

  it('sends each hostile example to parseYaml', () => {
    const dir = 'examples/invalid/hostile';
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      if (name === 'too-large.yaml') continue; // refused by size before any parsing
      expect(parsePlainYaml(text), name).toBeUndefined();
      expect(parseYaml(name, text).diagnostics.length, name).toBeGreaterThan(0);
    }
  });

  it('takes the fast path for the example configs', () => {
    for (const name of ['users.yaml', 'groups.yaml', 'permission-sets.yaml', 'organization.yaml']) {
      const text = readFileSync(join('examples/acme', name), 'utf8');
      expect(preciseParseReason(text), name).toBeUndefined();
      expect(parsePlainYaml(text), name).toBeDefined();
      expectSameAsPrecise(text);
    }
  });

  it('agrees with parseYaml on generated documents in every YAML style', () => {
    fc.assert(fc.property(yamlDocument(), (text) => expectSameAsPrecise(text)), { numRuns: 1500 });
  });

  it('agrees with parseYaml on mutated real config files', () => {
    const sources = readdirSync('examples/acme')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join('examples/acme', f), 'utf8'));
    const edit = fc.record({
      at: fc.nat(),
      remove: fc.integer({ min: 0, max: 3 }),
      insert: fc.array(fc.constantFrom(...'  \n-:#"\'[]{},&*!|>?%@`~\\.0123456789xyTtnN\t\r'), { maxLength: 4 }).map((c) => c.join('')),
    });
    fc.assert(
      fc.property(fc.constantFrom(...sources), fc.array(edit, { minLength: 1, maxLength: 4 }), (source, edits) => {
        let text = source;
        for (const e of edits) {
          const at = e.at % (text.length + 1);
          text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
        }
        expectSameAsPrecise(text);
      }),
      { numRuns: 1500 },
    );
  });
});

// A grammar of YAML documents: block and flow collections, every scalar style, comments, blank
// lines, CRLF, and tokens that YAML parsers are known to disagree on.
const TOKENS = [
  '', 'alice', 'a b', 'x:y', 'a#b', 'a # c', 'http://x/y?z=1&w=2', 'R&D', 'a*b', '100%', '@home', '`tick`', 'x,y', 'x]', 'x}',
  '012345678901', '12', '-3', '0x1F', '0o7', '1.5', '1e3', '.inf', '.nan', '~', 'null', 'true', 'False', 'yes', 'No', 'off',
  '2027-01-31T00:00:00Z', '2027-01-31', '12:30', '-', '- x', '? x', ': x', 'x:', '"q"', "'q'", '""', "''", '"a\\"b"', "'a''b'",
  '"\\x41\\u00e9\\n"', '"line\\\nnext"', '"multi\n  line"', "'multi\n\n  line'", 'é', '\u00a0x', '*', '&', '!', '|', '>', '%x', '<<',
];
const scalarToken = fc.constantFrom(...TOKENS);
const keyToken = fc.constantFrom('a', 'b', 'users', 'name', 'a b', '"q k"', "'s'", '1', 'true', '~', '', 'x-y', '<<', '"a"', 'a:b');

type Node = { kind: 'scalar'; text: string } | { kind: 'seq'; items: Node[] } | { kind: 'map'; pairs: [string, Node][] };
const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarToken.map((text) => ({ kind: 'scalar' as const, text })),
    fc.array(tie('node'), { maxLength: 3 }).map((items) => ({ kind: 'seq' as const, items })),
    fc.array(fc.tuple(keyToken, tie('node')), { maxLength: 3 }).map((pairs) => ({ kind: 'map' as const, pairs })),
  ),
})).node;

const style = fc.record({
  flowFrom: fc.integer({ min: 0, max: 4 }),
  /** Indentation per level, so levels need not be evenly indented. */
  indents: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 6, maxLength: 6 }),
  /** `key:\n- item` (sequence at the key's indentation) rather than indented. */
  flushSequences: fc.boolean(),
  comments: fc.boolean(),
  scalarStyle: fc.constantFrom('plain', 'multiline', 'literal', 'folded', 'single', 'double'),
  chomp: fc.constantFrom('', '-', '+'),
  multilineFlow: fc.boolean(),
  crlf: fc.boolean(),
  blank: fc.boolean(),
  documentMarkers: fc.constantFrom('', '---\n', '--- # start\n'),
  trailingSpaces: fc.boolean(),
});

function yamlDocument(): fc.Arbitrary<string> {
  return fc.tuple(node, style).map(([root, s]) => {
    const column = (level: number) => s.indents.slice(0, level).reduce((a, b) => a + b, 0);
    const pad = (level: number) => ' '.repeat(column(level));
    const flow = (n: Node, level: number): string => {
      const sep = s.multilineFlow ? `,\n${pad(level + 1)}` : ', ';
      return n.kind === 'scalar'
        ? n.text
        : n.kind === 'seq'
          ? `[${n.items.map((i) => flow(i, level + 1)).join(sep)}]`
          : `{ ${n.pairs.map(([k, v]) => `${k}: ${flow(v, level + 1)}`).join(sep)} }`;
    };
    const words = (text: string) => text.replace(/^["']|["']$/g, '');
    const scalar = (text: string, level: number): string => {
      const inner = pad(level + 1);
      switch (s.scalarStyle) {
        case 'multiline':
          return text.includes(' ') ? text.replace(' ', `\n${inner}`) : text;
        case 'literal':
        case 'folded':
          return `${s.scalarStyle === 'literal' ? '|' : '>'}${s.chomp}\n${inner}${words(text)}\n${inner} ${words(text)}\n${s.blank ? '\n' : ''}`;
        case 'single':
          return `'${text.replace(/'/g, "''")}'`;
        case 'double':
          return JSON.stringify(text);
        default:
          return text;
      }
    };
    const trailing = s.trailingSpaces ? '  ' : '';
    const block = (n: Node, level: number, depth: number): string => {
      if (n.kind === 'scalar') return ` ${scalar(n.text, level)}${trailing}`;
      if (depth >= s.flowFrom || (n.kind === 'seq' ? n.items.length === 0 : n.pairs.length === 0)) return ` ${flow(n, level)}`;
      const comment = s.comments ? ' # c' : '';
      const lines =
        n.kind === 'seq'
          ? n.items.map((item) => `${pad(level)}-${block(item, level + 1, depth + 1)}${item.kind === 'scalar' ? '' : comment}`)
          : n.pairs.map(([k, v]) => `${pad(level)}${k}:${block(v, v.kind === 'seq' && s.flushSequences ? level : level + 1, depth + 1)}`);
      return `\n${lines.join(s.blank ? '\n\n' : '\n')}`;
    };
    const body = root.kind === 'scalar' ? scalar(root.text, 0) : block(root, 0, 0).slice(1);
    const text = `${s.comments ? '# head\n' : ''}${s.documentMarkers}${body}\n`;
    return s.crlf ? text.replace(/\n/g, '\r\n') : text;
  });
}
