import type { AssignmentTuple, PermissionSetSpec } from '../model/entities.js';
import type { DriftContext } from './drift-context.js';
import type { RiskLevel } from './drift-report.js';
import { adminLevelReason, productionReason } from './risk-signals.js';

// Risk ranks what a reviewer should look at first. Extra access outranks missing access
// (a missing grant locks someone out, who will say so; an extra grant is silent), and admin in
// production outranks everything. Admin is what a permission set's policies allow (the
// privilege model: admin or privilege-escalation), never its name.

export interface Risk {
  readonly risk: RiskLevel;
  readonly riskReason: string;
}

/** An assignment live but not granted by the config: added by hand, unmanaged or expired. */
export function extraAssignmentRisk(ctx: DriftContext, t: AssignmentTuple, expired: boolean): Risk {
  const admin = ctx.adminReason(t.permissionSetName);
  const prod = productionReason(ctx.account(t.accountId));
  const why = expired ? 'access past its expiry' : 'access the config does not grant';
  if (admin && prod) return { risk: 'high', riskReason: `admin-level permission set (${admin}) in a production account (${prod}): ${why}` };
  if (admin) return { risk: 'medium', riskReason: `admin-level permission set (${admin}): ${why}` };
  if (prod) return { risk: 'medium', riskReason: `production account (${prod}): ${why}` };
  return { risk: 'medium', riskReason: why };
}

/** A membership live but not in the config: the user gains whatever the group grants. */
export function extraMembershipRisk(ctx: DriftContext, groupName: string): Risk {
  const admin = ctx.adminGroups.get(groupName);
  if (admin?.production) {
    return {
      risk: 'high',
      riskReason: `the group holds admin-level ${admin.permissionSetName} (${admin.adminReason}) in production account ${admin.production.account.name} (${admin.production.reason})`,
    };
  }
  if (admin) return { risk: 'medium', riskReason: `the group holds admin-level ${admin.permissionSetName} (${admin.adminReason})` };
  if (ctx.grantingGroups.has(groupName)) return { risk: 'medium', riskReason: 'the user gains the access the group grants' };
  return { risk: 'low', riskReason: 'the group grants no access' };
}

export function extraPermissionSetRisk(ctx: DriftContext, ps: PermissionSetSpec): Risk {
  const admin = adminLevelReason(ps, ctx.privilege);
  return admin
    ? { risk: 'medium', riskReason: `admin-level (${admin}), ready to be assigned` }
    : { risk: 'low', riskReason: 'grants nothing until assigned; its assignments are listed separately' };
}

const POLICY_FIELDS = new Set(['managedPolicies', 'customerManagedPolicies', 'inlinePolicy', 'permissionsBoundary']);

/** A permission set whose live fields differ from the config. */
export function changedPermissionSetRisk(
  ctx: DriftContext,
  live: PermissionSetSpec,
  desired: PermissionSetSpec,
  fields: readonly string[],
): Risk {
  if (!fields.some((f) => POLICY_FIELDS.has(f))) {
    return fields.includes('sessionDuration')
      ? { risk: 'low', riskReason: 'session length differs; what it grants is unchanged' }
      : { risk: 'low', riskReason: 'descriptive fields only; what it grants is unchanged' };
  }
  const liveAdmin = adminLevelReason(live, ctx.privilege);
  if (liveAdmin && !adminLevelReason(desired, ctx.privilege)) {
    const prodAccount = ctx.live.assignments
      .filter((a) => a.permissionSetName === live.name)
      .map((a) => ctx.account(a.accountId))
      .find((account) => productionReason(account) !== undefined);
    return prodAccount
      ? { risk: 'high', riskReason: `made admin-level by hand (${liveAdmin}) and assigned in production account ${prodAccount.name}` }
      : { risk: 'medium', riskReason: `made admin-level by hand (${liveAdmin})` };
  }
  return { risk: 'medium', riskReason: 'its policies differ from the config, so it grants something else' };
}

export function changedUserRisk(fields: readonly string[]): Risk {
  return fields.includes('email')
    ? { risk: 'medium', riskReason: 'the email address receives sign-in and password-reset mail' }
    : { risk: 'low', riskReason: 'descriptive fields only' };
}

export const MISSING_RISK: Risk = {
  risk: 'low',
  riskReason: 'less access than the config grants; apply restores it',
};
