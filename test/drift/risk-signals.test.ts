import { describe, expect, it } from 'vitest';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import { detectDrift } from '../../src/drift/detect-drift.js';
import { adminLevelReason, productionReason } from '../../src/drift/risk-signals.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { LiveState } from '../../src/model/live.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { assignment, converged, desired, NOW } from './fixture.js';
import type { Account, PermissionSetSpec } from '../../src/model/entities.js';

const ps = (p: Partial<PermissionSetSpec>): PermissionSetSpec => ({
  name: 'X',
  sessionDuration: 'PT1H',
  managedPolicies: [],
  customerManagedPolicies: [],
  tags: {},
  ...p,
});
const account = (ouPath: string, tags: Record<string, string> = {}): Account => ({ id: '1', name: 'a', ouPath, tags });
const policy = (statement: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: statement });

const model = privilegeModel();
const arn = (name: string) => `arn:aws:iam::aws:policy/${name}`;

describe('adminLevelReason, from what the policies allow', () => {
  it('names the level and the statement that decides it, whatever the set is called', () => {
    expect(adminLevelReason(ps({ name: 'ReadOnly', managedPolicies: [arn('AdministratorAccess')] }), model)).toBe('admin, through managed policy AdministratorAccess statement #1 (*)');
    expect(adminLevelReason(ps({ managedPolicies: [arn('IAMFullAccess')] }), model)).toMatch(/^privilege-escalation, through managed policy IAMFullAccess statement/);
    expect(adminLevelReason(ps({ managedPolicies: [arn('PowerUserAccess')] }), model)).toMatch(/^privilege-escalation, through managed policy PowerUserAccess statement #1 \(not iam:\*/);
    expect(adminLevelReason(ps({ name: 'Admin', managedPolicies: [arn('job-function/ViewOnlyAccess')] }), model)).toBeUndefined();
  });

  it('sees admin however the policy is written, and not where a boundary caps it', () => {
    // A NotAction allow of everything but one action: no "*" or "iam:*" written anywhere.
    const notAction = ps({ inlinePolicy: policy({ Effect: 'Allow', NotAction: 'account:CloseAccount', Resource: '*' }) });
    expect(adminLevelReason(notAction, model)).toMatch(/^admin, through inline policy statement #1 \(not account:CloseAccount\)/);
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Allow', Action: ['s3:Get*', 'iam:*'], Resource: '*' }]) }), model)).toMatch(/^privilege-escalation/);
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Deny', Action: '*', Resource: '*' }]) }), model)).toBeUndefined();
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }), model)).toBeUndefined();
    // AdministratorAccess inside a ReadOnlyAccess boundary can only read.
    expect(adminLevelReason(ps({ name: 'Admin', managedPolicies: [arn('AdministratorAccess')], permissionsBoundary: { managedPolicyArn: arn('ReadOnlyAccess') } }), model)).toBeUndefined();
  });
});

describe('drift risk ranks by privilege, not by name', () => {
  // The config itself defines ReadOnly as AdministratorAccess-in-disguise (an inline NotAction
  // allow, which the old name-and-"*" heuristic did not see); someone grants it by hand in
  // production, and someone else edits a description.
  const disguised = { managedPolicies: [], inlinePolicy: policy({ Effect: 'Allow', NotAction: 'account:CloseAccount', Resource: '*' }) };
  const config: DesiredState = { ...desired, permissionSets: desired.permissionSets.map((p) => (p.name === 'ReadOnly' ? { ...p, ...disguised } : p)) };
  const live: LiveState = {
    ...converged,
    permissionSets: converged.permissionSets.map((p) =>
      p.name === 'ReadOnly' ? { ...p, ...disguised } : p.name === 'AdministratorAccess' ? { ...p, description: 'Edited in the console' } : p,
    ),
    assignments: [...converged.assignments, assignment('USER', 'bob', 'ReadOnly', '222222222222')],
  };

  it('a hand-added assignment of a permission set named ReadOnly that allows everything is admin risk in production, above a changed description', () => {
    const report = detectDrift({ desired: config, live, plan: buildPlan({ desired: config, live, now: NOW }), now: NOW, privilege: model });
    const extra = report.findings.find((f) => f.entity === 'assignment' && f.detail.includes('ReadOnly'))!;
    expect(extra.risk).toBe('high');
    expect(extra.riskReason).toMatch(/^admin-level permission set \(admin, through inline policy statement #1 \(not account:CloseAccount\)\) in a production account \(tagged env=prod\)/);
    const described = report.findings.find((f) => f.entity === 'permissionSet')!;
    expect(described.risk).toBe('low');
    expect(report.findings.indexOf(extra)).toBeLessThan(report.findings.indexOf(described));
  });
});

describe('productionReason', () => {
  it('reads env tags', () => {
    expect(productionReason(account('/Root', { env: 'prod' }))).toBe('tagged env=prod');
    expect(productionReason(account('/Root', { Environment: 'Production' }))).toBe('tagged Environment=Production');
    expect(productionReason(account('/Root', { env: 'dev' }))).toBeUndefined();
  });

  it('reads OU paths, telling Prod from NonProd and PreProd', () => {
    for (const p of ['/Root/Workloads/Prod', '/Root/Production/EU', '/Root/prod-eu', '/Root/WorkloadsProd']) {
      expect(productionReason(account(p)), p).toBe(`in OU ${p}`);
    }
    for (const p of ['/Root/Workloads/NonProd', '/Root/Non-Prod', '/Root/PreProd', '/Root/preprod', '/Root/Products']) {
      expect(productionReason(account(p)), p).toBeUndefined();
    }
  });
});
