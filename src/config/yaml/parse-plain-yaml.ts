import { FAILSAFE_SCHEMA, load, Type, type EventType, type State } from 'js-yaml';
import { Locator } from './locator.js';
import { MAX_DEPTH, prescanYamlText } from './prescan.js';

/**
 * When positions are worked out: `on-demand` (the default) reads clean files with
 * parsePlainYaml and locates only what is reported or asked for; `eager` reads every file with
 * parseYaml as it is read — slower, the same results, and what the fast path is tested against.
 */
export type PositionMode = 'on-demand' | 'eager';

/**
 * The fast way to read a config file: js-yaml builds plain data about 15× faster than the `yaml`
 * package builds its Document (which parseYaml needs for positions), and a no-op plan never needs
 * a position. It must give exactly what parseYaml gives, so it takes only files it is sure about:
 * undefined means "use parseYaml" — for anything unusual or wrong, where parseYaml has the precise
 * diagnostics.
 */
export function parsePlainYaml(text: string): { readonly value: unknown } | undefined {
  if (preciseParseReason(text) !== undefined) return undefined;
  let value: unknown;
  // Every map and sequence js-yaml builds: one used as a key (`{ [a]: x }`, `{ a, {} }`) becomes
  // a string in js-yaml and an error in parseYaml, and is no longer in the value to be counted.
  // (A node can be reported more than once: js-yaml tries a flow collection as a block key first.)
  const built = new Set<unknown>();
  const listener = (event: EventType, state: State): void => {
    if (event === 'close' && (state.kind === 'mapping' || state.kind === 'sequence')) built.add(state.result);
  };
  try {
    value = load(text, { schema: CORE_SCHEMA, onWarning: rejectWarning, listener });
  } catch {
    // Invalid YAML, a duplicate key, a YAML 1.1 boolean, several documents: all reported by parseYaml.
    return undefined;
  }
  if (collectionsIn(value, 0) !== built.size) return undefined;
  // An empty or comment-only file: js-yaml says undefined, the `yaml` package null.
  return { value: value === undefined ? null : value };
}

/**
 * Why a file must go to parseYaml without trying js-yaml, or undefined. Cheap text checks,
 * deliberately broad: a false alarm only costs time.
 */
export function preciseParseReason(text: string): string | undefined {
  if (prescanYamlText(text, new Locator('', [0]), MAX_DEPTH) !== undefined) return 'binary or too deep';
  if (text.includes('\t')) return 'tab';
  if (text.includes('\uFEFF')) return 'byte order mark';
  if (hasLoneCarriageReturn(text)) return 'carriage return without line feed';
  // Anchors, aliases and tags start a node: after a space, a flow indicator, `:` or the line start.
  if (/(?:^|[\s,[\]{}:?-])(?:[&*][^\s,[\]{}]|!)/m.test(text)) return 'anchor, alias or tag';
  // `{ [a, b]: x }`: keys that are not scalars (js-yaml turns them into strings).
  if (/[\]}]\s*:(?:\s|$)/.test(text)) return 'complex key';
  if (/__proto__|constructor|prototype/.test(text)) return 'prototype key';
  // An escape can spell any key or character (`"\x5f_proto__"`, `"\ud800"`, `"\e[8m"`): only
  // parseYaml checks what it unescapes to, so a file with any backslash goes there.
  if (text.includes('\\')) return 'backslash escape';
  // Only the line shapes a config is written in: blank or comment, `key:` with an optional
  // one-line value, `- value`. Fuzzing found js-yaml 4 and the yaml package parting ways beyond
  // them: an empty entry (`-` alone) before a less indented one, block scalars with blank first
  // lines, `[a]#x` (no space before the comment), multi-line keys. So block scalars, multi-line
  // plain, quoted or flow values, directives and reserved indicators all go to parseYaml.
  if (UNUSUAL_LINE.test(text)) return 'unusual line';
  return undefined;
}

const QUOTED = String.raw`"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\r\n]|'')*'`;
/** One-line plain scalar: no `: ` or ` #` inside, not starting with an indicator. */
const PLAIN = String.raw`(?:[^\s\-?:,[\]{}#&*!|>'"%@\x60]|[-?:][^\s,[\]{}])[^\s:]*(?:(?::(?=\S)|[ ]+(?=[^\s#]))[^\s:]*)*`;
const FLOW = String.raw`[[{][^\r\n"'#]*(?:(?:${QUOTED})[^\r\n"'#]*)*[\]}]`;
const VALUE = `(?:${QUOTED}|${FLOW}|${PLAIN})`;
const KEY = `(?:${QUOTED}|${PLAIN})`;
const END = String.raw`[ ]*(?:[ ]#.*)?$`;
const UNUSUAL_LINE = new RegExp(
  String.raw`^(?![ ]*(?:#.*)?$)(?![ ]*(?:-[ ]+)*${KEY}[ ]*:(?:[ ]+${VALUE})?${END})(?![ ]*(?:-[ ]+)+${VALUE}${END})`,
  'm',
);

function hasLoneCarriageReturn(text: string): boolean {
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 10) return true;
  return false;
}

const rejectWarning = (warning: Error): never => {
  throw warning;
};

/**
 * Maps and sequences in `value`, or -1 for a null key (`~: x`, `: x`), which js-yaml writes as
 * "null" and the `yaml` package as "".
 */
function collectionsIn(value: unknown, depth: number): number {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return 0;
  let count = 1;
  if (Array.isArray(value)) {
    for (const item of value) {
      const inner = collectionsIn(item, depth + 1);
      if (inner < 0) return -1;
      count += inner;
    }
    return count;
  }
  for (const key in value) {
    const inner = key === 'null' ? -1 : collectionsIn((value as Record<string, unknown>)[key], depth + 1);
    if (inner < 0) return -1;
    count += inner;
  }
  return count;
}

// The YAML 1.2 core schema exactly as the `yaml` package resolves plain scalars (yaml/dist/schema/
// core): js-yaml's own core schema differs in places (`0b1`, `1_000`, `+.5`, timestamps in its
// default schema). Quoted and block scalars stay strings in both.
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** parseYaml reports these (YAML 1.1 booleans); here they only mean "use parseYaml". */
const YAML11_BOOLEAN = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

const scalar = (tag: string, resolve: (s: string) => boolean, construct: (s: string) => unknown): Type =>
  new Type(tag, { kind: 'scalar', resolve: (s: string | null) => resolve(s ?? ''), construct: (s: string | null) => construct(s ?? '') });

const CORE_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar(
      'tag:gatehouse:yaml11-boolean',
      (s) => YAML11_BOOLEAN.test(s),
      () => {
        throw new Error('YAML 1.1 boolean');
      },
    ),
    scalar('tag:yaml.org,2002:null', (s) => NULL.test(s), () => null),
    scalar('tag:yaml.org,2002:bool', (s) => BOOL.test(s), (s) => s[0] === 't' || s[0] === 'T'),
    scalar(
      'tag:yaml.org,2002:int',
      (s) => INT_OCT.test(s) || INT.test(s) || INT_HEX.test(s),
      (s) => (INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT.test(s) ? parseInt(s, 10) : parseInt(s.slice(2), 16)),
    ),
    scalar(
      'tag:yaml.org,2002:float',
      (s) => FLOAT_NAN.test(s) || FLOAT_EXP.test(s) || FLOAT.test(s),
      (s) => (FLOAT_NAN.test(s) ? (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity) : parseFloat(s)),
    ),
  ],
});
