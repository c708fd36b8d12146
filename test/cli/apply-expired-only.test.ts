import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatehouse, tempDir } from '../helpers/cli.js';

// `gatehouse apply --expired-only` (issue 10: "a scheduled apply --expired-only removes
// expired grants and does nothing else"), end to end on the embedded store: with other
// changes pending (a new user, a new grant, a grant dropped from the config), it deletes only the grant
// whose `expires` has passed. Moving `expires` into the past stands for time passing: the
// planner compares it with the clock and nothing else.

let tmp: { dir: string; cleanup: () => void };
let store: string;
let config: string;

const writeConfig = (bobProdExpires: string, pending: boolean): void =>
  writeFileSync(
    path.join(config, 'identity.yaml'),
    [
      'users:',
      '  - { userName: alice@x, displayName: Alice, name: { given: Alice, family: A } }',
      '  - { userName: bob@x, displayName: Bob, name: { given: Bob, family: B } }',
      ...(pending ? ['  - { userName: carol@x, displayName: Carol, name: { given: Carol, family: C } }'] : []),
      'groups:',
      '  - name: admins',
      '    members: [alice@x]',
      'permissionSets:',
      '  - { name: ReadOnly, managedPolicies: [ReadOnlyAccess] }',
      'assignments:',
      '  - { groups: [admins], permissionSets: [ReadOnly], accounts: [prod] }',
      `  - { users: [bob@x], permissionSets: [ReadOnly], accounts: [prod], expires: "${bobProdExpires}", reason: on-call cover }`,
      // Dropped while pending: under ownership prune a normal apply deletes it (cause undeclared).
      ...(pending ? ['  - { groups: [admins], permissionSets: [ReadOnly], accounts: [dev] }'] : ['  - { users: [bob@x], permissionSets: [ReadOnly], accounts: [dev] }']),
      '',
    ].join('\n'),
  );

beforeAll(() => {
  tmp = tempDir();
  store = `sqlite:${path.join(tmp.dir, 'live.db')}`;
  config = path.join(tmp.dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'gatehouse.yaml'), 'version: 1\ninstance: { region: eu-west-1 }\norganization: organization.yaml\nownership: { assignments: prune }\n');
  writeFileSync(
    path.join(config, 'organization.yaml'),
    [
      'managementAccountId: "111111111111"',
      'accounts:',
      '  - { id: "111111111111", name: management }',
      'ous:',
      '  - name: Workloads',
      '    accounts:',
      '      - { id: "222222222222", name: prod }',
      '      - { id: "333333333333", name: dev }',
      '',
    ].join('\n'),
  );
});
afterAll(() => tmp.cleanup());

const run = (command: string, ...extra: string[]) => gatehouse([command, '--config', config, '--store', store, ...extra]);

/** `kind target [cause]` of each change of a `plan --format json` document, sorted. */
function changesOf(json: string): string[] {
  const doc = JSON.parse(json) as { changes: { kind: string; target: string; cause?: string }[] };
  return doc.changes.map((c) => `${c.kind} ${c.target}${c.cause ? ` ${c.cause}` : ''}`).sort();
}

interface ApplyJson {
  status: string;
  changes: { kind: string; title: string; status: string; target: string }[];
}

describe('gatehouse apply --expired-only', () => {
  it('removes the grants whose expires has passed and nothing else, then has nothing to do', () => {
    writeConfig('2099-01-01T00:00:00Z', false);
    expect(run('apply', '--auto-approve').code).toBe(0);

    // Time passes (bob's prod cover ends) while other changes wait for review: a new user, a
    // new grant, and a grant dropped from the config (another deletion, not an expiry).
    writeConfig('2020-01-01T00:00:00Z', true);
    const full = changesOf(run('plan', '--format', 'json').stdout);
    expect(full).toEqual([
      'assignment.create assignment:GROUP:admins|ReadOnly|333333333333',
      'assignment.delete assignment:USER:bob@x|ReadOnly|222222222222 expired',
      'assignment.delete assignment:USER:bob@x|ReadOnly|333333333333 undeclared',
      'user.create user:carol@x',
    ]);

    const expired = run('apply', '--expired-only', '--auto-approve', '--format', 'json');
    expect(expired.code, expired.stderr).toBe(0);
    const report = JSON.parse(expired.stdout) as ApplyJson;
    expect(report.status).toBe('applied');
    expect(report.changes.map((c) => [c.kind, c.target, c.status])).toEqual([['assignment.delete', 'assignment:USER:bob@x|ReadOnly|222222222222', 'applied']]);

    // Everything else is still pending, for the reviewed apply.
    const after = run('plan', '--format', 'json', '--detailed-exitcode');
    expect(after.code).toBe(2);
    expect(changesOf(after.stdout)).toEqual(full.filter((c) => !c.endsWith(' expired')));

    const again = run('apply', '--expired-only', '--auto-approve');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');
    const log = gatehouse(['audit', 'log', '--store', store]);
    expect(log.stdout.split('\n').filter((l) => l.includes('assignment.delete'))).toHaveLength(2); // intent + outcome
  });

  it('with --github (as the Action always runs it) applies on a schedule with no pull request to match', () => {
    // Unreachable: a review gate would have to ask GitHub for the merged pull request and fail.
    const env = { GITHUB_ACTIONS: 'true', GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: 'a'.repeat(40), GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_EVENT_NAME: 'schedule' };
    const r = gatehouse(['apply', '--config', config, '--store', store, '--expired-only', '--auto-approve', '--github'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes');
  });

  it('refuses a saved plan file: it makes its own plan of expired grants', () => {
    const r = run('apply', '--expired-only', path.join(tmp.dir, 'plan.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--expired-only makes its own plan of expired grants; it cannot apply a saved plan file');
  });
});
