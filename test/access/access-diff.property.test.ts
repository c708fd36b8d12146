import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffAccessFor, touchedUsers } from '../../src/access/access-diff.js';
import { diffAccess, effectiveAccess, type AccessGrant } from '../../src/access/effective-access.js';
import { type AccessSide, deltaBetween, deltaOfChanges } from '../../src/access/privilege-diff.js';
import type { Change } from '../../src/diff/change.js';
import { assignmentsOf, membershipsOf } from './access-arbitraries.js';

// The access diff walks only the users a delta touches, user by user on both sides. Checked
// against the whole diff: every grant of both sides built and compared.

const USERS = ['ann', 'bob', 'cid', 'dee', 'eve', 'fay'];
const GROUPS = ['g1', 'g2', 'g3'];
const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const PS = ['Alpha', 'Beta', 'Gamma'];

const names = { users: USERS, groups: GROUPS, permissionSets: PS, accounts: ACCOUNTS };
const side: fc.Arbitrary<AccessSide> = fc
  .record({ assignments: assignmentsOf(names, 16), memberships: membershipsOf(names, 12) })
  .map(({ assignments, memberships }) => ({
    // A line per assignment: paths from different lines are kept apart, from one line merged.
    assignments: assignments.map(({ line, ...t }) => ({ ...t, source: { file: 'a.yaml', line, col: 3 } })),
    memberships,
    permissionSets: [],
  }));

const filters: fc.Arbitrary<(g: AccessGrant) => boolean> = fc.oneof(
  fc.constant(() => true),
  fc.constantFrom(...USERS).map((u) => (g: AccessGrant) => g.userName === u),
  fc.constantFrom(...ACCOUNTS).map((a) => (g: AccessGrant) => g.accountId === a),
);

/** The changes a plan would hold to take `before` to `after` (assignments and memberships). */
function changesBetween(before: AccessSide, after: AccessSide): Change[] {
  const d = deltaBetween(before, after);
  return [
    ...d.addedMemberships.map((m): Change => ({ kind: 'membership.add', ...m })),
    ...d.addedAssignments.map((t): Change => ({ kind: 'assignment.create', assignment: t })),
    ...d.removedAssignments.map((t): Change => ({ kind: 'assignment.delete', assignment: t })),
    ...d.removedMemberships.map((m): Change => ({ kind: 'membership.remove', ...m })),
  ];
}

describe('access diff of the touched users', () => {
  it('is the whole diff of every grant on both sides, paths included, with or without a filter', () => {
    fc.assert(
      fc.property(side, side, filters, (before, after, keep) => {
        const whole = diffAccess(effectiveAccess(before).filter(keep), effectiveAccess(after).filter(keep));
        expect(diffAccessFor(before, after, deltaBetween(before, after), keep)).toEqual(whole);
        expect(diffAccessFor(before, after, deltaOfChanges(changesBetween(before, after)), keep)).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });

  it('touches nobody when only a source line moved, and a group’s members on either side when its assignments change', () => {
    const before: AccessSide = {
      assignments: [{ principalType: 'GROUP', principalName: 'g1', permissionSetName: 'Alpha', accountId: ACCOUNTS[0]! }],
      memberships: [{ groupName: 'g1', userName: 'ann' }],
      permissionSets: [],
    };
    const after: AccessSide = {
      assignments: [{ principalType: 'GROUP', principalName: 'g1', permissionSetName: 'Beta', accountId: ACCOUNTS[0]! }],
      memberships: [{ groupName: 'g1', userName: 'bob' }],
      permissionSets: [],
    };
    expect(touchedUsers(deltaBetween(before, before), before.memberships, before.memberships).size).toBe(0);
    expect([...touchedUsers(deltaBetween(before, after), before.memberships, after.memberships)].sort()).toEqual(['ann', 'bob']);
  });
});
