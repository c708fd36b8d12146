import { afterEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

// Sources:
// - sso-admin model, ListAccountAssignmentsForPrincipal: "This action must be called from the
//   management account containing your organization instance of IAM Identity Center."
// - https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html:
//   a delegated administrator can perform all administrative tasks "except for: ... Managing
//   permission sets provisioned in the management account ... Enabling or disabling user access
//   in the management account".

const MANAGEMENT = '111111111111';
const DELEGATED = '444444444444';

let fx: EngineFixture;
afterEach(() => fx?.engine.close());

const assignment = (userId: string, permissionSetArn: string, accountId: string) => ({
  TargetId: accountId,
  TargetType: 'AWS_ACCOUNT',
  PermissionSetArn: permissionSetArn,
  PrincipalType: 'USER',
  PrincipalId: userId,
});

describe('a delegated administrator (caller outside the management account)', () => {
  it('calls from the management account of the organisation by default, and may do everything there', () => {
    fx = engineFixture();
    expect(fx.engine.callerAccountId()).toBe(MANAGEMENT);
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    fx.sso('CreateAccountAssignment', assignment(user, ps, MANAGEMENT));
    expect(fx.sso('ListAccountAssignmentsForPrincipal', { PrincipalId: user, PrincipalType: 'USER' }).AccountAssignments).toHaveLength(1);
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  });

  it('is refused ListAccountAssignmentsForPrincipal with AccessDeniedException (model: must be called from the management account)', () => {
    fx = engineFixture({ callerAccountId: DELEGATED });
    const user = fx.createUser('alice');
    expect(fx.errorOf('sso-admin', 'ListAccountAssignmentsForPrincipal', { InstanceArn: fx.instanceArn, PrincipalId: user, PrincipalType: 'USER' }))
      .toBe('AccessDeniedException');
  });

  it('cannot create or delete assignments in the management account, but can in member accounts', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('ReadOnly');
    fx.sso('CreateAccountAssignment', assignment(user, ps, MANAGEMENT));
    fx.engine.setCallerAccountId(DELEGATED);
    const call = (operation: string, accountId: string) => fx.errorOf('sso-admin', operation, { InstanceArn: fx.instanceArn, ...assignment(user, ps, accountId) });
    expect(call('CreateAccountAssignment', MANAGEMENT)).toBe('AccessDeniedException');
    expect(call('DeleteAccountAssignment', MANAGEMENT)).toBe('AccessDeniedException');
    const other = fx.createPermissionSet('Other');
    expect(fx.errorOf('sso-admin', 'CreateAccountAssignment', { InstanceArn: fx.instanceArn, ...assignment(user, other, '222222222222') })).toBeUndefined();
    // The refused delete changed nothing: the management account's assignment is still there.
    fx.engine.setCallerAccountId(undefined);
    expect(fx.sso('ListAccountAssignments', { AccountId: MANAGEMENT, PermissionSetArn: ps }).AccountAssignments).toHaveLength(1);
  });

  it('cannot change, tag, re-provision or delete a permission set provisioned in the management account', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const inManagement = fx.createPermissionSet('Billing');
    const elsewhere = fx.createPermissionSet('Dev');
    fx.sso('CreateAccountAssignment', assignment(user, inManagement, MANAGEMENT));
    fx.sso('CreateAccountAssignment', assignment(user, elsewhere, '222222222222'));
    fx.engine.setCallerAccountId(DELEGATED);
    const denied = (operation: string, input: Record<string, unknown>) => fx.errorOf('sso-admin', operation, { InstanceArn: fx.instanceArn, ...input });
    const policy = { ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
    for (const [operation, input] of [
      ['UpdatePermissionSet', { PermissionSetArn: inManagement, Description: 'x' }],
      ['AttachManagedPolicyToPermissionSet', { PermissionSetArn: inManagement, ...policy }],
      ['PutInlinePolicyToPermissionSet', { PermissionSetArn: inManagement, InlinePolicy: '{"Version":"2012-10-17","Statement":[]}' }],
      ['TagResource', { ResourceArn: inManagement, Tags: [{ Key: 'k', Value: 'v' }] }],
      ['ProvisionPermissionSet', { PermissionSetArn: inManagement, TargetType: 'ALL_PROVISIONED_ACCOUNTS' }],
      ['ProvisionPermissionSet', { PermissionSetArn: elsewhere, TargetType: 'AWS_ACCOUNT', TargetId: MANAGEMENT }],
      ['DeletePermissionSet', { PermissionSetArn: inManagement }],
    ] as const) {
      expect(denied(operation, input), operation).toBe('AccessDeniedException');
    }
    expect(denied('AttachManagedPolicyToPermissionSet', { PermissionSetArn: elsewhere, ...policy })).toBeUndefined();
    expect(denied('ProvisionPermissionSet', { PermissionSetArn: elsewhere, TargetType: 'ALL_PROVISIONED_ACCOUNTS' })).toBeUndefined();
  });
});
