import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REFERENCE_NOW } from '../../bench/gen/sizes.js';
import { generateInto } from '../../bench/gen/write-config.js';
import { writeChangedCopy } from '../../bench/run/data-dir.js';
import { planPrefix } from '../../bench/run/emulator-stages.js';
import { emptyLive, loadOrThrow } from '../../bench/run/planner-stages.js';
import { timeStoreStages } from '../../bench/run/store-stages.js';
import { median, Samples } from '../../bench/run/timing.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planChanges } from '../../src/plan/plan.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-bench-run-'));
const changed = writeChangedCopy('S', 5);
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(dirname(changed.dir), { recursive: true, force: true });
});
const now = new Date(REFERENCE_NOW);

describe('bench runner', () => {
  it('applies S into the embedded store, plans nothing after, and plans the 1% edit', async () => {
    const dir = join(scratch, 'S');
    generateInto('S', 5, dir);
    const config = await loadOrThrow(dir, now);
    const samples = new Samples();
    const plans: Record<string, number> = {};
    const run = await timeStoreStages(config, dir, changed.dir, now, samples, plans);
    try {
      const initial = buildPlan({ desired: config.desired, live: emptyLive(config.organization), now });
      expect(plans['applied changes']).toBe(planChanges(initial).length);
      // Users added and removed, memberships, a permission set update, revoked grants.
      const kinds = new Set(planChanges(run.changedPlan).map((c) => c.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['user.create', 'user.delete', 'user.update', 'permissionSet.update', 'assignment.delete']));
      expect(plans['1% change plan changes']).toBe(planChanges(run.changedPlan).length);
      for (const stage of ['apply (full, embedded)', 'snapshot (applied store)', 'plan (no-op)', 'no-op plan, end to end', '1% change plan, end to end']) {
        expect(samples.of(stage), stage).toHaveLength(1);
      }
    } finally {
      run.cleanup();
    }
  });

  it('cuts a plan to a prefix in wave order, so every kept change keeps its dependencies', async () => {
    const config = await loadOrThrow(changed.dir, now);
    const plan = buildPlan({ desired: config.desired, live: emptyLive(config.organization), now });
    const prefix = planPrefix(plan, 1_500);
    expect(planChanges(prefix)).toEqual(planChanges(plan).slice(0, 1_500));
    expect(prefix.waves.map((w) => w.index)).toEqual(plan.waves.slice(0, prefix.waves.length).map((w) => w.index));
  });

  it('reports medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
