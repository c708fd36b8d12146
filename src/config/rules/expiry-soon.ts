import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { parseSpan } from '../../model/span.js';
import { warning, type ConfigRule } from '../entries.js';

const DAY_MS = 86_400_000;

/**
 * Access that ends soon is worth a word before it ends: the owner renews it on purpose, or lets
 * it lapse on purpose. The span is `safety.expiryWarning` (default 14d).
 */
export const checkExpirySoon: ConfigRule = (ctx) => {
  const setting = ctx.settings.safety.expiryWarning ?? '14d';
  const span = parseSpan(setting) ?? 14 * DAY_MS;
  const now = ctx.now.getTime();
  const out: Diagnostic[] = [];
  for (const rule of ctx.entries.assignments) {
    const expires = rule.value.expires;
    if (expires === undefined) continue;
    const time = Date.parse(expires);
    if (Number.isNaN(time) || time <= now || time > now + span) continue;
    const days = Math.ceil((time - now) / DAY_MS);
    out.push(
      warning(
        'expiring-soon',
        `this assignment expires at ${expires}, in ${days} day${days === 1 ? '' : 's'}: renew it by moving \`expires\`, or let it lapse (\`gatehouse access --expiring ${ctx.settings.safety.expiryWarning}\` lists who loses what)`,
        rule.at(['expires']),
      ),
    );
  }
  return out;
};
