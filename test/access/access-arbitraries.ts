import fc from 'fast-check';
import type { AssignmentTuple, Membership } from '../../src/model/entities.js';

// Small random access sides for the property tests of the access and privilege diffs: a few
// users, groups, permission sets and accounts, so that two sides overlap often.

export interface Names {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly permissionSets: readonly string[];
  readonly accounts: readonly string[];
}

/** Assignments, no two alike, each with a line (1–3) for a source. */
export const assignmentsOf = (names: Names, maxLength: number): fc.Arbitrary<(AssignmentTuple & { readonly line: number })[]> =>
  fc
    .uniqueArray(
      fc.record({
        principalType: fc.constantFrom('USER' as const, 'GROUP' as const),
        user: fc.constantFrom(...names.users),
        group: fc.constantFrom(...names.groups),
        ps: fc.constantFrom(...names.permissionSets),
        account: fc.constantFrom(...names.accounts),
        line: fc.integer({ min: 1, max: 3 }),
      }),
      { maxLength, selector: (t) => `${t.principalType}|${t.principalType === 'USER' ? t.user : t.group}|${t.ps}|${t.account}` },
    )
    .map((list) =>
      list.map((t) => ({ principalType: t.principalType, principalName: t.principalType === 'USER' ? t.user : t.group, permissionSetName: t.ps, accountId: t.account, line: t.line })),
    );

/** Memberships, no two alike. */
export const membershipsOf = (names: Names, maxLength: number): fc.Arbitrary<Membership[]> =>
  fc
    .uniqueArray(fc.tuple(fc.constantFrom(...names.groups), fc.constantFrom(...names.users)), { maxLength, selector: ([g, u]) => `${g}|${u}` })
    .map((list) => list.map(([groupName, userName]) => ({ groupName, userName })));
