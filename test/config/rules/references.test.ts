import { describe, expect, it } from 'vitest';
import { messages, organization, parseFiles, USERS_YAML } from '../helpers.js';

const base = {
  'users.yaml': USERS_YAML,
  'groups.yaml': 'groups:\n  - name: admins\n    members: [alice]\n',
  'ps.yaml': 'permissionSets:\n  - name: ReadOnly\n',
};

describe('references rule', () => {
  it('resolves group members to users, suggesting the closest', () => {
    const result = parseFiles({ ...base, 'groups.yaml': 'groups:\n  - name: admins\n    members: [alice, bobb]\n' });
    expect(messages(result, 'unknown-reference')).toEqual([
      'groups.yaml:3:22: error [unknown-reference] group `admins` lists member `bobb`, who is not defined under users; did you mean `bob`?',
    ]);
  });

  it('resolves assignment principals and permission sets', () => {
    const result = parseFiles({
      ...base,
      'a.yaml': 'assignments:\n  - users: [carol]\n    groups: [admin]\n    permissionSets: [ReadOnly, ReadOnlyAccess]\n    accounts: [prod-core]\n',
    });
    expect(messages(result, 'unknown-reference')).toEqual([
      'a.yaml:2:13: error [unknown-reference] assignment names user `carol`, who is not defined under users',
      'a.yaml:3:14: error [unknown-reference] assignment names group `admin`, which is not defined under groups; did you mean `admins`?',
      'a.yaml:4:32: error [unknown-reference] permission set `ReadOnlyAccess` is not defined under permissionSets',
    ]);
  });

  it('checks accounts, ids, OU paths and exclusions against the organisation', () => {
    const files = {
      ...base,
      'a.yaml': [
        'assignments:',
        '  - groups: [admins]',
        '    permissionSets: [ReadOnly]',
        '    accounts: [prod-cor, "999999999999", "012345678901", management]',
        '    ous: [/Root/Workloads/Prd, { path: /Root/Workloads/Prod }]',
        '    exclude: { accounts: [stagin], ous: [/Root/Nope] }',
        '    accountTags: { env: qa }',
        '',
      ].join('\n'),
    };
    expect(messages(parseFiles(files, { organization: organization() }), 'unknown-reference')).toEqual([
      'a.yaml:4:16: error [unknown-reference] account `prod-cor` is not in the organisation; did you mean `prod-core`?',
      'a.yaml:4:26: error [unknown-reference] account id 999999999999 is not in the organisation',
      'a.yaml:5:11: error [unknown-reference] OU `/Root/Workloads/Prd` is not in the organisation; did you mean `/Root/Workloads/Prod`?',
      'a.yaml:6:27: error [unknown-reference] account `stagin` is not in the organisation; did you mean `staging`?',
      'a.yaml:6:42: error [unknown-reference] OU `/Root/Nope` is not in the organisation',
      'a.yaml:7:18: warning [unknown-reference] accountTags {"env":"qa"} match no account in the organisation',
    ]);
    // Without an organisation only the form of OU paths can be checked.
    expect(messages(parseFiles(files), 'unknown-reference')).toEqual([]);
  });

  it('requires OU paths to start at /Root', () => {
    const result = parseFiles({ ...base, 'a.yaml': 'assignments:\n  - groups: [admins]\n    permissionSets: [ReadOnly]\n    ous: [Workloads, /Root/]\n' });
    expect(messages(result, 'unknown-reference')).toEqual([
      'a.yaml:4:11: error [unknown-reference] OU path `Workloads` must start at the root, e.g. /Root/Workloads/Prod (no trailing slash)',
      'a.yaml:4:22: error [unknown-reference] OU path `/Root/` must start at the root, e.g. /Root/Workloads/Prod (no trailing slash)',
    ]);
  });

  it('does not report references to entities that already failed the schema', () => {
    const result = parseFiles({ ...base, 'ps.yaml': 'permissionSets:\n  - name: ReadOnly\n    sesionDuration: PT1H\n', 'a.yaml': 'assignments:\n  - groups: [admins]\n    permissionSets: [ReadOnly]\n    accounts: [x]\n' });
    expect(messages(result, 'unknown-reference')).toEqual([]);
    expect(messages(result, 'schema')).toHaveLength(1);
  });

  it('with an external identity source, records principals instead of resolving them', () => {
    const result = parseFiles({
      'gatehouse.yaml': 'version: 1\ninstance: { identitySource: external }\n',
      'ps.yaml': base['ps.yaml'],
      'a.yaml': 'assignments:\n  - users: [zed, amy]\n    groups: [okta-admins]\n    permissionSets: [ReadOnly]\n    accounts: [prod-core]\n  - users: [amy]\n    permissionSets: [ReadOnly]\n    accounts: [staging]\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.desired?.referencedUsers).toEqual(['amy', 'zed']);
    expect(result.desired?.referencedGroups).toEqual(['okta-admins']);
  });
});
