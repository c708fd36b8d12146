import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { TerminalError } from '../../src/diagnostics/errors.js';
import type { Change } from '../../src/diff/change.js';
import { PLAN_FORMAT_VERSION, type Plan } from '../../src/plan/plan.js';
import type { LiveStore } from '../../src/stores/live-store.js';

// The applier against a store that only records what it was asked to do: wave order, limits
// and outcomes are the applier's, whatever store is behind it.

const membership = (i: number): Change => ({ kind: 'membership.add', groupName: `g${i % 100}`, userName: `u${i}` });

function planOf(...waves: (readonly Change[])[]): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    waves: waves.map((changes, i) => ({ index: i + 1, name: `wave ${i + 1}`, changes })),
    summary: { add: waves.flat().length, change: 0, destroy: 0 },
    unmanaged: [],
    diagnostics: [],
    desiredDigest: 'd',
    liveFingerprint: 'f',
  };
}

function recordingStore(fail?: (change: Change) => boolean) {
  const performed: Change[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const store: LiveStore = {
    url: 'test:',
    capabilities: () => ({ write: true, concurrency: { 'membership.add': 4 }, defaultConcurrency: 2 }),
    organization: async () => ({ managementAccountId: '', ous: [], accounts: [] }),
    snapshot: async () => {
      throw new Error('not used');
    },
    perform: async (change) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await Promise.resolve();
      inFlight--;
      if (fail?.(change)) throw new TerminalError(`refused ${change.kind}`, 'Refused');
      performed.push(change);
      return { requestIds: [], writes: 1 };
    },
    close: async () => {},
  };
  return { store, performed, maxInFlight: () => maxInFlight };
}

describe('applyPlan', () => {
  it('applies a wave of 250,000 changes (an enterprise-size membership wave) and records each', async () => {
    const changes = Array.from({ length: 250_000 }, (_, i) => membership(i));
    const { store, performed, maxInFlight } = recordingStore();
    let recorded = 0;
    const result = await applyPlan({ store, plan: planOf(changes), record: () => void recorded++ });
    expect(result).toMatchObject({ applied: 250_000, failed: 0, skipped: 0 });
    expect(result.outcomes).toHaveLength(250_000);
    expect(result.outcomes[123_456]!.change).toBe(changes[123_456]);
    expect(performed).toHaveLength(250_000);
    expect(recorded).toBe(250_000);
    expect(maxInFlight()).toBe(4);
  });

  it('stops at a terminal failure: the rest of the wave and later waves are skipped', async () => {
    const first = Array.from({ length: 50 }, (_, i) => membership(i));
    const second = [membership(1000)];
    const { store } = recordingStore((c) => c.kind === 'membership.add' && c.userName === 'u10');
    const result = await applyPlan({ store, plan: planOf(first, second) });
    expect(result.failed).toBe(1);
    expect(result.outcomes.find((o) => o.status === 'failed')?.target).toContain('u10');
    expect(result.outcomes.at(-1)).toMatchObject({ status: 'skipped', wave: 2 });
    expect(result.applied + result.failed + result.skipped).toBe(51);
    expect(result.skipped).toBeGreaterThan(30);
  });
});
