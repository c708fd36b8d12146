import { changeTarget, type Change } from '../diff/change.js';
import type { AuditEntry, AuditOutcome } from './audit-record.js';

export interface AuditContext {
  readonly time: Date;
  readonly actor: string;
  readonly gitCommit?: string;
  readonly planId: string;
}

export interface ChangeResult {
  readonly outcome: AuditOutcome;
  readonly requestIds: readonly string[];
  readonly error?: string;
}

/** The audit entry for one performed change: the applier's `record` hook calls this. */
export function auditEntryFor(change: Change, context: AuditContext, result: ChangeResult): AuditEntry {
  return {
    time: context.time,
    actor: context.actor,
    ...(context.gitCommit ? { gitCommit: context.gitCommit } : {}),
    planId: context.planId,
    operation: change.kind,
    target: changeTarget(change),
    ...beforeAfter(change),
    requestIds: result.requestIds,
    outcome: result.outcome,
    ...(result.error !== undefined ? { error: result.error } : {}),
  };
}

function beforeAfter(change: Change): { before?: unknown; after?: unknown } {
  switch (change.kind) {
    case 'user.create':
    case 'group.create':
    case 'permissionSet.create':
      return { after: change.after };
    case 'user.update':
    case 'group.update':
    case 'permissionSet.update':
      return { before: change.before, after: change.after };
    case 'user.delete':
    case 'group.delete':
    case 'permissionSet.delete':
      return { before: change.before };
    case 'membership.add':
      return { after: { groupName: change.groupName, userName: change.userName } };
    case 'membership.remove':
      return { before: { groupName: change.groupName, userName: change.userName, membershipId: change.membershipId } };
    case 'permissionSet.provision':
      return { after: { permissionSetName: change.permissionSetName, accountId: change.accountId, reason: change.reason } };
    case 'assignment.create':
      return { after: { ...change.assignment, reason: change.reason, expires: change.expires } };
    case 'assignment.delete':
      return { before: { ...change.assignment, principalId: change.principalId, cause: change.cause } };
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}
