import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gatehouse, tempDir } from '../helpers/cli.js';

// The planner models AWS (issue 9), end to end on the embedded store: a rename or a case-only
// change of a user or group is one in-place update that keeps memberships and assignments, and
// clearing a description or relay state settles (AWS keeps a blank, which reads as none).

let tmp: { dir: string; cleanup: () => void };
let store: string;
let config: string;
beforeEach(() => {
  tmp = tempDir();
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
  config = path.join(tmp.dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'gatehouse.yaml'), 'version: 1\ninstance: { region: eu-west-1 }\norganization: organization.yaml\n');
  writeFileSync(
    path.join(config, 'organization.yaml'),
    'managementAccountId: "111111111111"\naccounts:\n  - { id: "111111111111", name: management }\nous:\n  - name: Prod\n    accounts:\n      - { id: "222222222222", name: prod }\n',
  );
});
afterEach(() => tmp.cleanup());

const write = (userName: string, extraUser: string, groupName: string, permissionSet: string): void =>
  writeFileSync(
    path.join(config, 'identity.yaml'),
    [
      'users:',
      `  - userName: ${userName}`,
      extraUser,
      '    displayName: Alice',
      '    name: { given: Alice, family: X }',
      'groups:',
      `  - ${groupName}`,
      `    members: [${userName}]`,
      'permissionSets:',
      '  - name: ReadOnly',
      permissionSet,
      '    managedPolicies: [ReadOnlyAccess]',
      'assignments:',
      `  - users: [${userName}]`,
      `    groups: [${groupName.replace(/^name: (\S+).*$/, '$1')}]`,
      '    permissionSets: [ReadOnly]',
      '    accounts: [prod]',
      '',
    ]
      .filter((l) => l !== '')
      .join('\n') + '\n',
  );

const run = (command: string, ...extra: string[]) => gatehouse([command, '--config', config, '--store', store, ...extra]);

describe('renames and clears on the embedded store', () => {
  it('renames a user (renamedFrom) and changes a group name\'s case in place, clears a description, and settles', () => {
    write('alice@x', '', 'name: admins', '    description: Read things\n    relayState: https://console.aws.amazon.com/');
    expect(run('apply', '--auto-approve').code).toBe(0);

    write('alice.new@x', '    renamedFrom: alice@x', 'name: Admins', '');
    const plan = run('plan', '--detailed-exitcode');
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toContain('~ user alice.new@x (renamed from alice@x)');
    expect(plan.stdout).toContain('~ group Admins (renamed from admins)');
    // Nothing of the principals is deleted and re-created.
    expect(plan.stdout).not.toMatch(/^\s*[+-] (user|group|membership|assignment) /m);

    const apply = run('apply', '--auto-approve');
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const after = run('plan', '--detailed-exitcode');
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('No changes');
    const drift = run('drift');
    expect(drift.code, drift.stdout).toBe(0);
  });
});
