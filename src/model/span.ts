// Spans as people type them on a command line and in gatehouse.yaml: `90m`, `12h`, `14d`, `2w`.

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** The span in milliseconds, or undefined when the text is not one. */
export function parseSpan(text: string): number | undefined {
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}
