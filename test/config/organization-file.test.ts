import { describe, expect, it } from 'vitest';
import { derivedOuId, parseOrganization } from '../../src/config/organization-file.js';
import { messages, ORGANIZATION_YAML } from './helpers.js';

describe('parseOrganization', () => {
  it('builds OU paths, derives OU ids, places root accounts in /Root', () => {
    const { organization, diagnostics } = parseOrganization(
      'managementAccountId: "111111111111"\naccounts:\n  - { id: "111111111111", name: management, email: a@x }\nous:\n  - name: Workloads\n    id: ou-ab12-cd34ef56\n    ous:\n      - name: Prod\n        accounts: [{ id: "022222222222", name: prod, status: SUSPENDED, tags: { env: prod } }]\n',
      'org.yaml',
    );
    expect(diagnostics).toEqual([]);
    expect(organization).toEqual({
      managementAccountId: '111111111111',
      ous: [
        { id: 'ou-ab12-cd34ef56', path: '/Root/Workloads', name: 'Workloads' },
        { id: derivedOuId('/Root/Workloads/Prod'), path: '/Root/Workloads/Prod', name: 'Prod' },
      ],
      accounts: [
        { id: '022222222222', name: 'prod', ouPath: '/Root/Workloads/Prod', status: 'SUSPENDED', tags: { env: 'prod' } },
        { id: '111111111111', name: 'management', ouPath: '/Root', email: 'a@x', tags: {} },
      ],
    });
    expect(derivedOuId('/Root/Workloads/Prod')).toMatch(/^ou-[0-9a-f]{4}-[0-9a-f]{8}$/);
    expect(derivedOuId('/Root/Workloads/Prod')).toBe(derivedOuId('/Root/Workloads/Prod'));
    expect(derivedOuId('/Root/Workloads/Prod')).not.toBe(derivedOuId('/Root/Workloads/NonProd'));
  });

  it('parses the shared test organisation', () => {
    expect(parseOrganization(ORGANIZATION_YAML, 'o.yaml').organization?.accounts.map((a) => a.name)).toEqual(['prod-data', 'management', 'prod-core', 'staging']);
  });

  it('reports duplicates, bad OU ids, schema errors and a missing management account', () => {
    const result = parseOrganization(
      'managementAccountId: "999999999999"\naccounts:\n  - { id: "111111111111", name: a }\n  - { id: "111111111111", name: a }\nous:\n  - { name: X, id: ou-bad }\n  - { name: X }\n',
      'org.yaml',
    );
    expect(result.organization).toBeUndefined();
    expect(messages(result)).toEqual([
      'org.yaml:1:22: error [unknown-reference] managementAccountId 999999999999 is not one of the listed accounts; list it under accounts',
      'org.yaml:4:11: error [duplicate-name] account id 111111111111 is listed twice: here and at org.yaml:3:5',
      'org.yaml:4:33: error [duplicate-name] account name `a` is used twice: here and at org.yaml:3:5; account names must be unique to be targeted by name',
      'org.yaml:6:20: error [schema] OU id `ou-bad` must look like ou-ab12-cd34ef56 (or leave it out to derive one)',
      'org.yaml:7:13: error [duplicate-name] OU /Root/X is defined twice: here and at org.yaml:6:5',
    ]);
    expect(messages(parseOrganization('accounts: [{ name: a }]\n', 'o.yaml'))).toEqual([
      'o.yaml:1:1: error [schema] missing required field `managementAccountId` in organisation file',
      'o.yaml:1:12: error [schema] missing required field `id` in account',
    ]);
  });
});
