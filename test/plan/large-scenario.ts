import type { DesiredState } from '../../src/model/desired.js';
import type { Account } from '../../src/model/entities.js';
import type { LiveAssignment, LiveState } from '../../src/model/live.js';
import { compareStrings, managedPolicyArn } from '../../src/model/keys.js';
import {
  account,
  at,
  desiredState,
  group,
  liveAssignment,
  liveGroup,
  liveMembership,
  livePermissionSet,
  liveState,
  liveUser,
  organization,
  permissionSet,
  provisioned,
  rule,
  user,
} from './builders.js';

// The L size of the benchmarks: 50,000 users, 5,000 groups, 2,000 accounts, 300 permission
// sets, ~250,000 expanded assignments, and a live state that has drifted a little from it.

export interface LargeScenario {
  readonly desired: DesiredState;
  readonly live: LiveState;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function largeScenario(size = { users: 50_000, groups: 5_000, accounts: 2_000, permissionSets: 300 }): LargeScenario {
  const accounts: Account[] = [account('100000000000', 'management')];
  for (let i = 0; i < size.accounts; i++) {
    accounts.push(account(`2${pad(i, 11)}`, `acct-${pad(i, 4)}`, `/Root/Unit${i % 20}/Team${i % 100}`, { tags: { env: i % 4 === 0 ? 'prod' : 'dev' } }));
  }
  const org = organization(accounts, { managementAccountId: '100000000000' });
  const users = Array.from({ length: size.users }, (_, i) => user(`user${pad(i, 5)}@acme.example`));
  const groups = Array.from({ length: size.groups }, (_, i) => group(`group-${pad(i, 4)}`, { description: `Team ${i}` }));
  const memberships = users.map((u, i) => ({ groupName: groups[i % groups.length]!.displayName, userName: u.userName }));
  const permissionSets = Array.from({ length: size.permissionSets }, (_, i) =>
    permissionSet(`PS-${pad(i, 3)}`, { managedPolicies: [managedPolicyArn(i % 2 ? 'ReadOnlyAccess' : 'PowerUserAccess')] }),
  );
  // Each group gets two permission sets across one OU of 20 accounts plus three named accounts:
  // ≈ 5,000 × 2 × 23 ≈ 230,000 tuples.
  const assignments = groups.map((g, i) =>
    rule({
      groups: [g.displayName],
      permissionSets: [permissionSets[i % permissionSets.length]!.name, permissionSets[(i * 7 + 1) % permissionSets.length]!.name],
      ous: [{ path: `/Root/Unit${((i * 7) % 100) % 20}/Team${(i * 7) % 100}`, recursive: true }],
      accounts: [
        accounts[1 + ((i * 13) % size.accounts)]!.id,
        accounts[1 + ((i * 17) % size.accounts)]!.name,
        accounts[1 + ((i * 19) % size.accounts)]!.name,
      ],
      source: at(`assignments/${Math.floor(i / 100)}.yaml`, (i % 100) * 5 + 1),
    }),
  );
  const desired = desiredState({ users, groups, memberships, permissionSets, assignments });

  // Live: everything applied, then drift: 1% of users renamed, 1% of assignments missing,
  // 1,000 extra assignments, 3 permission sets edited, some accounts not provisioned.
  const liveAssignments: LiveAssignment[] = [];
  const provisioning = new Map<string, ReturnType<typeof provisioned>>();
  let n = 0;
  const ouAccounts = new Map<string, string[]>();
  for (const a of accounts.slice(1)) {
    const parts = a.ouPath.split('/');
    for (let k = 2; k <= parts.length; k++) {
      const p = parts.slice(0, k).join('/');
      const list = ouAccounts.get(p) ?? [];
      list.push(a.id);
      ouAccounts.set(p, list);
    }
  }
  const byName = new Map(accounts.map((a) => [a.name, a.id]));
  for (const r of assignments) {
    const ids = new Set<string>([...(ouAccounts.get(r.ous[0]!.path) ?? []), ...r.accounts.map((x) => byName.get(x) ?? x)]);
    for (const id of ids) {
      for (const ps of new Set(r.permissionSets)) {
        if (n++ % 100 === 0) continue;
        liveAssignments.push(liveAssignment('GROUP', r.groups[0]!, ps, id));
        provisioning.set(`${ps}|${id}`, provisioned(ps, id, n % 500 === 0 ? 'LATEST_PERMISSION_SET_NOT_PROVISIONED' : 'LATEST_PERMISSION_SET_PROVISIONED'));
      }
    }
  }
  for (let i = 0; i < 1000; i++) {
    liveAssignments.push(liveAssignment('USER', users[i]!.userName, permissionSets[i % 300]!.name, accounts[1 + (i % size.accounts)]!.id));
  }
  const live = liveState({
    organization: org,
    users: users.map((u, i) => liveUser(i % 100 === 0 ? { ...u, displayName: `${u.displayName} (old)` } : u)),
    groups: groups.map(liveGroup),
    memberships: memberships.map((m) => liveMembership(m.groupName, m.userName)),
    permissionSets: permissionSets.map((p, i) => livePermissionSet(i < 3 ? { ...p, sessionDuration: 'PT2H' } : p)),
    // Stores return snapshots sorted by natural key (see src/stores/aws/read-assignments.ts).
    assignments: liveAssignments.sort(
      (a, b) =>
        compareStrings(a.principalType, b.principalType) ||
        compareStrings(a.principalName ?? a.principalId, b.principalName ?? b.principalId) ||
        compareStrings(a.permissionSetName, b.permissionSetName) ||
        compareStrings(a.accountId, b.accountId),
    ),
    provisioning: [...provisioning.values()].sort(
      (a, b) => compareStrings(a.permissionSetName, b.permissionSetName) || compareStrings(a.accountId, b.accountId),
    ),
  });
  return { desired, live };
}
