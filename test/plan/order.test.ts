import { describe, expect, it } from 'vitest';
import { type Change, changeTarget } from '../../src/diff/change.js';
import { orderIntoWaves } from '../../src/plan/order.js';
import { WAVES } from '../../src/plan/plan.js';
import { group, permissionSet, user } from './builders.js';

const tuple = (principalName: string, accountId = '222222222222') =>
  ({ principalType: 'GROUP', principalName, permissionSetName: 'Admin', accountId }) as const;

const oneOfEach: Change[] = [
  { kind: 'user.delete', before: user('zed') },
  { kind: 'group.delete', before: group('old') },
  { kind: 'permissionSet.delete', before: permissionSet('Gone') },
  { kind: 'membership.remove', groupName: 'ops', userName: 'bob' },
  { kind: 'assignment.delete', assignment: tuple('old'), cause: 'undeclared' },
  { kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: '222222222222', reason: 'content-changed' },
  { kind: 'assignment.create', assignment: tuple('ops') },
  { kind: 'membership.add', groupName: 'ops', userName: 'alice' },
  { kind: 'permissionSet.update', before: permissionSet('Admin'), after: permissionSet('Admin', { description: 'x' }), fields: ['description'] },
  { kind: 'permissionSet.create', after: permissionSet('New') },
  { kind: 'group.update', before: group('ops'), after: group('ops', { description: 'x' }), fields: ['description'] },
  { kind: 'group.create', after: group('new') },
  { kind: 'user.update', before: user('bob'), after: user('bob', { title: 'x' }), fields: ['title'] },
  { kind: 'user.create', after: user('alice') },
];

describe('orderIntoWaves', () => {
  it('puts each kind into its wave, in the order Identity Center accepts', () => {
    const waves = orderIntoWaves(oneOfEach);
    expect(waves.map((w) => [w.index, w.name, w.changes.map((c) => c.kind)])).toEqual([
      [1, WAVES[0], ['group.create', 'group.update', 'permissionSet.create', 'user.create', 'user.update']],
      [2, WAVES[1], ['permissionSet.update']],
      [3, WAVES[2], ['membership.add']],
      [4, WAVES[3], ['assignment.create']],
      [5, WAVES[4], ['permissionSet.provision']],
      [6, WAVES[5], ['assignment.delete']],
      [7, WAVES[6], ['membership.remove']],
      [8, WAVES[7], ['permissionSet.delete']],
      [9, WAVES[8], ['group.delete']],
      [10, WAVES[9], ['user.delete']],
    ]);
  });

  it('returns only non-empty waves, keeping their WAVES index', () => {
    const waves = orderIntoWaves([
      { kind: 'user.delete', before: user('zed') },
      { kind: 'assignment.create', assignment: tuple('ops') },
    ]);
    expect(waves.map((w) => w.index)).toEqual([4, 10]);
    expect(orderIntoWaves([])).toEqual([]);
  });

  it('sorts a wave byte-wise by target, whatever the input order', () => {
    const names = ['b', 'B', 'a', 'ä', 'A-1', 'A', '_'];
    const changes: Change[] = names.map((n) => ({ kind: 'assignment.create', assignment: tuple(n) }));
    const [wave] = orderIntoWaves(changes);
    const targets = wave!.changes.map(changeTarget);
    // Byte order of the whole target: `A-1|` before `A|` because '-' < '|'; no locale rules.
    expect(targets.map((t) => t.split(':')[2]!.split('|')[0])).toEqual(['A-1', 'A', 'B', '_', 'a', 'b', 'ä']);
    expect(orderIntoWaves([...changes].reverse())).toEqual(orderIntoWaves(changes));
  });

  // "Delete permission sets" (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html):
  // remove the set from every account first. Its deletion waits for that inside its own change
  // (perform-permission-set.ts); no earlier wave touches its policies (issue 9: DESIGN's wave 7
  // "detach policies of permission sets being deleted" is gone).
  it('deletes a permission set in a wave after every assignment deletion, with nothing before that strips it', () => {
    const gone = permissionSet('Gone', { managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] });
    const waves = orderIntoWaves([
      { kind: 'permissionSet.delete', before: gone },
      { kind: 'assignment.delete', assignment: { ...tuple('ops'), permissionSetName: 'Gone' }, cause: 'undeclared' },
      { kind: 'assignment.delete', assignment: { ...tuple('dev', '333333333333'), permissionSetName: 'Gone' }, cause: 'undeclared' },
    ]);
    expect(waves.map((w) => [w.name, w.changes.map((c) => c.kind)])).toEqual([
      ['delete account assignments', ['assignment.delete', 'assignment.delete']],
      ['delete permission sets', ['permissionSet.delete']],
    ]);
    expect(WAVES.some((name) => /detach/i.test(name))).toBe(false);
  });
});
