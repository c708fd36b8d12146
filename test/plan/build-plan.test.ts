import { describe, expect, it } from 'vitest';
import { actionOf } from '../../src/diff/change.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { desiredDigest, liveFingerprint } from '../../src/plan/fingerprints.js';
import { planChanges } from '../../src/plan/plan.js';
import { at, liveAssignment } from './builders.js';
import { applyPlanInMemory } from './in-memory-apply.js';
import { NOW, scenarioDesired, scenarioLive } from './scenario.js';

describe('buildPlan', () => {
  const plan = buildPlan({ desired: scenarioDesired, live: scenarioLive, now: NOW, gitCommit: 'abc123' });

  it('counts creates as add, updates (and provisions) as change, deletes as destroy', () => {
    const actions = planChanges(plan).map(actionOf);
    expect(plan.summary).toEqual({
      add: actions.filter((a) => a === 'create').length,
      change: actions.filter((a) => a === 'update').length,
      destroy: actions.filter((a) => a === 'delete').length,
    });
    expect(plan.summary).toEqual({ add: 8, change: 5, destroy: 10 });
  });

  it('carries the digests, the git commit and the names of the accounts it touches', () => {
    expect(plan.desiredDigest).toBe(desiredDigest(scenarioDesired));
    expect(plan.liveFingerprint).toBe(liveFingerprint(scenarioLive));
    expect(plan.gitCommit).toBe('abc123');
    expect(plan.accountNames).toEqual({
      '222222222222': 'prod-core',
      '222222222223': 'prod-data',
      '333333333333': 'staging',
      '444444444444': 'sandbox',
    });
  });

  it('reports expansion and diff problems together, sorted by location', () => {
    const desired = {
      ...scenarioDesired,
      assignments: [
        ...scenarioDesired.assignments,
        { ...scenarioDesired.assignments[0]!, permissionSets: ['Nope'], source: at('assignments.yaml', 40) },
      ],
    };
    const withProblems = buildPlan({ desired, live: scenarioLive, now: NOW });
    expect(withProblems.diagnostics.map((d) => `${d.source?.line} ${d.rule}`)).toEqual(['29 unknown-account', '40 unknown-permission-set']);
  });

  it('plans nothing once its changes are applied', () => {
    const desired = { ...scenarioDesired, assignments: scenarioDesired.assignments.filter((r) => !r.accounts.includes('prod-legacy')) };
    const first = buildPlan({ desired, live: scenarioLive, now: NOW });
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const after = applyPlanInMemory(scenarioLive, first);
    const second = buildPlan({ desired, live: after, now: NOW });
    expect(planChanges(second)).toEqual([]);
    expect(second.liveFingerprint).not.toBe(first.liveFingerprint);
    expect(second.desiredDigest).toBe(first.desiredDigest);
  });

  it('changes the live fingerprint when a live object changes, not when its order does', () => {
    const reordered = { ...scenarioLive, assignments: [...scenarioLive.assignments].reverse(), users: [...scenarioLive.users].reverse() };
    expect(liveFingerprint(reordered)).toBe(liveFingerprint(scenarioLive));
    const extra = { ...scenarioLive, assignments: [...scenarioLive.assignments, liveAssignment('USER', 'bob@acme.example', 'ReadOnly', '444444444444')] };
    expect(liveFingerprint(extra)).not.toBe(liveFingerprint(scenarioLive));
  });
});
