import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

describe('schema rule', () => {
  it('names an unknown field and suggests the closest one, at the key', () => {
    const result = parseFiles({ 'ps.yaml': 'permissionSets:\n  - name: Admin\n    sesionDuration: PT1H\n' });
    expect(messages(result, 'schema')).toEqual([
      'ps.yaml:3:5: error [schema] unknown field `sesionDuration` in permission set; did you mean `sessionDuration`?',
    ]);
    expect(result.desired).toBeUndefined();
  });

  it('reports a missing required field at the entity', () => {
    const result = parseFiles({ 'u.yaml': 'users:\n  - displayName: X\n    name: { given: A, family: B }\n' });
    expect(messages(result, 'schema')).toEqual(['u.yaml:2:5: error [schema] missing required field `userName` in user']);
  });

  it('reports every problem at once, with types and enums explained', () => {
    const result = parseFiles({
      'a.yaml': [
        'groups:',
        '  - name: 42',
        'guardrails:',
        '  - name: g',
        '    deny: {}',
        '    severity: fatal',
        'assignments:',
        '  - groups: [x]',
        '    permissionSets: []',
        '    accounts: [a]',
        '    ous: [{ path: /Root, recursive: "no" }]',
        '',
      ].join('\n'),
    });
    expect(messages(result, 'schema')).toEqual([
      'a.yaml:2:11: error [schema] `groups[0].name` must be a string, not number 42; quote it if you mean the text ("42")',
      'a.yaml:6:15: error [schema] `guardrails[0].severity` must be one of error, warning, not "fatal"',
      'a.yaml:9:21: error [schema] `assignments[0].permissionSets` needs at least 1 entry',
      'a.yaml:11:37: error [schema] `assignments[0].ous[0].recursive` must be true or false, not "no"',
    ]);
  });

  it('explains a value that fits none of the allowed forms', () => {
    const result = parseFiles({ 'a.yaml': 'assignments:\n  - groups: [x]\n    permissionSets: [p]\n    ous: [42]\n' });
    expect(messages(result, 'schema')).toEqual([
      'a.yaml:4:11: error [schema] `assignments[0].ous[0]` is not valid: expected an OU path such as /Root/Workloads/Prod, or { path, recursive }',
    ]);
  });

  it('tells that settings belong in gatehouse.yaml', () => {
    const result = parseFiles({ 'users.yaml': `version: 1\n${USERS_YAML}` });
    expect(messages(result, 'schema')).toEqual([
      'users.yaml:1:1: error [schema] `version` is a setting: move it to gatehouse.yaml (other files hold only users, groups, permissionSets, assignments, guardrails)',
    ]);
  });

  it('checks the settings in gatehouse.yaml', () => {
    const result = parseFiles({ 'gatehouse.yaml': 'version: 2\ninstance:\n  identitySource: scim\n' });
    expect(messages(result, 'schema')).toEqual([
      'gatehouse.yaml:1:10: error [schema] `version` must be 1',
      'gatehouse.yaml:3:19: error [schema] `instance.identitySource` must be one of internal, external, not "scim"',
    ]);
  });

  it('accepts a valid config', () => {
    expect(parseFiles({ 'users.yaml': USERS_YAML }).diagnostics).toEqual([]);
  });
});
