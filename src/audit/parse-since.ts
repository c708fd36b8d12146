import { UserError } from '../diagnostics/errors.js';
import { parseSpan } from '../model/span.js';

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
