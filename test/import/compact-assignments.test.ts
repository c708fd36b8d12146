import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import { compactAssignments, type CompactRule, type NamedAssignment } from '../../src/import/compact-assignments.js';
import type { Account, Organization } from '../../src/model/entities.js';
import type { AssignmentRule } from '../../src/model/desired.js';
import { assignmentKey } from '../../src/model/keys.js';

const account = (id: string, name: string, ouPath: string, status?: Account['status']): Account => ({
  id,
  name,
  ouPath,
  tags: {},
  ...(status ? { status } : {}),
});

const org: Organization = {
  managementAccountId: '100000000000',
  ous: ['/Root', '/Root/Workloads', '/Root/Workloads/Prod', '/Root/Workloads/Dev', '/Root/Sandbox'].map((path) => ({
    id: `ou-${path}`,
    path,
    name: path.split('/').pop()!,
  })),
  accounts: [
    account('100000000000', 'management', '/Root'),
    account('200000000001', 'prod-a', '/Root/Workloads/Prod'),
    account('200000000002', 'prod-b', '/Root/Workloads/Prod'),
    account('200000000003', 'prod-old', '/Root/Workloads/Prod', 'SUSPENDED'),
    account('300000000001', 'dev-a', '/Root/Workloads/Dev'),
    account('400000000001', 'sandbox', '/Root/Sandbox'),
  ],
};

const grant = (principalType: 'USER' | 'GROUP', principalName: string, permissionSetName: string, ...accountIds: string[]): NamedAssignment[] =>
  accountIds.map((accountId) => ({ principalType, principalName, permissionSetName, accountId }));

/** Expands compact rules as the planner would: the round trip must be exact. */
function expand(rules: readonly CompactRule[], organization: Organization): string[] {
  const asRules: AssignmentRule[] = rules.map((r, i) => ({
    users: r.users,
    groups: r.groups,
    permissionSets: r.permissionSets,
    accounts: r.accounts,
    ous: r.ous.map((path) => ({ path, recursive: true })),
    accountTags: {},
    exclude: { accounts: [], ous: [] },
    source: { file: 'assignments.yaml', line: i + 1, col: 1 },
  }));
  const expansion = expandAssignments(asRules, organization, new Date('2025-01-01T00:00:00Z'));
  expect(expansion.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return expansion.tuples.map((t) => assignmentKey(t)).sort();
}

describe('compactAssignments', () => {
  it('uses the narrowest OU that covers exactly, merges principals and permission sets, lists the rest by name', () => {
    const input = [
      ...grant('GROUP', 'admins', 'Admin', '200000000001', '200000000002'),
      ...grant('GROUP', 'admins', 'Audit', '200000000002', '200000000001'),
      ...grant('GROUP', 'admins', 'Billing', '200000000002'),
      ...grant('GROUP', 'platform', 'ReadOnly', '200000000001', '200000000002', '300000000001'),
      ...grant('USER', 'alice', 'ReadOnly', '200000000001', '200000000002', '300000000001', '100000000000'),
      ...grant('USER', 'bob', 'Dev', '300000000001', '400000000001'),
      ...grant('USER', 'carol', 'Dev', '300000000001', '400000000001'),
      ...grant('GROUP', 'oncall', 'Admin', '200000000001'),
      ...grant('GROUP', 'everyone', 'Portal', '200000000001', '200000000002', '300000000001', '400000000001'),
    ];
    const rules = compactAssignments(input, org);
    expect(rules).toEqual([
      // Same principals and accounts: one rule for both permission sets.
      { users: [], groups: ['admins'], permissionSets: ['Admin', 'Audit'], ous: ['/Root/Workloads/Prod'], accounts: [] },
      { users: [], groups: ['oncall'], permissionSets: ['Admin'], ous: [], accounts: ['prod-a'] },
      { users: [], groups: ['admins'], permissionSets: ['Billing'], ous: [], accounts: ['prod-b'] },
      // A one-account OU reads better as the account's name.
      { users: ['bob', 'carol'], groups: [], permissionSets: ['Dev'], ous: [], accounts: ['dev-a', 'sandbox'] },
      // Root without the management account is every account: the widest exact cover.
      { users: [], groups: ['everyone'], permissionSets: ['Portal'], ous: ['/Root'], accounts: [] },
      { users: [], groups: ['platform'], permissionSets: ['ReadOnly'], ous: ['/Root/Workloads'], accounts: [] },
      // OU targets never reach the management account, so it is named.
      { users: ['alice'], groups: [], permissionSets: ['ReadOnly'], ous: ['/Root/Workloads'], accounts: ['management'] },
    ]);
    expect(expand(rules, org)).toEqual(input.map((t) => assignmentKey(t)).sort());
  });

  it('writes ids for ambiguous or numeric account names', () => {
    const twins: Organization = {
      ...org,
      accounts: [account('100000000000', 'management', '/Root'), account('200000000001', 'app', '/Root/A'), account('200000000002', 'app', '/Root/B'), account('200000000003', '123456789012', '/Root/C')],
    };
    const rules = compactAssignments(grant('USER', 'u', 'P', '200000000001', '200000000003'), twins);
    expect(rules[0]!.accounts).toEqual(['200000000001', '200000000003']);
  });

  it('round-trips exactly for any organisation and assignments', () => {
    const arbitraryOrg = fc
      .record({
        paths: fc.uniqueArray(fc.constantFrom('/Root/A', '/Root/A/X', '/Root/A/Y', '/Root/B', '/Root/B/Z', '/Root/C'), { minLength: 1 }),
        placement: fc.array(fc.tuple(fc.nat(10), fc.constantFrom<Account['status'] | undefined>(undefined, 'ACTIVE', 'SUSPENDED')), { minLength: 1, maxLength: 12 }),
      })
      .map(({ paths, placement }): Organization => {
        const all = ['/Root', ...paths];
        return {
          managementAccountId: '100000000000',
          ous: all.map((path) => ({ id: path, path, name: path })),
          accounts: placement.map(([where, status], i) =>
            account(String(100000000000 + i), `acct-${i}`, all[where % all.length]!, i === 0 ? undefined : status),
          ),
        };
      });
    fc.assert(
      fc.property(
        arbitraryOrg.chain((o) => {
          const assignable = o.accounts.filter((a) => a.status !== 'SUSPENDED').map((a) => a.id);
          const tuple = fc.record({
            principalType: fc.constantFrom<'USER' | 'GROUP'>('USER', 'GROUP'),
            principalName: fc.constantFrom('p1', 'p2', 'p3'),
            permissionSetName: fc.constantFrom('S1', 'S2'),
            accountId: fc.constantFrom(...assignable),
          });
          return fc.tuple(fc.constant(o), fc.array(tuple, { maxLength: 40 }));
        }),
        ([o, tuples]) => {
          const rules = compactAssignments(tuples, o);
          const want = [...new Set(tuples.map((t) => assignmentKey(t)))].sort();
          expect(expand(rules, o)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
