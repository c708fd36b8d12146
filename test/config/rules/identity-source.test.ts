import { describe, expect, it } from 'vitest';
import { messages, parseFiles, USERS_YAML } from '../helpers.js';

describe('identity source rule', () => {
  it('forbids defining users and groups when they come from an external IdP', () => {
    const files = { 'users.yaml': USERS_YAML, 'groups.yaml': 'groups: [{ name: g }]\n' };
    expect(messages(parseFiles(files))).toEqual([]);
    const external = parseFiles({ ...files, 'gatehouse.yaml': 'version: 1\ninstance: { identitySource: external }\n' });
    expect(messages(external, 'identity-source')).toEqual([
      'groups.yaml:1:10: error [identity-source] group `g` is defined, but identitySource is external: groups and their members come from the identity provider; remove the definition',
      'users.yaml:2:5: error [identity-source] user `alice` is defined, but identitySource is external: users come from the identity provider; remove the definition and name the user in assignments only',
      'users.yaml:5:5: error [identity-source] user `bob` is defined, but identitySource is external: users come from the identity provider; remove the definition and name the user in assignments only',
    ]);
  });
});
