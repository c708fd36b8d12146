import { describe, expect, it } from 'vitest';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { assignment, converged, desired, NOW } from './fixture.js';

const drift = (live: LiveState, config: DesiredState = desired) =>
  detectDrift({ desired: config, live, plan: buildPlan({ desired: config, live, now: NOW }), now: NOW, privilege: privilegeModel() });

/** The live state after a week of people clicking in the console. */
const tampered: LiveState = {
  ...converged,
  users: [...converged.users, { id: 'id-mallory', userName: 'mallory', displayName: 'M', givenName: 'M', familyName: 'X' }],
  memberships: [
    ...converged.memberships.filter((m) => m.userName !== 'carol'),
    { membershipId: 'm-admins-bob', groupId: 'id-admins', userId: 'id-bob', groupName: 'admins', userName: 'bob' },
  ],
  permissionSets: converged.permissionSets.map((p) => (p.name === 'ReadOnly' ? { ...p, description: 'Read most things' } : p)),
  assignments: [
    ...converged.assignments,
    assignment('USER', 'mallory', 'AdministratorAccess', '222222222222'),
    assignment('GROUP', 'devs', 'ReadOnly', '222222222222'),
    assignment('USER', 'bob', 'ReadOnly', '222222222222'),
    assignment('USER', undefined, 'ReadOnly', '333333333333'),
  ],
  provisioning: [
    ...converged.provisioning,
    { permissionSetName: 'ReadOnly', accountId: '222222222222', status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' },
  ],
};

describe('detectDrift', () => {
  it('finds nothing when the live state matches the config', () => {
    const report = drift(converged);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ total: 0, high: 0, medium: 0, low: 0 });
  });

  it('ranks every kind of hand-made change by risk, then key', () => {
    const report = drift(tampered);
    expect(report.findings.map((f) => [f.risk, f.kind, f.key])).toEqual([
      ['high', 'added', 'assignment:USER:mallory|AdministratorAccess|222222222222'],
      ['high', 'added', 'membership:admins|bob'],
      ['medium', 'added', 'assignment:GROUP:devs|ReadOnly|222222222222'],
      ['medium', 'expired', 'assignment:USER:bob|ReadOnly|222222222222'],
      ['medium', 'not-provisioned', 'permissionSet:ReadOnly@222222222222'],
      ['low', 'orphaned', 'assignment:USER:id-gone|ReadOnly|333333333333'],
      ['low', 'missing', 'membership:devs|carol'],
      ['low', 'changed', 'permissionSet:ReadOnly'],
      ['low', 'added', 'user:mallory'],
    ]);
    expect(report.summary).toEqual({ total: 9, high: 2, medium: 3, low: 4 });
  });

  it('says where, what and why', () => {
    const byKey = new Map(drift(tampered).findings.map((f) => [f.key, f]));
    expect(byKey.get('assignment:USER:mallory|AdministratorAccess|222222222222')).toMatchObject({
      account: { id: '222222222222', name: 'prod-core' },
      detail: 'user mallory with AdministratorAccess in prod-core (222222222222) is live but not in the config',
      riskReason: expect.stringMatching(/admin-level permission set \(admin, through managed policy AdministratorAccess statement #1 \(\*\)\) in a production account \(tagged env=prod\)/),
    });
    expect(byKey.get('membership:admins|bob')?.riskReason).toContain('admin-level AdministratorAccess');
    expect(byKey.get('assignment:USER:bob|ReadOnly|222222222222')).toMatchObject({
      detail: expect.stringContaining('expired on 2025-01-31T00:00:00Z (assignments.yaml:8:5) but is still live'),
      desired: { expires: '2025-01-31T00:00:00Z', reason: 'INC-1' },
    });
    expect(byKey.get('permissionSet:ReadOnly')).toMatchObject({
      fields: ['description'],
      live: { description: 'Read most things' },
      desired: { description: 'Read everything' },
    });
    expect(byKey.get('assignment:USER:id-gone|ReadOnly|333333333333')?.detail).toContain('a user that no longer exists (id id-gone)');
  });

  it('reports objects deleted by hand as missing', () => {
    const live: LiveState = {
      ...converged,
      groups: converged.groups.filter((g) => g.displayName !== 'devs'),
      memberships: converged.memberships.filter((m) => m.groupName !== 'devs'),
      assignments: converged.assignments.filter((a) => a.principalName !== 'devs'),
    };
    const keys = drift(live).findings.map((f) => `${f.risk} ${f.kind} ${f.key}`);
    expect(keys).toEqual([
      'low missing assignment:GROUP:devs|ReadOnly|333333333333',
      'low missing group:devs',
      'low missing membership:devs|bob',
      'low missing membership:devs|carol',
    ]);
  });

  it('ranks a permission set made admin by hand, assigned in production, high', () => {
    const live: LiveState = {
      ...converged,
      permissionSets: converged.permissionSets.map((p) =>
        p.name === 'ReadOnly' ? { ...p, inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) } : p,
      ),
      assignments: [...converged.assignments, assignment('GROUP', 'devs', 'ReadOnly', '222222222222')],
    };
    const changed = drift(live).findings.find((f) => f.key === 'permissionSet:ReadOnly');
    expect(changed).toMatchObject({ kind: 'changed', risk: 'high', riskReason: expect.stringContaining('admin, through inline policy statement #1 (*)') });
  });

  it('reports undeclared objects that ownership keep leaves alone as unmanaged', () => {
    const keep: DesiredState = {
      ...desired,
      settings: { ...desired.settings, ownership: { ...desired.settings.ownership, assignments: 'keep', users: 'keep', memberships: 'keep' } },
    };
    const report = drift(tampered, keep);
    const unmanaged = report.findings.filter((f) => f.kind === 'unmanaged').map((f) => `${f.risk} ${f.key}`);
    expect(unmanaged).toEqual([
      'high assignment:USER:mallory|AdministratorAccess|222222222222',
      'high membership:admins|bob',
      'medium assignment:GROUP:devs|ReadOnly|222222222222',
      'low user:mallory',
    ]);
    // Expired grants are still reported as expired, orphans as orphans, not twice.
    expect(report.findings.filter((f) => f.key === 'assignment:USER:bob|ReadOnly|222222222222').map((f) => f.kind)).toEqual(['expired']);
    expect(report.findings.filter((f) => f.key.includes('id-gone')).map((f) => f.kind)).toEqual(['orphaned']);
  });

  it('with an external identity source, reports named principals the IdP no longer has', () => {
    const external: DesiredState = {
      ...desired,
      settings: { ...desired.settings, identitySource: 'external' },
      users: [],
      groups: [],
      memberships: [],
      referencedUsers: ['bob'],
      referencedGroups: ['admins', 'devs'],
    };
    const live: LiveState = {
      ...converged,
      groups: converged.groups.filter((g) => g.displayName !== 'devs'),
      memberships: converged.memberships.filter((m) => m.groupName !== 'devs'),
      assignments: converged.assignments.filter((a) => a.principalName !== 'devs'),
    };
    const findings = drift(live, external).findings.map((f) => `${f.risk} ${f.kind} ${f.key}`);
    expect(findings).toContain('medium missing group:devs');
    expect(findings).not.toContain('medium missing group:admins');
    expect(findings).not.toContain('medium missing user:bob');
  });

  it('leaves ignored permission sets out', () => {
    const live: LiveState = {
      ...converged,
      assignments: [...converged.assignments, assignment('USER', undefined, 'AWSReservedSSO_x', '333333333333')],
      provisioning: [...converged.provisioning, { permissionSetName: 'AWSReservedSSO_x', accountId: '333333333333', status: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }],
    };
    expect(drift(live).findings).toEqual([]);
  });
});
