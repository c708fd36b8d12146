import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, warning, type ConfigRule } from '../entries.js';

/** RFC 3339 / ISO 8601 instant with an explicit offset; a bare date would be ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `expires` is an instant; a rule past it grants nothing, which is worth a warning to clean up. */
export const checkExpiry: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const rule of ctx.entries.assignments) {
    const expires = rule.value.expires;
    if (expires === undefined) continue;
    const time = INSTANT.test(expires) ? Date.parse(expires) : NaN;
    if (Number.isNaN(time))
      out.push(error('expires', `expires \`${expires}\` is not an ISO 8601 instant; write e.g. 2027-01-31T00:00:00Z`, rule.at(['expires'])));
    else if (time <= ctx.now.getTime())
      out.push(warning('expired-assignment', `this assignment expired at ${expires} and grants nothing; remove it`, rule.at(['expires'])));
  }
  return out;
};
