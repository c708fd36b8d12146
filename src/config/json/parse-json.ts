/**
 * A strict JSON (RFC 8259) reader for inline policy files, held to the same standard as the YAML
 * files: a key written twice in one object, a prototype key, an escaped lone surrogate or nesting
 * deeper than `maxDepth` is an error, and every error has an offset (turned into line:col by
 * the caller). JSON.parse keeps the last duplicate silently, reports a character offset, quotes
 * the text around the error (a file outside the config would be shown) and throws RangeError on
 * deep input. Iterative, so no input can exhaust the stack. Pure.
 */
export type JsonResult = { readonly value: unknown } | { readonly error: string; readonly offset: number };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function parseJson(text: string, maxDepth = 64): JsonResult {
  let i = 0;
  const fail = (error: string, at = i): { error: string; offset: number } => ({ error, offset: at });
  const skipSpace = (): void => {
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  };
  const what = (at: number): string => (at >= text.length ? 'the end of the file' : `\`${printable(text[at]!)}\``);

  /** A string starting at i (a `"`); leaves i after the closing quote. */
  const readString = (): string | { error: string; offset: number } => {
    const start = i++;
    let out = '';
    let runStart = i;
    for (;;) {
      if (i >= text.length) return fail('a string is not closed (missing `"`)', start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(runStart, i++);
        break;
      }
      if (c < 0x20) return fail(`a string contains the control character U+${hex(c)}; write it as an escape such as \\n, or remove it`);
      if (c !== 92) {
        i++;
        continue;
      }
      out += text.slice(runStart, i);
      const e = text[i + 1];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 'u') {
        const digits = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(digits)) return fail('`\\u` must be followed by four hex digits');
        out += String.fromCharCode(parseInt(digits, 16));
        i += 6;
      } else return fail(`\`\\${printable(e ?? '')}\` is not a JSON escape`);
      runStart = i;
    }
    if (LONE_SURROGATE.test(out)) return fail('a string holds a lone UTF-16 surrogate (\\ud800–\\udfff without its pair), which is not a character; remove it', start);
    return out;
  };

  const readScalar = (): { value: unknown } | { error: string; offset: number } => {
    const c = text[i];
    if (c === '"') {
      const s = readString();
      return typeof s === 'string' ? { value: s } : s;
    }
    for (const [word, value] of LITERALS)
      if (text.startsWith(word, i)) {
        i += word.length;
        return { value };
      }
    const m = NUMBER.exec(text.slice(i, i + 400));
    if (m && m[0].length > 0) {
      i += m[0].length;
      return { value: Number(m[0]) };
    }
    return fail(`expected a value but found ${what(i)}`);
  };

  type Frame = { readonly container: unknown[] | Record<string, unknown>; key?: string; readonly keys?: Set<string> };
  const stack: Frame[] = [];
  let result: unknown;
  let done = false;
  skipSpace();
  while (!done) {
    // Read one value at i.
    let value: unknown;
    const c = text[i];
    if (c === '{' || c === '[') {
      if (stack.length >= maxDepth) return fail(`the JSON is nested deeper than ${maxDepth} levels; no policy needs that`);
      i++;
      skipSpace();
      const frame: Frame = c === '{' ? { container: {}, keys: new Set() } : { container: [] };
      stack.push(frame);
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        stack.pop();
        value = frame.container;
      } else if (c === '{') {
        const key = readKey(frame);
        if (typeof key !== 'string') return key;
        continue;
      } else continue;
    } else {
      const scalar = readScalar();
      if ('error' in scalar) return scalar;
      value = scalar.value;
    }
    // Put the value into its parent; close every container that ends here.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        result = value;
        done = true;
        break;
      }
      if (Array.isArray(top.container)) top.container.push(value);
      else top.container[top.key!] = value;
      skipSpace();
      const close = Array.isArray(top.container) ? ']' : '}';
      if (text[i] === ',') {
        i++;
        skipSpace();
        if (!Array.isArray(top.container)) {
          const key = readKey(top);
          if (typeof key !== 'string') return key;
        }
        break;
      }
      if (text[i] !== close) return fail(`expected \`,\` or \`${close}\` but found ${what(i)}`);
      i++;
      stack.pop();
      value = top.container;
    }
  }
  skipSpace();
  if (i < text.length) return fail(`unexpected ${what(i)} after the end of the JSON value`);
  return { value: result };

  /** `"key" :` of an object entry (a prototype key never reaches an object); sets frame.key and leaves i at the value. */
  function readKey(frame: Frame): string | { error: string; offset: number } {
    if (text[i] !== '"') return fail(`expected a quoted key but found ${what(i)}`);
    const at = i;
    const key = readString();
    if (typeof key !== 'string') return key;
    if (FORBIDDEN_KEYS.has(key)) return fail(`the key \`${key}\` is not allowed (it could alter object prototypes); remove it`, at);
    if (frame.keys!.has(key)) return fail(`the key \`${printable(key)}\` is written twice in the same object; JSON tools disagree on which one wins, so remove or merge one`, at);
    frame.keys!.add(key);
    frame.key = key;
    skipSpace();
    if (text[i] !== ':') return fail(`expected \`:\` after the key but found ${what(i)}`);
    i++;
    skipSpace();
    return key;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const LITERALS: readonly (readonly [string, unknown])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (c: number): string => c.toString(16).toUpperCase().padStart(4, '0');
/** One character or key as it can be shown safely: controls and non-ASCII as U+XXXX. */
const printable = (s: string): string => [...s].map((ch) => (/^[\x20-\x7e]$/.test(ch) ? ch : `U+${hex(ch.codePointAt(0)!)}`)).join('');
