import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { converged, desired, NOW } from './fixture.js';

// Provisioned-but-unassigned pairs are a real AWS state: after the last assignment of a
// permission set in an account goes, AWS deprovisions asynchronously, and until then (or when
// it did not) the pair shows in ListPermissionSetsProvisionedToAccount with no assignment.
// Apply never re-provisions such a pair, so drift must not report it every day.

const drift = (live: LiveState) => detectDrift({ desired, live, plan: buildPlan({ desired, live, now: NOW }), now: NOW, privilege: privilegeModel() });

describe('provisioning drift', () => {
  it('does not report an outdated pair no assignment uses, which apply would never fix', () => {
    const unassignedAccount = '333333333333';
    expect(converged.assignments.some((a) => a.permissionSetName === 'AdministratorAccess' && a.accountId === unassignedAccount)).toBe(false);
    const live: LiveState = {
      ...converged,
      provisioning: [
        ...converged.provisioning,
        { permissionSetName: 'AdministratorAccess', accountId: unassignedAccount, status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' },
      ],
    };
    const plan = buildPlan({ desired, live, now: NOW });
    expect(plan.waves).toEqual([]);
    expect(drift(live).findings).toEqual([]);
  });

  it('still reports an outdated pair that keeps assignments, which apply re-provisions', () => {
    const used = converged.assignments[0]!;
    const live: LiveState = {
      ...converged,
      provisioning: converged.provisioning.map((p) =>
        p.permissionSetName === used.permissionSetName && p.accountId === used.accountId ? { ...p, status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' as const } : p,
      ),
    };
    expect(drift(live).findings.map((f) => f.kind)).toEqual(['not-provisioned']);
    expect(buildPlan({ desired, live, now: NOW }).waves.flatMap((w) => w.changes).map((c) => c.kind)).toEqual(['permissionSet.provision']);
  });
});
