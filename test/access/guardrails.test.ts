import { describe, expect, it } from 'vitest';
import { checkGuardrails } from '../../src/access/guardrails.js';
import type { ExpandedAssignment } from '../../src/expand/expand-assignments.js';
import type { GuardrailRule } from '../../src/model/desired.js';
import type { Organization } from '../../src/model/entities.js';

const organization: Organization = {
  managementAccountId: '111111111111',
  ous: [
    { id: 'ou-a', path: '/Root/Prod', name: 'Prod' },
    { id: 'ou-b', path: '/Root/Dev', name: 'Dev' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', ouPath: '/Root', tags: {} },
    { id: '222222222222', name: 'prod-core', ouPath: '/Root/Prod', tags: { env: 'prod' } },
    { id: '333333333333', name: 'dev', ouPath: '/Root/Dev', tags: { env: 'dev' } },
  ],
};
const rule = (line: number) => ({ file: 'assignments.yaml', line, col: 5 });
const tuple = (t: Partial<ExpandedAssignment> & Pick<ExpandedAssignment, 'principalType' | 'principalName'>): ExpandedAssignment => ({
  permissionSetName: 'Admin',
  accountId: '222222222222',
  source: rule(3),
  ...t,
});
const guardrail = (deny: Record<string, unknown>, severity?: 'warning'): GuardrailRule => ({
  name: 'no-admin',
  description: 'Admin in production only through a group',
  spec: { name: 'no-admin', deny, ...(severity ? { severity } : {}) },
  source: { file: 'gatehouse.yaml', line: 20, col: 5 },
});
const memberships = [{ groupName: 'admins', userName: 'alice' }];

describe('checkGuardrails', () => {
  it('reports an assignment matching every condition, at the assignment rule, naming the guardrail', () => {
    const d = checkGuardrails({
      guardrails: [guardrail({ principalTypes: ['USER'], permissionSets: ['Admin'], accountTags: { env: 'prod' } })],
      assignments: [
        tuple({ principalType: 'USER', principalName: 'bob', source: rule(7) }),
        tuple({ principalType: 'GROUP', principalName: 'admins' }),
        tuple({ principalType: 'USER', principalName: 'bob', accountId: '333333333333', source: rule(9) }),
      ],
      memberships,
      organization,
    });
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', rule: 'guardrail', source: rule(7) });
    expect(d[0]!.message).toContain('guardrail `no-admin` denies user bob → Admin in prod-core');
    expect(d[0]!.message).toContain('gatehouse.yaml:20');
  });

  it('matches users through group membership, and OUs with their descendants', () => {
    const d = checkGuardrails({
      guardrails: [guardrail({ users: ['alice'], ous: ['/Root/Prod'] })],
      assignments: [tuple({ principalType: 'GROUP', principalName: 'admins' }), tuple({ principalType: 'GROUP', principalName: 'admins', accountId: '333333333333' })],
      memberships,
      organization,
    });
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toContain('group admins → Admin in prod-core (alice through the group)');
  });

  it('folds many violations of one rule into one diagnostic, and honours severity warning', () => {
    const d = checkGuardrails({
      guardrails: [guardrail({ permissionSets: ['Admin'] }, 'warning')],
      assignments: ['a', 'b', 'c', 'd', 'e'].map((name) => tuple({ principalType: 'USER', principalName: name })),
      memberships,
      organization,
    });
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toContain('and 2 more');
  });

  it('is silent when nothing matches or there are no guardrails', () => {
    const assignments = [tuple({ principalType: 'GROUP', principalName: 'admins' })];
    expect(checkGuardrails({ guardrails: [], assignments, memberships, organization })).toEqual([]);
    expect(checkGuardrails({ guardrails: [guardrail({ accounts: ['dev'] })], assignments, memberships, organization })).toEqual([]);
  });
});
