import type pLimit from 'p-limit';
import type { PrincipalType } from '../../model/entities.js';
import { compareStrings } from '../../model/keys.js';
import type { LiveAssignment, LiveGroup, LiveProvisioning, LiveUser } from '../../model/live.js';
import type { AwsCaller } from '../aws-caller.js';
import { listAll } from './paginate.js';

// Provisioning status and account assignments, read the cheap way. ListAccountAssignments needs
// an (account, permission set) pair, and a pair with nothing provisioned has no assignments
// (AWS provisions on the first assignment), so only provisioned pairs are listed. When there are
// fewer principals than provisioned pairs, listing per principal costs fewer calls.
//
// What AWS guarantees, and what it does not: the sso-admin model says that "as part of a
// successful CreateAccountAssignment call, the specified permission set will automatically be
// provisioned to the account", and that ListAccountsForProvisionedPermissionSet /
// ListPermissionSetsProvisionedToAccount list where a permission set is provisioned. Neither
// it nor the IAM Identity Center guides say when those listings show a pair after the request
// reports SUCCEEDED: no read-after-write consistency is documented for them. So discovery
// through them may miss a fresh assignment. Two defences: the pairs a store has just written
// are listed with ListAccountAssignments on the pair whatever the provisioning listings say
// (`confirm`), and the per-principal listing, which does not depend on provisioning at all, is
// not filtered by it.

type Limit = ReturnType<typeof pLimit>;

export interface PermissionSetRef {
  readonly arn: string;
  readonly name: string;
}

export interface ProvisionedPair {
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly status: LiveProvisioning['status'];
}

const NOT_LATEST = 'LATEST_PERMISSION_SET_NOT_PROVISIONED';

/**
 * Two listings per permission set (all accounts, then the stale ones) or per account, whichever
 * side is smaller. A permission set or account with nothing provisioned skips its second call.
 */
export async function readProvisioning(
  caller: AwsCaller,
  instanceArn: string,
  accountIds: readonly string[],
  permissionSets: readonly PermissionSetRef[],
  limit: Limit,
): Promise<ProvisionedPair[]> {
  const inScope = new Set(permissionSets.map((p) => p.arn));
  const pairs: ProvisionedPair[] = [];
  if (permissionSets.length <= accountIds.length) {
    await Promise.all(
      permissionSets.map(async (ps) => {
        const input = { InstanceArn: instanceArn, PermissionSetArn: ps.arn };
        const all = await limit(() => listAll<string>(caller, 'sso-admin', 'ListAccountsForProvisionedPermissionSet', input, 'AccountIds'));
        if (all.length === 0) return;
        const stale = new Set(
          await limit(() => listAll<string>(caller, 'sso-admin', 'ListAccountsForProvisionedPermissionSet', { ...input, ProvisioningStatus: NOT_LATEST }, 'AccountIds')),
        );
        for (const accountId of new Set(all)) pairs.push({ accountId, permissionSetArn: ps.arn, status: statusOf(stale.has(accountId)) });
      }),
    );
  } else {
    await Promise.all(
      accountIds.map(async (accountId) => {
        const input = { InstanceArn: instanceArn, AccountId: accountId };
        const all = await limit(() => listAll<string>(caller, 'sso-admin', 'ListPermissionSetsProvisionedToAccount', input, 'PermissionSets'));
        const scoped = [...new Set(all)].filter((arn) => inScope.has(arn));
        if (scoped.length === 0) return;
        const stale = new Set(
          await limit(() => listAll<string>(caller, 'sso-admin', 'ListPermissionSetsProvisionedToAccount', { ...input, ProvisioningStatus: NOT_LATEST }, 'PermissionSets')),
        );
        for (const arn of scoped) pairs.push({ accountId, permissionSetArn: arn, status: statusOf(stale.has(arn)) });
      }),
    );
  }
  return pairs;
}

const statusOf = (stale: boolean): LiveProvisioning['status'] => (stale ? NOT_LATEST : 'LATEST_PERMISSION_SET_PROVISIONED');

interface WireAssignment {
  readonly AccountId: string;
  readonly PermissionSetArn: string;
  readonly PrincipalType: PrincipalType;
  readonly PrincipalId: string;
}

export type AssignmentScan = 'auto' | 'by-pair' | 'by-principal';

export interface AssignmentReadInput {
  readonly caller: AwsCaller;
  readonly instanceArn: string;
  readonly pairs: readonly ProvisionedPair[];
  readonly permissionSets: readonly PermissionSetRef[];
  readonly users: readonly LiveUser[];
  readonly groups: readonly LiveGroup[];
  readonly limit: Limit;
  readonly scan?: AssignmentScan;
  /**
   * Pairs to list directly even when the provisioning listings do not (yet) show them: those
   * this process has just written (see the note at the top).
   */
  readonly confirm?: readonly Pick<ProvisionedPair, 'accountId' | 'permissionSetArn'>[];
}

/** Which listing costs fewer calls: one per provisioned pair, or one per principal. */
export function chooseAssignmentScan(pairCount: number, principalCount: number): Exclude<AssignmentScan, 'auto'> {
  return principalCount < pairCount ? 'by-principal' : 'by-pair';
}

export async function readAssignments(input: AssignmentReadInput): Promise<LiveAssignment[]> {
  const { caller, instanceArn, pairs, limit } = input;
  const scan = !input.scan || input.scan === 'auto' ? chooseAssignmentScan(pairs.length, input.users.length + input.groups.length) : input.scan;
  const listed = new Set(pairs.map((p) => pairKey(p.accountId, p.permissionSetArn)));
  const unlisted = uniquePairs((input.confirm ?? []).filter((p) => !listed.has(pairKey(p.accountId, p.permissionSetArn))));
  const candidates: readonly Pick<ProvisionedPair, 'accountId' | 'permissionSetArn'>[] = [...pairs, ...unlisted];
  const byPair = (list: readonly Pick<ProvisionedPair, 'accountId' | 'permissionSetArn'>[]) =>
    Promise.all(
      list.map((pair) =>
        limit(() =>
          listAll<WireAssignment>(caller, 'sso-admin', 'ListAccountAssignments', { InstanceArn: instanceArn, AccountId: pair.accountId, PermissionSetArn: pair.permissionSetArn }, 'AccountAssignments'),
        ),
      ),
    ).then((lists) => lists.flat());

  let wire: WireAssignment[];
  if (scan === 'by-pair') {
    wire = await byPair(candidates);
  } else {
    const principals = [
      ...input.users.map((u) => ({ type: 'USER' as const, id: u.id })),
      ...input.groups.map((g) => ({ type: 'GROUP' as const, id: g.id })),
    ];
    const lists = await Promise.all(
      principals.map((p) =>
        limit(() =>
          listAll<WireAssignment>(caller, 'sso-admin', 'ListAccountAssignmentsForPrincipal', { InstanceArn: instanceArn, PrincipalId: p.id, PrincipalType: p.type }, 'AccountAssignments').then((found) =>
            // The principal listing may omit the type on each item; the request names it.
            found.map((a) => ({ ...a, PrincipalId: a.PrincipalId ?? p.id, PrincipalType: a.PrincipalType ?? p.type })),
          ),
        ),
      ),
    );
    // Kept by permission set scope, not by the provisioning listings, which may lag.
    const inScope = new Set(input.permissionSets.map((p) => p.arn));
    wire = lists.flat().filter((a) => inScope.has(a.PermissionSetArn));
    // Assignments of deleted principals (orphans) are invisible per principal; a provisioned
    // pair that no live principal explains is listed directly to find them.
    const explained = new Set(wire.map((a) => pairKey(a.AccountId, a.PermissionSetArn)));
    // A loop, not push(...): the orphan listing can be large enough to overflow the call stack.
    for (const a of await byPair(candidates.filter((p) => !explained.has(pairKey(p.accountId, p.permissionSetArn))))) wire.push(a);
  }
  return toLiveAssignments(wire, input);
}

const pairKey = (accountId: string, arn: string): string => `${accountId}|${arn}`;

function uniquePairs<T extends Pick<ProvisionedPair, 'accountId' | 'permissionSetArn'>>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    const key = pairKey(p.accountId, p.permissionSetArn);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toLiveAssignments(wire: readonly WireAssignment[], input: AssignmentReadInput): LiveAssignment[] {
  const psNames = new Map(input.permissionSets.map((p) => [p.arn, p.name]));
  const userNames = new Map(input.users.map((u) => [u.id, u.userName]));
  const groupNames = new Map(input.groups.map((g) => [g.id, g.displayName]));
  const seen = new Set<string>();
  const out: LiveAssignment[] = [];
  for (const a of wire) {
    const key = `${a.PrincipalType}|${a.PrincipalId}|${a.PermissionSetArn}|${a.AccountId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const principalName = (a.PrincipalType === 'USER' ? userNames : groupNames).get(a.PrincipalId);
    out.push({
      principalType: a.PrincipalType,
      principalId: a.PrincipalId,
      ...(principalName !== undefined ? { principalName } : {}),
      permissionSetArn: a.PermissionSetArn,
      permissionSetName: psNames.get(a.PermissionSetArn) ?? a.PermissionSetArn,
      accountId: a.AccountId,
    });
  }
  return out.sort(
    (a, b) =>
      compareStrings(a.principalType, b.principalType) ||
      compareStrings(a.principalName ?? '', b.principalName ?? '') ||
      compareStrings(a.permissionSetName, b.permissionSetName) ||
      compareStrings(a.accountId, b.accountId) ||
      compareStrings(a.principalId, b.principalId),
  );
}
