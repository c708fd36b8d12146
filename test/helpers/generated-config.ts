import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a config directory big enough for an apply to take a while (crash and lock tests):
 * `users` users in `groups` groups, every group assigned two permission sets on every
 * workload account through an OU target.
 */
export function writeGeneratedConfig(dir: string, size: { users: number; groups: number; accounts: number }): void {
  mkdirSync(dir, { recursive: true });
  const accounts = Array.from({ length: size.accounts }, (_, i) => ({
    id: String(400000000000 + i),
    name: `workload-${String(i).padStart(3, '0')}`,
  }));
  writeFileSync(
    path.join(dir, 'organization.yaml'),
    [
      'managementAccountId: "111111111111"',
      'accounts:',
      '  - { id: "111111111111", name: management, tags: {} }',
      'ous:',
      '  - name: Workloads',
      '    accounts:',
      ...accounts.map((a) => `      - { id: "${a.id}", name: ${a.name}, tags: { env: prod } }`),
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'gatehouse.yaml'),
    ['version: 1', 'instance: { region: eu-west-1, identitySource: internal }', 'organization: organization.yaml', ''].join('\n'),
  );
  const users = Array.from({ length: size.users }, (_, i) => `user${String(i).padStart(5, '0')}@example.com`);
  writeFileSync(
    path.join(dir, 'users.yaml'),
    ['users:', ...users.map((u, i) => `  - { userName: ${u}, displayName: User ${i}, name: { given: User, family: N${i} }, email: ${u} }`), ''].join('\n'),
  );
  const groups = Array.from({ length: size.groups }, (_, g) => `team-${String.fromCharCode(97 + (g % 26))}${Math.floor(g / 26)}`);
  writeFileSync(
    path.join(dir, 'groups.yaml'),
    [
      'groups:',
      ...groups.flatMap((name, g) => [
        `  - name: ${name}`,
        '    members:',
        ...users.filter((_, i) => i % size.groups === g).map((u) => `      - ${u}`),
      ]),
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'permission-sets.yaml'),
    [
      'permissionSets:',
      '  - { name: ReadOnly, managedPolicies: [ReadOnlyAccess] }',
      '  - { name: Deploy, managedPolicies: [PowerUserAccess], sessionDuration: PT4H }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'assignments.yaml'),
    ['assignments:', `  - groups: [${groups.join(', ')}]`, '    permissionSets: [ReadOnly, Deploy]', '    ous: [/Root/Workloads]', ''].join('\n'),
  );
}
