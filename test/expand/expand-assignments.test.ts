import { describe, expect, it } from 'vitest';
import { expandAssignments } from '../../src/expand/expand-assignments.js';
import { account, at, organization, rule } from '../plan/builders.js';

const org = organization(
  [
    account('111111111111', 'management', '/Root'),
    account('222222222221', 'prod-core', '/Root/Workloads/Prod', { tags: { env: 'prod', tier: '1' } }),
    account('222222222222', 'prod-data', '/Root/Workloads/Prod/Data', { tags: { env: 'prod', team: 'data' } }),
    account('333333333333', 'staging', '/Root/Workloads', { tags: { env: 'staging' } }),
    account('444444444444', 'sandbox', '/Root/Sandbox', { tags: { env: 'dev' } }),
    account('555555555555', 'closed', '/Root/Workloads/Prod', { tags: { env: 'prod' }, status: 'SUSPENDED' }),
  ],
  { managementAccountId: '111111111111', extraOuPaths: ['/Root/Empty'] },
);
// The management account carries the same tag as prod, to prove tags never reach it.
const orgWithTaggedManagement = {
  ...org,
  accounts: org.accounts.map((a) => (a.id === '111111111111' ? { ...a, tags: { env: 'prod' } } : a)),
};
const NOW = new Date('2026-06-01T00:00:00Z');

const accountsOf = (r: Parameters<typeof rule>[0], o = org) =>
  expandAssignments([rule({ groups: ['g'], permissionSets: ['PS'], ...r })], o, NOW).tuples.map((t) => t.accountId).sort();

describe('expandAssignments targets', () => {
  it('resolves accounts by name or by id', () => {
    expect(accountsOf({ accounts: ['prod-core', '333333333333'] })).toEqual(['222222222221', '333333333333']);
  });

  it('includes accounts in descendant OUs unless recursive is false', () => {
    expect(accountsOf({ ous: [{ path: '/Root/Workloads', recursive: true }] })).toEqual([
      '222222222221',
      '222222222222',
      '333333333333',
    ]);
    expect(accountsOf({ ous: [{ path: '/Root/Workloads', recursive: false }] })).toEqual(['333333333333']);
    expect(accountsOf({ ous: [{ path: '/Root/Workloads/Prod/', recursive: true }] })).toEqual(['222222222221', '222222222222']);
  });

  it('matches accounts carrying every listed tag', () => {
    expect(accountsOf({ accountTags: { env: 'prod' } })).toEqual(['222222222221', '222222222222']);
    expect(accountsOf({ accountTags: { env: 'prod', team: 'data' } })).toEqual(['222222222222']);
    expect(accountsOf({ accountTags: { env: 'prod', team: 'nobody' } })).toEqual([]);
  });

  it('unions targets, then removes excluded accounts and OUs', () => {
    expect(
      accountsOf({
        accounts: ['sandbox'],
        ous: [{ path: '/Root/Workloads', recursive: true }],
        exclude: { accounts: ['staging'], ous: [{ path: '/Root/Workloads/Prod/Data', recursive: true }] },
      }),
    ).toEqual(['222222222221', '444444444444']);
    expect(
      accountsOf({ ous: [{ path: '/Root', recursive: true }], exclude: { accounts: [], ous: [{ path: '/Root/Workloads/Prod', recursive: false }] } }),
    ).toEqual(['222222222222', '333333333333', '444444444444']);
  });

  it('reaches the management account only when named explicitly', () => {
    expect(accountsOf({ ous: [{ path: '/Root', recursive: true }] })).not.toContain('111111111111');
    expect(accountsOf({ accountTags: { env: 'prod' } }, orgWithTaggedManagement)).not.toContain('111111111111');
    expect(accountsOf({ accounts: ['management'] })).toEqual(['111111111111']);
  });

  it('skips suspended accounts, warning only when one is named explicitly', () => {
    expect(accountsOf({ ous: [{ path: '/Root/Workloads/Prod', recursive: false }] })).toEqual(['222222222221']);
    const quiet = expandAssignments([rule({ groups: ['g'], permissionSets: ['PS'], accountTags: { env: 'prod' } })], org, NOW);
    expect(quiet.diagnostics).toEqual([]);
    const named = expandAssignments([rule({ groups: ['g'], permissionSets: ['PS'], accounts: ['closed'] })], org, NOW);
    expect(named.tuples).toEqual([]);
    expect(named.diagnostics).toMatchObject([{ severity: 'warning', rule: 'inactive-account' }]);
  });
});

describe('expandAssignments tuples', () => {
  it('crosses principals, permission sets and accounts into atomic tuples', () => {
    const { tuples } = expandAssignments(
      [rule({ users: ['alice'], groups: ['ops'], permissionSets: ['A', 'B'], accounts: ['prod-core', 'staging'] })],
      org,
      NOW,
    );
    expect(tuples).toHaveLength(8);
    expect(tuples).toContainEqual(
      expect.objectContaining({ principalType: 'USER', principalName: 'alice', permissionSetName: 'B', accountId: '333333333333' }),
    );
  });

  it('collapses duplicates across rules, keeping the earliest source and merging reasons', () => {
    const { tuples } = expandAssignments(
      [
        rule({ groups: ['ops'], permissionSets: ['A'], accounts: ['prod-core'], reason: 'zeta', source: at('b.yaml', 9) }),
        rule({ groups: ['ops'], permissionSets: ['A'], ous: [{ path: '/Root/Workloads/Prod', recursive: false }], reason: 'alpha', source: at('a.yaml', 4) }),
        rule({ groups: ['ops'], permissionSets: ['A'], accounts: ['prod-core'], reason: 'zeta', source: at('c.yaml', 1) }),
      ],
      org,
      NOW,
    );
    expect(tuples).toEqual([
      {
        principalType: 'GROUP',
        principalName: 'ops',
        permissionSetName: 'A',
        accountId: '222222222221',
        reason: 'alpha; zeta',
        source: at('a.yaml', 4),
      },
    ]);
  });

  it('keeps an expiry only when every granting rule expires, and then the latest one', () => {
    const grant = (expires: string | undefined) =>
      rule({ groups: ['ops'], permissionSets: ['A'], accounts: ['staging'], ...(expires ? { expires } : {}) });
    expect(expandAssignments([grant('2027-01-01T00:00:00Z'), grant('2028-01-01T00:00:00Z')], org, NOW).tuples[0]?.expires).toBe(
      '2028-01-01T00:00:00Z',
    );
    expect(expandAssignments([grant('2027-01-01T00:00:00Z'), grant(undefined)], org, NOW).tuples[0]?.expires).toBeUndefined();
  });
});

describe('expandAssignments expiry', () => {
  it('expands an expired rule to nothing and reports its tuples as expired', () => {
    const expiredRule = rule({ users: ['vendor'], permissionSets: ['A'], accounts: ['staging'], expires: '2026-05-31T23:59:59Z' });
    const result = expandAssignments([expiredRule], org, NOW);
    expect(result.tuples).toEqual([]);
    expect(result.expired).toMatchObject([{ principalName: 'vendor', accountId: '333333333333', expires: '2026-05-31T23:59:59Z' }]);
  });

  it('treats expiry at exactly now as expired', () => {
    const r = rule({ users: ['vendor'], permissionSets: ['A'], accounts: ['staging'], expires: NOW.toISOString() });
    expect(expandAssignments([r], org, NOW).tuples).toEqual([]);
  });

  it('does not report as expired what another live rule still grants', () => {
    const result = expandAssignments(
      [
        rule({ users: ['vendor'], permissionSets: ['A'], accounts: ['staging'], expires: '2026-01-01T00:00:00Z' }),
        rule({ users: ['vendor'], permissionSets: ['A'], accounts: ['staging'] }),
      ],
      org,
      NOW,
    );
    expect(result.tuples).toHaveLength(1);
    expect(result.expired).toEqual([]);
  });

  it('reports an unparseable expiry as an error at the rule', () => {
    const r = rule({ users: ['vendor'], permissionSets: ['A'], accounts: ['staging'], expires: 'next tuesday', source: at('a.yaml', 7, 5) });
    expect(expandAssignments([r], org, NOW).diagnostics).toMatchObject([
      { severity: 'error', rule: 'invalid-expiry', source: at('a.yaml', 7, 5) },
    ]);
  });
});

describe('expandAssignments unknown targets', () => {
  it('reports unknown accounts and OUs at the rule instead of crashing', () => {
    const result = expandAssignments(
      [
        rule({
          groups: ['ops'],
          permissionSets: ['A'],
          accounts: ['prod-core', 'prod-legacy', '999999999999'],
          ous: [{ path: '/Root/Nowhere', recursive: true }],
          exclude: { accounts: ['ghost'], ous: [{ path: '/Root/Gone', recursive: true }] },
          source: at('assignments.yaml', 12, 5),
        }),
      ],
      org,
      NOW,
    );
    expect(result.tuples.map((t) => t.accountId)).toEqual(['222222222221']);
    expect(result.diagnostics.map((d) => [d.severity, d.rule, d.source?.line])).toEqual([
      ['error', 'unknown-account', 12],
      ['error', 'unknown-account', 12],
      ['error', 'unknown-ou', 12],
      ['error', 'unknown-account', 12],
      ['error', 'unknown-ou', 12],
    ]);
    expect(result.diagnostics[0]?.message).toContain('prod-legacy');
  });

  it('accepts an existing OU with no accounts but warns that the rule grants nothing', () => {
    const result = expandAssignments([rule({ groups: ['ops'], permissionSets: ['A'], ous: [{ path: '/Root/Empty', recursive: true }] })], org, NOW);
    expect(result.tuples).toEqual([]);
    expect(result.diagnostics).toMatchObject([{ severity: 'warning', rule: 'empty-target' }]);
  });

  it('only warns about unknown targets of a rule that has expired anyway', () => {
    const r = rule({ groups: ['ops'], permissionSets: ['A'], accounts: ['closed-long-ago'], expires: '2020-01-01T00:00:00Z' });
    expect(expandAssignments([r], org, NOW).diagnostics).toMatchObject([{ severity: 'warning', rule: 'unknown-account' }]);
  });
});
