import { describe, expect, it } from 'vitest';
import { checkGuardrails, type GuardrailInput } from '../../src/access/guardrails.js';
import { privilegeModel } from '../../src/datasets/privilege-data.js';
import type { ExpandedAssignment } from '../../src/expand/expand-assignments.js';
import type { AssignmentRule, GuardrailRule } from '../../src/model/desired.js';
import type { Organization, PermissionSetSpec } from '../../src/model/entities.js';

// Each guardrail kind with a fixture that breaks it and one that keeps it. Privilege comes from
// the real datasets (AWS managed policies, IAM action catalogue), never from names.

const organization: Organization = {
  managementAccountId: '111111111111',
  ous: [
    { id: 'ou-p', path: '/Root/Prod', name: 'Prod' },
    { id: 'ou-d', path: '/Root/Dev', name: 'Dev' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', tags: {} },
    { id: '222222222222', name: 'prod-core', ouPath: '/Root/Prod', tags: { env: 'prod' } },
    { id: '333333333333', name: 'dev', ouPath: '/Root/Dev', tags: { env: 'dev' } },
  ],
};
const arn = (n: string) => `arn:aws:iam::aws:policy/${n}`;
const ps = (name: string, managed: string[], extra: Partial<PermissionSetSpec> = {}): PermissionSetSpec => ({
  name,
  sessionDuration: 'PT1H',
  managedPolicies: managed.map(arn),
  customerManagedPolicies: [],
  tags: {},
  ...extra,
});
const permissionSets = [
  ps('Viewer', ['ReadOnlyAccess'], { sessionDuration: 'PT8H' }),
  // A misleading name: its content is AdministratorAccess.
  ps('Harmless', ['AdministratorAccess']),
  ps('IamOps', ['IAMFullAccess']),
];
const src = (line: number) => ({ file: 'assignments.yaml', line, col: 5 });
const tuple = (principalType: 'USER' | 'GROUP', principalName: string, permissionSetName: string, accountId: string, line: number): ExpandedAssignment => ({
  principalType,
  principalName,
  permissionSetName,
  accountId,
  source: src(line),
});
const guardrail = (spec: Record<string, unknown>): GuardrailRule => ({ name: 'g', spec: { name: 'g', ...spec }, source: { file: 'gatehouse.yaml', line: 30, col: 5 } });
const rule = (users: string[], line: number, expires?: string): AssignmentRule => ({
  users,
  groups: [],
  permissionSets: ['Viewer'],
  accounts: ['dev'],
  ous: [],
  accountTags: {},
  exclude: { accounts: [], ous: [] },
  ...(expires ? { expires } : {}),
  source: src(line),
});
const now = new Date('2027-01-01T00:00:00Z');

const check = (spec: Record<string, unknown>, assignments: ExpandedAssignment[], extra: Partial<GuardrailInput> = {}) =>
  checkGuardrails({
    guardrails: [guardrail(spec)],
    assignments,
    memberships: [
      { groupName: 'solo', userName: 'mallory' },
      { groupName: 'admins', userName: 'alice' },
      { groupName: 'admins', userName: 'bob' },
      { groupName: 'break-glass', userName: 'root-holder' },
    ],
    organization,
    permissionSets,
    privilege: privilegeModel(),
    now,
    ...extra,
  });

describe('deny on privilege and actions', () => {
  it('privilege: [admin] matches a set whose content is admin, whatever it is called', () => {
    const fail = check({ deny: { privilege: ['admin'], accountTags: { env: 'prod' } } }, [tuple('GROUP', 'admins', 'Harmless', '222222222222', 7)]);
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ severity: 'error', source: src(7) });
    expect(fail[0]!.message).toContain('Harmless is admin');
    expect(fail[0]!.message).toContain('managed policy AdministratorAccess statement #1');
    const pass = check({ deny: { privilege: ['admin'], accountTags: { env: 'prod' } } }, [tuple('GROUP', 'admins', 'Viewer', '222222222222', 7), tuple('GROUP', 'admins', 'Harmless', '333333333333', 8)]);
    expect(pass).toEqual([]);
  });

  it('privilege: [privilege-escalation] catches IAMFullAccess, and actions catch iam:* however allowed', () => {
    expect(check({ deny: { privilege: ['privilege-escalation'] } }, [tuple('USER', 'bob', 'IamOps', '333333333333', 9)])[0]!.message).toContain('IamOps is privilege-escalation');
    expect(check({ deny: { privilege: ['privilege-escalation'] } }, [tuple('USER', 'bob', 'Viewer', '333333333333', 9)])).toEqual([]);
    const fail = check({ deny: { actions: ['iam:Put*Policy', 'organizations:LeaveOrganization'] } }, [tuple('USER', 'bob', 'Harmless', '333333333333', 9)]);
    expect(fail[0]!.message).toMatch(/Harmless allows (iam|organizations):/);
    expect(check({ deny: { actions: ['iam:Put*Policy'] } }, [tuple('USER', 'bob', 'Viewer', '333333333333', 9)])).toEqual([]);
  });

  it('customer managed content counts as possibly anything, unless unknownContent: ignore', () => {
    const opaque = [...permissionSets, ps('Custom', [], { customerManagedPolicies: [{ name: 'acme-ops', path: '/' }] })];
    const t = [tuple('USER', 'bob', 'Custom', '333333333333', 4)];
    expect(check({ deny: { privilege: ['admin'] } }, t, { permissionSets: opaque })[0]!.message).toContain('Custom is admin (possibly)');
    expect(check({ deny: { privilege: ['admin'], unknownContent: 'ignore' } }, t, { permissionSets: opaque })).toEqual([]);
  });

  it('effectiveUsers: ["*"] covers users holding access through a one-member group; principalTypes: [USER] does not', () => {
    const viaGroup = [tuple('GROUP', 'solo', 'Harmless', '222222222222', 12)];
    expect(check({ deny: { principalTypes: ['USER'], privilege: ['admin'] } }, viaGroup)).toEqual([]);
    const fail = check({ deny: { effectiveUsers: ['*'], privilege: ['admin'] } }, viaGroup);
    expect(fail).toHaveLength(1);
    expect(fail[0]!.message).toContain('group solo → Harmless in prod-core');
    // A group without members holds nothing for anyone.
    expect(check({ deny: { effectiveUsers: ['*'], privilege: ['admin'] } }, [tuple('GROUP', 'empty', 'Harmless', '222222222222', 12)])).toEqual([]);
    expect(check({ deny: { effectiveUsers: ['mallory'] } }, viaGroup)[0]!.message).toContain('(mallory through the group)');
  });
});

describe('other guardrail kinds', () => {
  it('maxSessionDuration: a longer session in a selected account fails at the assignment', () => {
    const fail = check({ maxSessionDuration: { max: 'PT4H', accountTags: { env: 'prod' } } }, [tuple('USER', 'bob', 'Viewer', '222222222222', 5)]);
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ source: src(5) });
    expect(fail[0]!.message).toContain('at most PT4H, but this assignment grants Viewer (PT8H) in prod-core');
    expect(check({ maxSessionDuration: { max: 'PT4H', accountTags: { env: 'prod' } } }, [tuple('USER', 'bob', 'Viewer', '333333333333', 5), tuple('USER', 'bob', 'Harmless', '222222222222', 6)])).toEqual([]);
  });

  it('directAssignmentsExpire: a direct user assignment needs expires within N days', () => {
    const rules = [rule(['victor'], 40), rule(['vera'], 44, '2027-06-01T00:00:00Z')];
    const fail = check({ directAssignmentsExpire: { withinDays: 30 } }, [], { assignmentRules: rules });
    expect(fail.map((d) => d.source)).toEqual([src(40), src(44)]);
    expect(fail[0]!.message).toContain('must carry expires');
    expect(fail[1]!.message).toContain('more than 30 days ahead');
    expect(check({ directAssignmentsExpire: { withinDays: 30 } }, [], { assignmentRules: [rule(['victor'], 40, '2027-01-15T00:00:00Z')] })).toEqual([]);
  });

  it('protect: a break-glass group must keep its access in every selected account', () => {
    const spec = { protect: { groups: ['break-glass'], permissionSet: 'Harmless', accountTags: { env: 'prod' } } };
    const fail = check(spec, []);
    expect(fail).toHaveLength(1);
    expect(fail[0]).toMatchObject({ severity: 'error', source: { file: 'gatehouse.yaml', line: 30, col: 5 } });
    expect(fail[0]!.message).toContain('protects group break-glass, which must always hold Harmless: the config does not grant it in prod-core');
    expect(check(spec, [tuple('GROUP', 'break-glass', 'Harmless', '222222222222', 3)])).toEqual([]);
  });

  it('minAdmins: at least N users with admin per account, counted from content', () => {
    const spec = { minAdmins: { count: 2, accounts: ['prod-core'] } };
    const fail = check(spec, [tuple('USER', 'alice', 'Harmless', '222222222222', 3), tuple('USER', 'bob', 'Viewer', '222222222222', 4)]);
    expect(fail[0]!.message).toContain('at least 2 users with admin in each account, but prod-core (1)');
    expect(check(spec, [tuple('GROUP', 'admins', 'Harmless', '222222222222', 3)])).toEqual([]);
  });

  it('maxHolders: at most N users at a level or above per account', () => {
    const spec = { maxHolders: { privilege: 'privilege-escalation', count: 1 } };
    const fail = check(spec, [tuple('GROUP', 'admins', 'IamOps', '333333333333', 3)]);
    expect(fail[0]!.message).toContain('at most 1 users with privilege-escalation or more per account, but dev: 2 (alice, bob)');
    expect(check(spec, [tuple('USER', 'alice', 'Harmless', '333333333333', 3), tuple('GROUP', 'admins', 'Viewer', '333333333333', 4)])).toEqual([]);
  });

  it('a guardrail with two kinds, or none, is an error at the guardrail', () => {
    const d = check({ minAdmins: { count: 1 }, maxHolders: { privilege: 'admin', count: 3 } }, []);
    expect(d[0]!.message).toContain('must have exactly one of');
  });

  it('warning severity reports without blocking', () => {
    expect(check({ deny: { privilege: ['admin'] }, severity: 'warning' }, [tuple('USER', 'bob', 'Harmless', '333333333333', 9)])[0]!.severity).toBe('warning');
  });
});
