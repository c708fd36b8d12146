import { compareStrings } from '../model/keys.js';

// One JSON text per value, whatever the key order it was built with: object keys sorted
// byte-wise, no whitespace, undefined members dropped. Digests, plan ids and policy
// comparison all rest on it.

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  if (value instanceof Map) return canonicalJson(Object.fromEntries(value));
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => compareStrings(a, b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
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
