import { FAILSAFE_SCHEMA, load, Type } from 'js-yaml';
import { Locator } from './locator.js';
import { MAX_DEPTH, prescanYamlText } from './prescan.js';

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
  try {
    value = load(text, { schema: CORE_SCHEMA, onWarning: rejectWarning });
  } catch {
    // Invalid YAML, a duplicate key, a YAML 1.1 boolean, several documents: all reported by parseYaml.
    return undefined;
  }
  if (hasNullKey(value, 0)) return undefined;
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
  if (/\r(?!\n)/.test(text)) return 'carriage return without line feed';
  // Anchors, aliases and tags start a node: after a space, a flow indicator, `:` or the line start.
  if (/(?:^|[\s,[\]{}:?-])(?:[&*][^\s,[\]{}]|!)/m.test(text)) return 'anchor, alias or tag';
  if (/^%/m.test(text)) return 'directive';
  // `? key` and `[a, b]: x`: keys that are not scalars (js-yaml turns them into strings).
  if (/(?:^|[\s,[{])\?(?:\s|$)/m.test(text) || /[\]}]\s*:(?:\s|$)/.test(text)) return 'complex key';
  if (/__proto__|constructor|prototype/.test(text)) return 'prototype key';
  return undefined;
}

const rejectWarning = (warning: Error): never => {
  throw warning;
};

/** js-yaml writes a null key (`~: x`, `: x`) as "null", the `yaml` package as "". */
function hasNullKey(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (hasNullKey(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) {
    if (key === 'null' || hasNullKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
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
