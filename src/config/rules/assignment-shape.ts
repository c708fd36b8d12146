import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { error, type ConfigRule } from '../entries.js';

/** An assignment grants something to someone somewhere: it needs principals and targets. */
export const checkAssignmentShape: ConfigRule = (ctx) => {
  const out: Diagnostic[] = [];
  for (const rule of ctx.entries.assignments) {
    const a = rule.value;
    if ((a.users?.length ?? 0) + (a.groups?.length ?? 0) === 0)
      out.push(error('assignment-shape', 'assignment names no principal; add `users` or `groups`', rule.at()));
    const hasTags = a.accountTags !== undefined && Object.keys(a.accountTags).length > 0;
    if ((a.accounts?.length ?? 0) + (a.ous?.length ?? 0) === 0 && !hasTags)
      out.push(error('assignment-shape', 'assignment has no target; add `accounts`, `ous` or `accountTags`', rule.at()));
  }
  return out;
};
