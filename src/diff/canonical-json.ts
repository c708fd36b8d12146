import { compareStrings } from '../model/keys.js';

// One JSON text per value, whatever the key order it was built with: object keys sorted
// byte-wise, no whitespace, undefined members dropped. Digests, plan ids and policy
// comparison all rest on it.

// Keys repeat across hundreds of thousands of objects in a large plan: quote each once.
const quotedKeys = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 10_000) quotedKeys.set(k, q);
  }
  return q;
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return `${out}]`;
  }
  if (value instanceof Map) return canonicalJson(Object.fromEntries(value));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Objects built by this code are usually already in order; sort only when they are not.
  for (let i = 1; i < keys.length; i++) {
    if (compareStrings(keys[i - 1]!, keys[i]!) > 0) {
      keys.sort(compareStrings);
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = record[k];
    if (v === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${quotedKey(k)}:${typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v)}`;
  }
  return `${out}}`;
}

/** Deep copy with object keys in byte-wise order, for pretty-printing canonically. */
export function sortKeysDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value as Record<string, unknown>).sort(compareStrings)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = sortKeysDeep(v);
  }
  return out;
}

/**
 * An IAM policy document in canonical form, so formatting and key order are not a change.
 * Array order is kept: IAM treats statements as a set, but reordering is a real edit a
 * reviewer may want to see, and AWS returns the document as stored.
 * Text that is not JSON compares by its non-whitespace characters.
 */
export function canonicalPolicy(document: string | undefined): string | undefined {
  if (document === undefined || document.trim() === '') return undefined;
  try {
    return canonicalJson(JSON.parse(document));
  } catch {
    return document.replace(/\s+/g, '');
  }
}

/** The policy pretty-printed with sorted keys (2-space), for diffs a human reads. */
export function prettyPolicy(document: string | undefined): string {
  if (document === undefined || document.trim() === '') return '';
  try {
    return `${JSON.stringify(sortKeysDeep(JSON.parse(document)), null, 2)}\n`;
  } catch {
    return document.endsWith('\n') ? document : `${document}\n`;
  }
}
