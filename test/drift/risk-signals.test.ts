import { describe, expect, it } from 'vitest';
import { adminLevelReason, productionReason } from '../../src/drift/risk-signals.js';
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

describe('adminLevelReason', () => {
  it('flags the AWS managed admin policies', () => {
    expect(adminLevelReason(ps({ managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] }))).toBe('managed policy AdministratorAccess');
    expect(adminLevelReason(ps({ managedPolicies: ['arn:aws:iam::aws:policy/IAMFullAccess'] }))).toBe('managed policy IAMFullAccess');
    expect(adminLevelReason(ps({ managedPolicies: ['arn:aws:iam::aws:policy/PowerUserAccess'] }))).toBe('managed policy PowerUserAccess');
    expect(adminLevelReason(ps({ managedPolicies: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'] }))).toBeUndefined();
  });

  it('flags inline Allow of * or iam:*, as a string or in a list', () => {
    expect(adminLevelReason(ps({ inlinePolicy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }))).toBe('inline policy allows "Action": "*"');
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Allow', Action: ['s3:Get*', 'iam:*'], Resource: '*' }]) }))).toContain('iam:*');
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Deny', Action: '*', Resource: '*' }]) }))).toBeUndefined();
    expect(adminLevelReason(ps({ inlinePolicy: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }))).toBeUndefined();
    expect(adminLevelReason(ps({ inlinePolicy: 'not json' }))).toBeUndefined();
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
