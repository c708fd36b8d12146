import { UserError } from '../diagnostics/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** A span like `90m`, `12h`, `7d`, `2w` in milliseconds, or undefined when the text is not one. */
export function parseSpan(text: string): number | undefined {
  const relative = /^(\d+)([mhdw])$/.exec(text.trim());
  return relative ? Number(relative[1]) * UNIT_MS[relative[2]!]! : undefined;
}

/** `--since`: an ISO 8601 date or instant, or a look-back like `90m`, `12h`, `7d`, `2w` from now. */
export function parseSince(text: string, now: Date): Date {
  const trimmed = text.trim();
  const span = parseSpan(trimmed);
  if (span !== undefined) return new Date(now.getTime() - span);
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const date = new Date(trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new UserError(`invalid --since "${text}": use an ISO date (2025-01-31, 2025-01-31T12:00:00Z) or a duration (7d, 12h, 30m, 2w)`);
}
