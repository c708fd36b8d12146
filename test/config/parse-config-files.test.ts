import { describe, expect, it } from 'vitest';
import { fieldKey, membershipKey, permissionSetKey, userKey } from '../../src/model/keys.js';
import { messages, parseFiles, USERS_YAML } from './helpers.js';

describe('parseConfigFiles normalisation', () => {
  const result = parseFiles(
    {
      'gatehouse.yaml': 'version: 1\ninstance: { region: eu-west-1, ssoStartUrl: "https://x.awsapps.com/start" }\norganization: org.yaml\nownership: { users: keep }\n',
      'users.yaml': USERS_YAML,
      'groups.yaml': 'groups:\n  - name: ops\n    description: On call\n    members: [bob, alice, bob]\n  - name: devs\n',
      'ps/sets.yaml': [
        'permissionSets:',
        '  - name: Admin',
        '    renamedFrom: Administrator2',
        '    managedPolicies: [job-function/ViewOnlyAccess, AdministratorAccess, "arn:aws:iam::aws:policy/AdministratorAccess"]',
        '    customerManagedPolicies: [{ name: b }, { name: a, path: /x/ }, { name: a }]',
        '    inlinePolicy: policy.json',
        '    permissionsBoundary: { managedPolicy: PowerUserAccess }',
        '    tags: { z: "1", a: "2" }',
        '  - name: Read',
        '    sessionDuration: PT8H',
        '    inlinePolicy: { Version: "2012-10-17", Statement: { Effect: Allow, Action: "s3:Get*", Resource: "*" } }',
        '    permissionsBoundary: { customerManagedPolicy: { name: boundary } }',
        '',
      ].join('\n'),
      'assignments.yaml': [
        'assignments:',
        '  - groups: [ops]',
        '    users: [bob, alice]',
        '    permissionSets: [Read, Admin]',
        '    accounts: [prod, "111122223333"]',
        '    ous: [/Root/B, /Root/A, { path: /Root/C, recursive: true }]',
        '    recursive: false',
        '    exclude: { ous: [/Root/A/Legacy] }',
        '    expires: 2027-01-31T00:00:00Z',
        '    reason: INC-1',
        '',
      ].join('\n'),
    },
    { policies: { 'ps/policy.json': '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}' } },
  );
  const desired = result.desired!;

  it('produces a desired state without diagnostics', () => {
    expect(messages(result)).toEqual([]);
  });

  it('fills settings defaults', () => {
    expect(desired.settings).toMatchObject({
      region: 'eu-west-1',
      identitySource: 'internal',
      organizationFile: 'org.yaml',
      ownership: { users: 'keep', groups: 'prune' },
      ignore: { permissionSets: ['AWSAdministratorAccess', 'AWSOrganizationsFullAccess', 'AWSPowerUserAccess', 'AWSReadOnlyAccess', 'AWSServiceCatalog*'] },
      limits: { maxPoliciesPerPermissionSet: 10, maxFileBytes: 5242880 },
      safety: { maxDeletes: 25, maxDeleteFraction: 0.25 },
    });
  });

  it('normalises users, groups and memberships (sorted, unique)', () => {
    expect(desired.users[0]).toEqual({ userName: 'alice', displayName: 'Alice Liddell', givenName: 'Alice', familyName: 'Liddell' });
    expect(desired.groups).toEqual([{ displayName: 'devs' }, { displayName: 'ops', description: 'On call' }]);
    expect(desired.memberships).toEqual([
      { groupName: 'ops', userName: 'alice' },
      { groupName: 'ops', userName: 'bob' },
    ]);
  });

  it('normalises permission sets: ARNs, paths, defaults, inline JSON, renames', () => {
    const [admin, read] = desired.permissionSets;
    expect(admin).toEqual({
      name: 'Admin',
      sessionDuration: 'PT1H',
      managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
      customerManagedPolicies: [
        { name: 'a', path: '/' },
        { name: 'b', path: '/' },
        { name: 'a', path: '/x/' },
      ],
      inlinePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }] }, null, 2),
      permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
      tags: { a: '2', z: '1' },
    });
    expect(Object.keys(admin!.tags)).toEqual(['a', 'z']);
    expect(read).toMatchObject({ sessionDuration: 'PT8H', permissionsBoundary: { customerManagedPolicy: { name: 'boundary', path: '/' } } });
    expect(JSON.parse(read!.inlinePolicy!)).toEqual({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 's3:Get*', Resource: '*' } });
    expect(desired.permissionSetRenames).toEqual({ Administrator2: 'Admin' });
  });

  it('normalises assignment rules with the rule-level recursive default', () => {
    expect(desired.assignments).toEqual([
      {
        users: ['alice', 'bob'],
        groups: ['ops'],
        permissionSets: ['Admin', 'Read'],
        accounts: ['111122223333', 'prod'],
        ous: [
          { path: '/Root/A', recursive: false },
          { path: '/Root/B', recursive: false },
          { path: '/Root/C', recursive: true },
        ],
        accountTags: {},
        exclude: { accounts: [], ous: [{ path: '/Root/A/Legacy', recursive: true }] },
        expires: '2027-01-31T00:00:00Z',
        reason: 'INC-1',
        source: { file: 'assignments.yaml', line: 2, col: 5 },
        position: 0,
      },
    ]);
    expect(desired.referencedUsers).toEqual([]);
  });

  it('keeps the position of every entity and field', () => {
    expect(desired.sources.get(userKey('bob'))).toEqual({ file: 'users.yaml', line: 5, col: 5 });
    expect(desired.sources.get(fieldKey(userKey('bob'), 'displayName'))).toEqual({ file: 'users.yaml', line: 6, col: 18 });
    expect(desired.sources.get(fieldKey(permissionSetKey('Read'), 'sessionDuration'))).toEqual({ file: 'ps/sets.yaml', line: 10, col: 22 });
    expect(desired.sources.get(membershipKey('ops', 'alice'))).toEqual({ file: 'groups.yaml', line: 4, col: 20 });
  });

  it('gives no desired state when there is an error, and reports a missing root file', () => {
    const broken = parseFiles({ 'users.yaml': 'users: 3\n' });
    expect(broken.desired).toBeUndefined();
    expect(messages(broken)).toEqual(['users.yaml:1:8: error [schema] `users` must be a list, not number 3']);
  });
});
