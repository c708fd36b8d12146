import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import { GatehouseError, TerminalError } from '../../src/diagnostics/errors.js';
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
  it('maxConcurrency bounds the changes in flight across kinds, not per kind', async () => {
    const changes: Change[] = [
      ...Array.from({ length: 6 }, (_, i) => membership(i)),
      ...Array.from({ length: 6 }, (_, i): Change => ({ kind: 'permissionSet.provision', permissionSetName: `ps${i}`, accountId: '111111111111', reason: 'content-changed' })),
    ];
    const { store, maxInFlight } = recordingStore();
    const result = await applyPlan({ store, plan: planOf(changes), maxConcurrency: 1 });
    expect(result.applied).toBe(12);
    expect(maxInFlight()).toBe(1);
  });

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
    // The store's limit for the kind (4) is a ceiling. Against this store, which answers in one
    // microtask, the change that hands the event loop its turn (every 20 ms) falls out of step
    // with the others, so 3 or 4 are seen at once.
    expect(maxInFlight()).toBeLessThanOrEqual(4);
    expect(maxInFlight()).toBeGreaterThanOrEqual(3);
  });

  it('a failed change blocks only what needs it: other changes of the wave and later waves still run', async () => {
    // Before dependency scheduling, one failed membership skipped the rest of its wave and every
    // later wave, deletions included.
    const first = Array.from({ length: 50 }, (_, i) => membership(i));
    const removal: Change = { kind: 'membership.remove', groupName: 'admins', userName: 'mallory' };
    const { store, performed } = recordingStore((c) => c.kind === 'membership.add' && c.userName === 'u10');
    const result = await applyPlan({ store, plan: planOf(first, [removal]) });
    expect(result).toMatchObject({ failed: 1, applied: 50, skipped: 0 });
    expect(result.outcomes.find((o) => o.status === 'failed')?.target).toContain('u10');
    expect(performed).toContainEqual(removal);
  });

  it("skips a user's memberships and assignments when its creation failed, naming what they waited for", async () => {
    const user: Change = { kind: 'user.create', after: { userName: 'bob', displayName: 'Bob', givenName: 'B', familyName: 'B' } };
    const other: Change = { kind: 'user.create', after: { userName: 'carol', displayName: 'Carol', givenName: 'C', familyName: 'C' } };
    const bobIn: Change = { kind: 'membership.add', groupName: 'g1', userName: 'bob' };
    const carolIn: Change = { kind: 'membership.add', groupName: 'g1', userName: 'carol' };
    const grant: Change = {
      kind: 'assignment.create',
      assignment: { principalType: 'USER', principalName: 'bob', permissionSetName: 'Admin', accountId: '111111111111' },
    };
    const revoke: Change = {
      kind: 'assignment.delete',
      assignment: { principalType: 'USER', principalName: 'mallory', permissionSetName: 'Admin', accountId: '111111111111' },
    };
    const { store, performed } = recordingStore((c) => c.kind === 'user.create' && c.after.userName === 'bob');
    const result = await applyPlan({ store, plan: planOf([user, other], [bobIn, carolIn], [grant], [revoke]) });
    const status = Object.fromEntries(result.outcomes.map((o) => [o.target, [o.status, o.reason]]));
    expect(status['user:bob']).toEqual(['failed', undefined]);
    expect(status['membership:g1|bob']).toEqual(['skipped', 'waits for user:bob (failed)']);
    expect(status['assignment:USER:bob|Admin|111111111111']).toEqual(['skipped', 'waits for user:bob (failed)']);
    expect(status['membership:g1|carol']![0]).toBe('applied');
    // The revocation does not wait for the unrelated failure.
    expect(performed).toContainEqual(revoke);
  });

  it("skips a permission set's assignments and provisioning when its creation failed", async () => {
    const ps: Change = {
      kind: 'permissionSet.create',
      after: { name: 'Admin', sessionDuration: 'PT1H', managedPolicies: [], customerManagedPolicies: [], tags: {} },
    };
    const grant: Change = {
      kind: 'assignment.create',
      assignment: { principalType: 'GROUP', principalName: 'g1', permissionSetName: 'Admin', accountId: '111111111111' },
    };
    const provision: Change = { kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: '111111111111', reason: 'not-provisioned' };
    const { store } = recordingStore((c) => c.kind === 'permissionSet.create');
    const result = await applyPlan({ store, plan: planOf([ps], [grant], [provision]) });
    expect(result.outcomes.map((o) => [o.status, o.reason])).toEqual([
      ['failed', undefined],
      ['skipped', 'waits for permissionSet:Admin (failed)'],
      ['skipped', 'waits for permissionSet:Admin (failed)'],
    ]);
  });

  it('records an outcome-unknown error as unknown, never applied', async () => {
    const { store } = recordingStore();
    const lost = { ...store, perform: async () => { throw new GatehouseError('the response was lost', 'OutcomeUnknown'); } };
    const result = await applyPlan({ store: lost, plan: planOf([membership(1)]) });
    expect(result).toMatchObject({ unknown: 1, applied: 0, failed: 0 });
    expect(result.outcomes[0]!.status).toBe('unknown');
  });

  it('stops at once when recording fails: nothing starts after it', async () => {
    const changes = Array.from({ length: 20 }, (_, i) => membership(i));
    const { store, performed } = recordingStore();
    let intents = 0;
    const result = await applyPlan({
      store,
      plan: planOf(changes, [membership(100)]),
      maxConcurrency: 1,
      beforeWrite: () => {
        if (++intents === 4) throw new Error('cannot use the shared state sqlite:/x.db: SQLITE_FULL');
      },
    });
    expect(performed).toHaveLength(3);
    expect(result.stopped).toContain('SQLITE_FULL');
    expect(result.skipped).toBe(18);
    expect(result.outcomes.at(-1)!.reason).toContain('not started: cannot use the shared state');
  });
});
