import { describe, expect, it } from 'vitest';
import { parseOrganization } from '../../../src/config/organization-file.js';
import { messages, organization, parseFiles, USERS_YAML } from '../helpers.js';

const assignment = (accounts: string) => ({
  'users.yaml': USERS_YAML,
  'ps.yaml': 'permissionSets: [{ name: P }]\n',
  'a.yaml': `assignments:\n  - users: [alice]\n    permissionSets: [P]\n    accounts: ${accounts}\n`,
});

describe('account id rule', () => {
  it('asks to quote an unquoted account id, showing the digits as written', () => {
    const result = parseFiles(assignment('[012345678901, 222222222222]'));
    expect(messages(result)).toEqual([
      'a.yaml:4:16: error [unquoted-account-id] account 012345678901 is written as a number; YAML reads it as 12345678901 (leading zeros lost). Quote it: "012345678901"',
      'a.yaml:4:30: error [unquoted-account-id] account 222222222222 is written as a number; YAML reads it as 222222222222. Quote it: "222222222222"',
    ]);
  });

  it('keeps checking the rule with the id the user meant', () => {
    const result = parseFiles(assignment('[012345678901, 999999999999]'), { organization: organization() });
    expect(messages(result).map((m) => m.split(' [')[1]!.split(']')[0])).toEqual(['unquoted-account-id', 'unknown-reference', 'unquoted-account-id']);
  });

  it('reports quoted ids with the wrong number of digits', () => {
    expect(messages(parseFiles(assignment('["12345678901", "1234567890123", prod-core]')))).toEqual([
      'a.yaml:4:16: error [account-id-length] account "12345678901" has 11 digits; AWS account ids have exactly 12 (a lost leading zero?)',
      'a.yaml:4:31: error [account-id-length] account "1234567890123" has 13 digits; AWS account ids have exactly 12 (a lost leading zero?)',
    ]);
  });

  it('checks exclusions, guardrails and the organisation file', () => {
    const result = parseFiles({ ...assignment('[prod-core]'), 'g.yaml': 'guardrails:\n  - name: g\n    deny: { accounts: [12] }\n' });
    expect(messages(result, 'unquoted-account-id')).toEqual([expect.stringMatching(/^g\.yaml:3:24: error \[unquoted-account-id\] account 12 is written as a number.*"000000000012"/)]);
    const org = parseOrganization('managementAccountId: 111111111111\naccounts:\n  - { id: 011111111111, name: a }\n', 'org.yaml');
    expect(org.organization).toBeUndefined();
    expect(messages(org)).toEqual([
      'org.yaml:1:22: error [unquoted-account-id] managementAccountId 111111111111 is written as a number; YAML reads it as 111111111111. Quote it: "111111111111"',
      'org.yaml:3:11: error [unquoted-account-id] account id 011111111111 is written as a number; YAML reads it as 11111111111 (leading zeros lost). Quote it: "011111111111"',
    ]);
  });
});
