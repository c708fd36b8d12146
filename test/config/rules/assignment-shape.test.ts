import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

describe('assignment shape rule', () => {
  it('needs principals and targets', () => {
    const result = parseFiles({
      'users.yaml': USERS_YAML,
      'ps.yaml': 'permissionSets: [{ name: P }]\n',
      'a.yaml': 'assignments:\n  - permissionSets: [P]\n    accounts: [x]\n  - users: [alice]\n    permissionSets: [P]\n    accountTags: {}\n',
    });
    expect(messages(result, 'assignment-shape')).toEqual([
      'a.yaml:2:5: error [assignment-shape] assignment names no principal; add `users` or `groups`',
      'a.yaml:4:5: error [assignment-shape] assignment has no target; add `accounts`, `ous` or `accountTags`',
    ]);
  });
});
