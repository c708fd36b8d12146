import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning, type ConfigRule } from '../entries.js';

/** RFC 3339 / ISO 8601 instant with an explicit offset; a bare date would be ambiguous. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * The instant in ms, or NaN. Each field must be in range: Date.parse rolls `2027-02-30` over
 * to March 2 and `T24:00` to the next day, so an expiry would silently move (issue 13).
 */
export function parseInstant(text: string): number {
  const m = INSTANT.exec(text);
  if (!m) return NaN;
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = m.slice(1).map((f) => (f === undefined ? undefined : Number(f)));
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return NaN;
  if (hour! > 23 || minute! > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return NaN;
  return Date.parse(text);
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** `expires` is an instant; a rule past it grants nothing, which is worth a warning to clean up. */
export const checkExpiry: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const rule of ctx.entries.assignments) {
    const expires = rule.value.expires;
    if (expires === undefined) continue;
    const time = parseInstant(expires);
    if (Number.isNaN(time))
      out.push(
        error(
          'expires',
          INSTANT.test(expires)
            ? `expires \`${expires}\` is not a real instant (a field is out of range: month 1-12, day within the month, hour 0-23, minute and second 0-59); write e.g. 2027-01-31T00:00:00Z`
            : `expires \`${expires}\` is not an ISO 8601 instant; write e.g. 2027-01-31T00:00:00Z`,
          rule.at(['expires']),
        ),
      );
    else if (time <= ctx.now.getTime())
      out.push(warning('expired-assignment', `this assignment expired at ${expires} and grants nothing; remove it`, rule.at(['expires'])));
  }
  return out;
};
