// A small YAML writer for the generated config. The `yaml` package's stringify would do, but
// at 50,000 users a hand-rolled writer is several times faster and its output is fully under
// our control (block style, key order), which keeps files byte-identical across versions.

const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;
const PLAIN = /^[A-Za-z/][\w.@+/-]*( [\w.@+/-]+)*$/;

/** A plain scalar when it cannot be misread, else a double-quoted (JSON-compatible) one. */
export function scalar(value: string): string {
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

/** Always quoted: account ids, which YAML would otherwise read as numbers. */
export const quoted = (value: string): string => JSON.stringify(value);

/** `{ a: 1, b: x }` on one line; values are rendered with `scalar`. */
export function flowMap(entries: Readonly<Record<string, string>>): string {
  const parts = Object.entries(entries).map(([k, v]) => `${scalar(k)}: ${scalar(v)}`);
  return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
}

/** `[a, b]` on one line. */
export const flowList = (items: readonly string[], render: (s: string) => string = scalar): string =>
  `[${items.map(render).join(', ')}]`;
