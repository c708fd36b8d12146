import type { Change } from '../diff/change.js';
import type { AssignmentTuple } from '../model/entities.js';
import type { DesiredState } from '../model/desired.js';
import { assignmentKey, compareStrings, groupKey, membershipKey, permissionSetKey, userKey } from '../model/keys.js';
import type { LiveState } from '../model/live.js';
import { planChanges, type Plan, type UnmanagedObject } from '../plan/plan.js';
import {
  changedPermissionSetRisk,
  changedUserRisk,
  extraAssignmentRisk,
  extraMembershipRisk,
  extraPermissionSetRisk,
  MISSING_RISK,
  type Risk,
} from './assess-risk.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { createDriftContext, liveAssignmentTuple, type DriftContext } from './drift-context.js';
import {
  DRIFT_FORMAT_VERSION,
  RISK_ORDER,
  type DriftAccount,
  type DriftFinding,
  type DriftKind,
  type DriftReport,
} from './drift-report.js';

export interface DetectDriftInput {
  readonly desired: DesiredState;
  readonly live: LiveState;
  /** The plan from desired to live: its changes are the differences, read the other way round. */
  readonly plan: Plan;
  /** Decides which assignment rules have expired. */
  readonly now: Date;
  /** The privilege model: which grants amount to admin, from the policies (issue 11). */
  readonly privilege: PrivilegeModel;
}

/**
 * Drift is the live state's difference from the config. The plan already knows every
 * difference Gatehouse would fix; drift reads them as findings about the live system (a plan
 * delete is something added by hand, a create something deleted), adds what the plan leaves
 * alone (unmanaged objects, orphans, stale provisioning), and ranks each by risk.
 */
export function detectDrift(input: DetectDriftInput): DriftReport {
  const ctx = createDriftContext(input.desired, input.live, input.plan, input.now, input.privilege);
  const findings: DriftFinding[] = [];
  for (const change of planChanges(input.plan)) {
    const finding = findingForChange(ctx, change);
    if (finding) findings.push(finding);
  }
  const orphanKeys = new Set<string>();
  for (const a of input.live.assignments) {
    if (a.principalName !== undefined || ctx.ignoredPermissionSet(a.permissionSetName)) continue;
    const t = liveAssignmentTuple(a);
    orphanKeys.add(assignmentKey(t));
    findings.push({
      ...assignmentFinding(ctx, 'orphaned', t),
      detail: `${a.permissionSetName} in ${accountLabel(ctx, a.accountId)} is assigned to a ${a.principalType.toLowerCase()} that no longer exists (id ${a.principalId})`,
      live: { principalType: a.principalType, principalId: a.principalId, permissionSetName: a.permissionSetName, accountId: a.accountId },
      risk: 'low',
      riskReason: 'nobody can use it, but it hides in access reviews and would apply to a principal recreated with that id',
    });
  }
  for (const object of input.plan.unmanaged) {
    if (orphanKeys.has(object.key)) continue;
    const finding = findingForUnmanaged(ctx, object);
    if (finding) findings.push(finding);
  }
  // Provisioned but unassigned is a real AWS state (AWS deprovisions after the last assignment
  // goes, asynchronously), and nobody can use a role no assignment grants. Apply re-provisions
  // only pairs that keep an assignment in an active account (plan-provisioning.ts), so only
  // those are drift: a finding apply never fixes would repeat in every report.
  const assignedPairs = new Set<string>();
  const inactive = new Set(input.live.organization.accounts.filter((a) => a.status !== undefined && a.status !== 'ACTIVE').map((a) => a.id));
  for (const a of input.live.assignments) if (!inactive.has(a.accountId)) assignedPairs.add(`${a.permissionSetName}\u0000${a.accountId}`);
  for (const row of input.live.provisioning) {
    if (row.status !== 'LATEST_PERMISSION_SET_NOT_PROVISIONED' || ctx.ignoredPermissionSet(row.permissionSetName)) continue;
    if (!assignedPairs.has(`${row.permissionSetName}\u0000${row.accountId}`)) continue;
    findings.push({
      kind: 'not-provisioned',
      entity: 'provisioning',
      key: `${permissionSetKey(row.permissionSetName)}@${row.accountId}`,
      account: driftAccount(ctx, row.accountId),
      detail: `${row.permissionSetName} in ${accountLabel(ctx, row.accountId)} runs an older version: it was changed and not re-provisioned`,
      live: { status: row.status },
      desired: { status: 'LATEST_PERMISSION_SET_PROVISIONED' },
      risk: 'medium',
      riskReason: 'the account grants something other than the permission set says',
    });
  }
  findings.push(...missingExternalPrincipals(input.desired, input.live));
  return report(findings);
}

/**
 * With an external identity source the config only names principals; one deleted in the IdP
 * is not a plan change but a plan error, and still drift: the config no longer matches.
 */
function missingExternalPrincipals(desired: DesiredState, live: LiveState): DriftFinding[] {
  if (desired.settings.identitySource !== 'external') return [];
  const users = new Set(live.users.map((u) => u.userName));
  const groups = new Set(live.groups.map((g) => g.displayName));
  const risk = { risk: 'medium' as const, riskReason: 'the config cannot be applied until the name is fixed or the principal is back' };
  return [
    ...desired.referencedUsers
      .filter((name) => !users.has(name))
      .map((name): DriftFinding => ({ kind: 'missing', entity: 'user', key: userKey(name), detail: `user ${name} is named in the config but not in the identity store (deleted or renamed in the IdP?)`, desired: { userName: name }, ...risk })),
    ...desired.referencedGroups
      .filter((name) => !groups.has(name))
      .map((name): DriftFinding => ({ kind: 'missing', entity: 'group', key: groupKey(name), detail: `group ${name} is named in the config but not in the identity store (deleted or renamed in the IdP?)`, desired: { displayName: name }, ...risk })),
  ];
}

function report(findings: readonly DriftFinding[]): DriftReport {
  // One finding per (kind, key): the plan and the live scan can both see an object.
  const unique = new Map<string, DriftFinding>();
  for (const f of findings) if (!unique.has(`${f.kind}\u0000${f.key}`)) unique.set(`${f.kind}\u0000${f.key}`, f);
  const sorted = [...unique.values()].sort(
    (a, b) =>
      RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) || compareStrings(a.key, b.key) || compareStrings(a.kind, b.kind),
  );
  const count = (risk: string) => sorted.filter((f) => f.risk === risk).length;
  return {
    formatVersion: DRIFT_FORMAT_VERSION,
    findings: sorted,
    summary: { total: sorted.length, high: count('high'), medium: count('medium'), low: count('low') },
  };
}

function findingForChange(ctx: DriftContext, change: Change): DriftFinding | undefined {
  switch (change.kind) {
    case 'user.create':
      return missing('user', userKey(change.after.userName), `user ${change.after.userName} is in the config but not in the identity store`, change.after);
    case 'group.create':
      return missing('group', groupKey(change.after.displayName), `group ${change.after.displayName} is in the config but not in the identity store`, change.after);
    case 'permissionSet.create':
      return missing('permissionSet', permissionSetKey(change.after.name), `permission set ${change.after.name} is in the config but not in Identity Center`, change.after);
    case 'membership.add':
      return missing(
        'membership',
        membershipKey(change.groupName, change.userName),
        `${change.userName} should be a member of ${change.groupName} and is not`,
        { groupName: change.groupName, userName: change.userName },
      );
    case 'assignment.create':
      return {
        ...assignmentFinding(ctx, 'missing', change.assignment),
        detail: `${describeGrant(ctx, change.assignment)} is in the config but not live`,
        desired: change.assignment,
        ...MISSING_RISK,
      };
    case 'user.update':
      return changed('user', userKey(change.after.userName), change.before, change.after, change.fields, changedUserRisk(change.fields));
    case 'group.update':
      return changed('group', groupKey(change.after.displayName), change.before, change.after, change.fields, {
        risk: 'low',
        riskReason: 'descriptive fields only',
      });
    case 'permissionSet.update':
      return changed(
        'permissionSet',
        permissionSetKey(change.after.name),
        change.before,
        change.after,
        change.fields,
        changedPermissionSetRisk(ctx, change.before, change.after, change.fields),
      );
    // Provisioning is read from the live status (below): content-changed provisions follow
    // from a permission set update, which is the finding.
    case 'permissionSet.provision':
      return undefined;
    case 'user.delete':
      return added('user', userKey(change.before.userName), `user ${change.before.userName} is not in the config`, change.before, {
        risk: 'low',
        riskReason: 'a user alone grants nothing; its memberships and assignments are listed separately',
      });
    case 'group.delete':
      return added('group', groupKey(change.before.displayName), `group ${change.before.displayName} is not in the config`, change.before, {
        risk: 'low',
        riskReason: 'a group alone grants nothing; its members and assignments are listed separately',
      });
    case 'permissionSet.delete':
      return added(
        'permissionSet',
        permissionSetKey(change.before.name),
        `permission set ${change.before.name} is not in the config`,
        change.before,
        extraPermissionSetRisk(ctx, change.before),
      );
    case 'membership.remove':
      if (change.membershipId !== undefined) {
        return {
          kind: 'orphaned',
          entity: 'membership',
          key: membershipKey(change.groupName, change.userName),
          detail: `membership ${change.membershipId} refers to a group or user that no longer exists`,
          live: { groupName: change.groupName, userName: change.userName, membershipId: change.membershipId },
          risk: 'low',
          riskReason: 'nobody can use it',
        };
      }
      return added(
        'membership',
        membershipKey(change.groupName, change.userName),
        `${change.userName} is a member of ${change.groupName}, which the config does not say`,
        { groupName: change.groupName, userName: change.userName },
        extraMembershipRisk(ctx, change.groupName),
      );
    case 'assignment.delete':
      return extraAssignment(ctx, change.assignment, change.cause);
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

function extraAssignment(
  ctx: DriftContext,
  t: AssignmentTuple,
  cause: 'undeclared' | 'expired' | 'orphaned' | 'renamed' | undefined,
): DriftFinding | undefined {
  // Orphans come from the live scan, which also sees those the plan leaves alone.
  if (cause === 'orphaned') return undefined;
  const key = assignmentKey(t);
  if (cause === 'expired') {
    const rule = ctx.expired.get(key);
    const when = rule?.expires ? ` on ${rule.expires}` : '';
    const where = rule ? ` (${rule.source.file}:${rule.source.line}:${rule.source.col})` : '';
    return {
      ...assignmentFinding(ctx, 'expired', t),
      detail: `${describeGrant(ctx, t)} expired${when}${where} but is still live`,
      live: t,
      ...(rule ? { desired: { expires: rule.expires, reason: rule.reason } } : {}),
      ...extraAssignmentRisk(ctx, t, true),
    };
  }
  const renamed = cause === 'renamed' ? '; the config renamed its permission set' : '';
  return {
    ...assignmentFinding(ctx, 'added', t),
    detail: `${describeGrant(ctx, t)} is live but not in the config${renamed}`,
    live: t,
    ...extraAssignmentRisk(ctx, t, false),
  };
}

/** A live object outside the config that ownership `keep` leaves alone: still drift, never pruned. */
function findingForUnmanaged(ctx: DriftContext, object: UnmanagedObject): DriftFinding | undefined {
  const base = { kind: 'unmanaged' as const, key: object.key };
  const note = ' (ownership keep: apply leaves it alone)';
  switch (object.kind) {
    case 'assignment': {
      const a = ctx.liveAssignments.get(object.key);
      if (!a) return undefined;
      const t = liveAssignmentTuple(a);
      return {
        ...assignmentFinding(ctx, 'unmanaged', t),
        detail: `${describeGrant(ctx, t)} is live but not in the config${note}`,
        live: t,
        ...extraAssignmentRisk(ctx, t, false),
      };
    }
    case 'membership': {
      const m = ctx.liveMemberships.get(object.key);
      if (!m?.groupName || !m.userName) return undefined;
      return {
        ...base,
        entity: 'membership',
        detail: `${m.userName} is a member of ${m.groupName}, which the config does not say${note}`,
        live: { groupName: m.groupName, userName: m.userName },
        ...extraMembershipRisk(ctx, m.groupName),
      };
    }
    case 'permissionSet': {
      const name = object.key.slice('permissionSet:'.length);
      const ps = ctx.live.permissionSets.find((p) => p.name === name);
      if (!ps) return undefined;
      return { ...base, entity: 'permissionSet', detail: `permission set ${name} is not in the config${note}`, live: withoutId(ps), ...extraPermissionSetRisk(ctx, ps) };
    }
    case 'user':
      return {
        ...base,
        entity: 'user',
        detail: `user ${object.key.slice('user:'.length)} is not in the config${note}`,
        risk: 'low',
        riskReason: 'a user alone grants nothing; its memberships and assignments are listed separately',
      };
    case 'group':
      return {
        ...base,
        entity: 'group',
        detail: `group ${object.key.slice('group:'.length)} is not in the config${note}`,
        risk: 'low',
        riskReason: 'a group alone grants nothing; its members and assignments are listed separately',
      };
    default: {
      const never: never = object.kind;
      throw new Error(`unknown unmanaged kind ${String(never)}`);
    }
  }
}

function missing(entity: DriftFinding['entity'], key: string, detail: string, desired: unknown): DriftFinding {
  return { kind: 'missing', entity, key, detail, desired, ...MISSING_RISK };
}

function added(entity: DriftFinding['entity'], key: string, detail: string, live: unknown, risk: Risk): DriftFinding {
  return { kind: 'added', entity, key, detail, live, ...risk };
}

function changed<T extends object>(
  entity: DriftFinding['entity'],
  key: string,
  live: T,
  desired: T,
  fields: readonly string[],
  risk: Risk,
): DriftFinding {
  return {
    kind: 'changed',
    entity,
    key,
    detail: `${key.slice(key.indexOf(':') + 1)} differs from the config in ${fields.join(', ')}`,
    fields,
    live: pick(live, fields),
    desired: pick(desired, fields),
    ...risk,
  };
}

function assignmentFinding(ctx: DriftContext, kind: DriftKind, t: AssignmentTuple) {
  return { kind, entity: 'assignment' as const, key: assignmentKey(t), account: driftAccount(ctx, t.accountId) };
}

function driftAccount(ctx: DriftContext, id: string): DriftAccount {
  const name = ctx.account(id)?.name;
  return name === undefined ? { id } : { id, name };
}

const accountLabel = (ctx: DriftContext, id: string): string => {
  const name = ctx.account(id)?.name;
  return name === undefined ? id : `${name} (${id})`;
};

const describeGrant = (ctx: DriftContext, t: AssignmentTuple): string =>
  `${t.principalType === 'USER' ? 'user' : 'group'} ${t.principalName} with ${t.permissionSetName} in ${accountLabel(ctx, t.accountId)}`;

/** Only the differing fields, with absent ones as null so both sides show the same keys. */
function pick(value: object, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (value as Record<string, unknown>)[f] ?? null;
  return out;
}

function withoutId<T extends { arn?: string }>(value: T): Omit<T, 'arn'> {
  const { arn: _arn, ...rest } = value;
  return rest;
}
