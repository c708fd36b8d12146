import { describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { checkRestrictions } from '../../src/plan/check-restrictions.js';
import type { PermissionSetSpec } from '../../src/model/entities.js';
import { permissionSetKey } from '../../src/model/keys.js';
import { callerRestrictions } from '../../src/stores/aws/caller-restrictions.js';

// A delegated administrator may not manage access to the management account nor change a
// permission set provisioned there (AWS, "Register a member account",
// https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html).
// The CLI end, against the emulator, is test/cli/aws-delegated-admin.test.ts.

const restrictions = callerRestrictions({
  callerAccountId: '333333333333',
  managementAccountId: '111111111111',
  provisioning: [
    { permissionSetName: 'Admin', accountId: '111111111111', status: 'LATEST_PERMISSION_SET_PROVISIONED' },
    { permissionSetName: 'Admin', accountId: '222222222222', status: 'LATEST_PERMISSION_SET_PROVISIONED' },
    { permissionSetName: 'ReadOnly', accountId: '222222222222', status: 'LATEST_PERMISSION_SET_PROVISIONED' },
  ],
});
const ps = (name: string): PermissionSetSpec => ({ name, sessionDuration: 'PT1H', managedPolicies: [], customerManagedPolicies: [], tags: {} }) as unknown as PermissionSetSpec;
const at = (line: number) => ({ file: 'config.yaml', line, col: 5 });

describe('callerRestrictions', () => {
  it('restricts nothing for the management account, or when the caller is unknown', () => {
    expect(callerRestrictions({ callerAccountId: '111111111111', managementAccountId: '111111111111', provisioning: [] })).toBeUndefined();
    expect(callerRestrictions({ callerAccountId: undefined, managementAccountId: '111111111111', provisioning: [] })).toBeUndefined();
  });

  it('names the management account and the permission sets provisioned there for a member account', () => {
    expect(restrictions!.accounts.map((a) => a.accountId)).toEqual(['111111111111']);
    expect(restrictions!.permissionSets.map((p) => p.name)).toEqual(['Admin']);
  });
});

describe('checkRestrictions', () => {
  const tuple = { principalType: 'GROUP' as const, principalName: 'ops', permissionSetName: 'ReadOnly', accountId: '111111111111' };
  const changes: Change[] = [
    { kind: 'assignment.create', assignment: tuple },
    { kind: 'assignment.create', assignment: { ...tuple, accountId: '222222222222' } },
    { kind: 'assignment.delete', assignment: { ...tuple, principalName: 'old', permissionSetName: 'Admin' }, cause: 'undeclared' },
    { kind: 'permissionSet.delete', before: ps('Admin') },
    { kind: 'permissionSet.update', before: ps('ReadOnly'), after: ps('ReadOnly'), fields: ['description'] },
    { kind: 'permissionSet.provision', permissionSetName: 'ReadOnly', accountId: '111111111111', reason: 'not-provisioned' },
    { kind: 'permissionSet.provision', permissionSetName: 'Billing', accountId: '111111111111', reason: 'content-changed' },
  ];
  const diagnostics = checkRestrictions({
    changes,
    restrictions,
    tuples: [{ ...tuple, source: at(9) }],
    sources: new Map([[permissionSetKey('Billing'), at(3)]]),
  });

  it('refuses each change the caller may not make, where the config asks for it', () => {
    expect(diagnostics.map((d) => [d.source?.line ?? null, d.message.split(':')[0]])).toEqual([
      [9, 'cannot assign ReadOnly to group ops in account 111111111111'],
      [null, 'cannot remove the assignment of Admin to group old in account 111111111111'],
      [null, 'cannot delete permission set Admin'],
      // ReadOnly's provisioning follows from the refused assignment and is not said twice.
      [3, 'cannot provision Billing to account 111111111111'],
    ]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.rule === 'not-permitted')).toBe(true);
    expect(diagnostics[1]!.message).toMatch(/declare it in the config or in ignore\.assignmentPrincipals, or run Gatehouse with credentials of the management account$/);
  });

  it('says nothing without restrictions', () => {
    expect(checkRestrictions({ changes, restrictions: undefined, tuples: [], sources: new Map() })).toEqual([]);
  });
});
