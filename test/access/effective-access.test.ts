import { describe, expect, it } from 'vitest';
import { diffAccess, effectiveAccess, effectiveAccessByUser } from '../../src/access/effective-access.js';
import { renderAccessJson, renderAccessText } from '../../src/access/render-access.js';
import { stringifyJson } from '../../src/output/escape-json.js';

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

  it('user by user gives the same grants, and the streamed renderings the same text, as all at once', () => {
    const input = {
      memberships: [...memberships, { groupName: 'devs', userName: 'bob.smith\u2028' }, { groupName: 'admins', userName: 'bob' }],
      assignments: [
        { principalType: 'GROUP' as const, principalName: 'devs', permissionSetName: 'Dev', accountId: '222222222222', source: src(3) },
        { principalType: 'GROUP' as const, principalName: 'admins', permissionSetName: 'Admin', accountId: '111111111111', source: src(7) },
        { principalType: 'USER' as const, principalName: 'bob', permissionSetName: 'Dev', accountId: '222222222222', source: src(11) },
      ],
    };
    const all = effectiveAccess(input);
    expect([...effectiveAccessByUser(input)].flat()).toEqual(all);
    expect(all.map((g) => g.userName)).toEqual(['alice', 'alice', 'bob', 'bob', 'bob.smith\u2028']);
    expect(effectiveAccess(input, { userName: 'bob', accountId: '222222222222' })).toEqual(all.filter((g) => g.userName === 'bob' && g.accountId === '222222222222'));
    // The JSON, written grant by grant, is the document stringifyJson makes of the whole list.
    expect(renderAccessJson(all)).toBe(stringifyJson({ format_version: 1, grants: all }));
    expect(renderAccessJson([])).toBe(stringifyJson({ format_version: 1, grants: [] }));
    expect(JSON.parse(renderAccessJson(all)).grants).toEqual(JSON.parse(JSON.stringify(all)));
    expect(renderAccessText([], new Map())).toBe('No access matches.\n');
    expect(renderAccessText(all, new Map())).toMatch(/^alice {2}111111111111 {2}Admin {2}via member of group admins at assignments\.yaml:7:5\n[\s\S]*\n\n5 grants\.\n$/);
  });
});

