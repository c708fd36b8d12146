import { summarise } from './build-plan.js';
import { orderIntoWaves } from './order.js';
import { planChanges, type Plan } from './plan.js';

// `apply --expired-only` (a scheduled job): access ends on time even when nobody merges
// anything. Of a full plan it keeps only the deletions of assignments whose `expires` has
// passed, and nothing else: no creation, no update, no other deletion, whatever else the live
// state and the config disagree on. The rest of the plan waits for a reviewed apply.

export const isExpiryDeletion = (change: ReturnType<typeof planChanges>[number]): boolean =>
  change.kind === 'assignment.delete' && change.cause === 'expired';

export function expiredGrantsOnly(plan: Plan): Plan {
  const waves = orderIntoWaves(planChanges(plan).filter(isExpiryDeletion));
  const used = new Set(waves.flatMap((w) => w.changes.map((c) => (c.kind === 'assignment.delete' ? c.assignment.accountId : ''))));
  const accountNames = Object.fromEntries(Object.entries(plan.accountNames ?? {}).filter(([id]) => used.has(id)));
  // The privilege diff described the whole plan; this one only takes access away.
  const { privilege: _whole, ...rest } = plan;
  return { ...rest, waves, summary: summarise(waves), accountNames };
}
