import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

describe('duplicates rule', () => {
  it('reports a user defined in two files, naming both places', () => {
    const result = parseFiles({ 'a.yaml': USERS_YAML, 'b.yaml': 'users:\n  - { userName: bob, displayName: B, name: { given: B, family: B } }\n' });
    expect(messages(result, 'duplicate-name')).toEqual([
      'b.yaml:2:17: error [duplicate-name] user `bob` is defined twice: here and at a.yaml:5:15; remove or rename one',
    ]);
    expect(result.desired).toBeUndefined();
  });

  it('reports duplicate groups, permission sets and guardrails', () => {
    const result = parseFiles({
      'a.yaml': 'groups: [{ name: g }, { name: g }]\npermissionSets: [{ name: P }]\nguardrails: [{ name: r, deny: {} }]\n',
      'b.yaml': 'permissionSets: [{ name: P }]\nguardrails: [{ name: r, deny: {} }]\n',
    });
    expect(messages(result, 'duplicate-name')).toEqual([
      'a.yaml:1:31: error [duplicate-name] group `g` is defined twice: here and at a.yaml:1:18; remove or rename one',
      'b.yaml:1:26: error [duplicate-name] permission set `P` is defined twice: here and at a.yaml:2:26; remove or rename one',
      'b.yaml:2:22: error [duplicate-name] guardrail `r` is defined twice: here and at a.yaml:3:22; remove or rename one',
    ]);
  });

  it('rejects renaming from a name that is still defined, or into two names', () => {
    const result = parseFiles({
      'ps.yaml': 'permissionSets:\n  - { name: Old }\n  - { name: New, renamedFrom: Old }\n  - { name: Newer, renamedFrom: Old }\n',
    });
    expect(messages(result, 'duplicate-name')).toEqual([
      'ps.yaml:3:31: error [duplicate-name] renamedFrom `Old` names a permission set that is still defined at ps.yaml:2:13; remove that definition or the renamedFrom',
      'ps.yaml:4:33: error [duplicate-name] `Old` is already renamed at ps.yaml:3:31; a permission set can be renamed into only one new name',
      'ps.yaml:4:33: error [duplicate-name] renamedFrom `Old` names a permission set that is still defined at ps.yaml:2:13; remove that definition or the renamedFrom',
    ]);
  });
});
