import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { liveFingerprint } from '../../src/plan/fingerprints.js';
import { isEmptyPlan } from '../../src/plan/plan.js';
import { openSqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { desiredStateArb, smallOrganization } from '../helpers/arbitraries.js';

// The reconcile loop's central promise: whatever the live store holds, apply converges it to
// the config, and a converged store plans to nothing and is not written again.

const now = new Date('2026-11-29T12:00:00Z');
const runs = Number(process.env.GATEHOUSE_PROPERTY_RUNS ?? 300);

async function converge(store: Awaited<ReturnType<typeof openSqliteStore>>, desired: Parameters<typeof buildPlan>[0]['desired']) {
  const plan = buildPlan({ desired, live: await store.snapshot(), now });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await applyPlan({ store, plan, sleep: async () => {}, random: () => 0.5 });
  expect(result.outcomes.filter((o) => o.status !== 'applied').map((o) => `${o.target}: ${o.error}`)).toEqual([]);
  return result;
}

describe('apply converges', () => {
  it(`from any starting live state to any desired state (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(desiredStateArb, desiredStateArb, async (start, desired) => {
        const store = await openSqliteStore(':memory:', { organization: smallOrganization });
        try {
          await converge(store, start);
          await converge(store, desired);
          const converged = await store.snapshot();
          const after = buildPlan({ desired, live: converged, now });
          expect(isEmptyPlan(after)).toBe(true);
          // A second apply writes nothing: no change performed, the live state byte-identical.
          let writes = 0;
          const counting = { ...store, perform: (c: Parameters<typeof store.perform>[0]) => (writes++, store.perform(c)) };
          await applyPlan({ store: counting, plan: after });
          expect(writes).toBe(0);
          expect(liveFingerprint(await store.snapshot())).toBe(liveFingerprint(converged));
        } finally {
          await store.close();
        }
      }),
      { numRuns: runs },
    );
  });
});
