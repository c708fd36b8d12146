import { nameMatcher, type NameMatcher } from '../diff/ignore-matcher.js';
import { expandAssignments, type ExpandedAssignment } from '../expand/expand-assignments.js';
import type { Account, AssignmentTuple, PermissionSetSpec } from '../model/entities.js';
import type { DesiredState } from '../model/desired.js';
import { assignmentKey, membershipKey } from '../model/keys.js';
import type { LiveAssignment, LiveMembership, LiveState } from '../model/live.js';
import type { Plan } from '../plan/plan.js';
import { planChanges } from '../plan/plan.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { adminLevelReason, productionReason } from './risk-signals.js';

/** Lookups the finding builders share, computed once per report. */
export interface DriftContext {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** What permission sets allow, from their policies: admin-level grants rank first. */
  readonly privilege: PrivilegeModel;
  account(id: string): Account | undefined;
  /** The live version when there is one (that is what grants access now), else the desired. */
  permissionSet(name: string): PermissionSetSpec | undefined;
  /** adminLevelReason of that version, computed once per name. */
  adminReason(permissionSetName: string): string | undefined;
  readonly ignoredPermissionSet: NameMatcher;
  /** Live assignments by assignmentKey; orphans keyed by principal id (as the planner does). */
  readonly liveAssignments: ReadonlyMap<string, LiveAssignment>;
  readonly liveMemberships: ReadonlyMap<string, LiveMembership>;
  /** Expired grants by assignmentKey, with the rule's expiry and source. */
  readonly expired: ReadonlyMap<string, ExpandedAssignment>;
  /** Group name → what makes it an admin group (admin-level grants, live or planned). */
  readonly adminGroups: ReadonlyMap<string, AdminGrant>;
  /** Groups that grant anything at all. */
  readonly grantingGroups: ReadonlySet<string>;
}

export interface AdminGrant {
  readonly permissionSetName: string;
  readonly adminReason: string;
  /** Set when one of its admin grants is in a production account. */
  readonly production?: { readonly account: Account; readonly reason: string };
}

export const liveAssignmentTuple = (a: LiveAssignment): AssignmentTuple => ({
  principalType: a.principalType,
  principalName: a.principalName ?? a.principalId,
  permissionSetName: a.permissionSetName,
  accountId: a.accountId,
});

export function createDriftContext(desired: DesiredState, live: LiveState, plan: Plan, now: Date, privilege: PrivilegeModel): DriftContext {
  const accounts = new Map(live.organization.accounts.map((a) => [a.id, a]));
  const livePermissionSets = new Map(live.permissionSets.map((p) => [p.name, p as PermissionSetSpec]));
  const desiredPermissionSets = new Map(desired.permissionSets.map((p) => [p.name, p]));
  const permissionSet = (name: string) => livePermissionSets.get(name) ?? desiredPermissionSets.get(name);
  const adminReasons = new Map<string, string | undefined>();
  const adminReason = (name: string): string | undefined => {
    if (!adminReasons.has(name)) {
      const ps = permissionSet(name);
      adminReasons.set(name, ps && adminLevelReason(ps, privilege));
    }
    return adminReasons.get(name);
  };

  const liveAssignments = new Map(live.assignments.map((a) => [assignmentKey(liveAssignmentTuple(a)), a]));
  const liveMemberships = new Map<string, LiveMembership>();
  for (const m of live.memberships) {
    if (m.groupName !== undefined && m.userName !== undefined) liveMemberships.set(membershipKey(m.groupName, m.userName), m);
  }

  const expired = new Map<string, ExpandedAssignment>();
  for (const t of expandAssignments(desired.assignments, live.organization, now).expired) expired.set(assignmentKey(t), t);

  // A group's grants once the plan is applied, plus what it holds now: either makes a
  // membership in it worth a look.
  const groupGrants: AssignmentTuple[] = live.assignments
    .filter((a) => a.principalType === 'GROUP' && a.principalName !== undefined)
    .map(liveAssignmentTuple);
  for (const change of planChanges(plan)) {
    if (change.kind === 'assignment.create' && change.assignment.principalType === 'GROUP') groupGrants.push(change.assignment);
  }
  const adminGroups = new Map<string, AdminGrant>();
  const grantingGroups = new Set<string>();
  for (const grant of groupGrants) {
    grantingGroups.add(grant.principalName);
    const reason = adminReason(grant.permissionSetName);
    if (!reason) continue;
    const account = accounts.get(grant.accountId);
    const prodReason = productionReason(account);
    const known = adminGroups.get(grant.principalName);
    if (known?.production) continue;
    if (known && !prodReason) continue;
    adminGroups.set(grant.principalName, {
      permissionSetName: grant.permissionSetName,
      adminReason: reason,
      ...(account && prodReason ? { production: { account, reason: prodReason } } : {}),
    });
  }

  return {
    desired,
    live,
    privilege,
    account: (id) => accounts.get(id),
    permissionSet,
    adminReason,
    ignoredPermissionSet: nameMatcher(desired.settings.ignore.permissionSets),
    liveAssignments,
    liveMemberships,
    expired,
    adminGroups,
    grantingGroups,
  };
}
