import { describe, expect, it } from 'vitest';
import { diffAccess, effectiveAccess } from '../../src/access/effective-access.js';

const src = (line: number) => ({ file: 'assignments.yaml', line, col: 5 });

describe('effectiveAccess', () => {
  const memberships = [
    { groupName: 'admins', userName: 'alice' },
    { groupName: 'devs', userName: 'alice' },
    { groupName: 'devs', userName: 'bob' },
  ];

  it('expands group assignments to each member, and keeps every path that grants the same access', () => {
    const grants = effectiveAccess({
      memberships,
      assignments: [
        { principalType: 'GROUP', principalName: 'admins', permissionSetName: 'Admin', accountId: '111111111111', source: src(3) },
        { principalType: 'GROUP', principalName: 'devs', permissionSetName: 'Admin', accountId: '111111111111', source: src(9) },
        { principalType: 'USER', principalName: 'alice', permissionSetName: 'Admin', accountId: '111111111111', source: src(15) },
      ],
    });
    expect(grants.map((g) => `${g.userName} ${g.permissionSetName} ${g.accountId}`)).toEqual([
      'alice Admin 111111111111',
      'bob Admin 111111111111',
    ]);
    expect(grants[0]!.paths).toEqual([
      { kind: 'direct', source: src(15) },
      { kind: 'group', groupName: 'admins', source: src(3) },
      { kind: 'group', groupName: 'devs', source: src(9) },
    ]);
  });

  it('gives nothing to a group without members', () => {
    expect(
      effectiveAccess({ memberships, assignments: [{ principalType: 'GROUP', principalName: 'empty', permissionSetName: 'X', accountId: '1' }] }),
    ).toEqual([]);
  });

  it('diffAccess reports who gains and who loses', () => {
    const before = effectiveAccess({ memberships, assignments: [{ principalType: 'GROUP', principalName: 'devs', permissionSetName: 'Dev', accountId: '1' }] });
    const after = effectiveAccess({
      memberships: memberships.filter((m) => m.userName !== 'bob'),
      assignments: [
        { principalType: 'GROUP', principalName: 'devs', permissionSetName: 'Dev', accountId: '1' },
        { principalType: 'USER', principalName: 'carol', permissionSetName: 'Dev', accountId: '1' },
      ],
    });
    const diff = diffAccess(before, after);
    expect(diff.gained.map((g) => g.userName)).toEqual(['carol']);
    expect(diff.lost.map((g) => g.userName)).toEqual(['bob']);
  });
});
