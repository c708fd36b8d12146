import type {
  AssignmentTuple,
  GroupSpec,
  PermissionSetSpec,
  UserSpec,
} from '../model/entities.js';
import { assignmentKey, groupKey, membershipKey, permissionSetKey, userKey } from '../model/keys.js';

// The closed set of changes a plan can hold. Each carries whole objects (before/after), by
// natural keys; a store resolves names to ids when it performs the change, because objects
// created earlier in the same apply have no id at plan time.

export type Action = 'create' | 'update' | 'delete';

export type Change =
  | { readonly kind: 'user.create'; readonly after: UserSpec }
  | { readonly kind: 'user.update'; readonly before: UserSpec; readonly after: UserSpec; readonly fields: readonly string[] }
  | { readonly kind: 'user.delete'; readonly before: UserSpec }
  | { readonly kind: 'group.create'; readonly after: GroupSpec }
  | { readonly kind: 'group.update'; readonly before: GroupSpec; readonly after: GroupSpec; readonly fields: readonly string[] }
  | { readonly kind: 'group.delete'; readonly before: GroupSpec }
  | { readonly kind: 'membership.add'; readonly groupName: string; readonly userName: string }
  | {
      readonly kind: 'membership.remove';
      readonly groupName: string;
      readonly userName: string;
      /** Set when the membership's group or user no longer resolves by name. */
      readonly membershipId?: string;
    }
  /** Creates the permission set with its attributes, tags and every policy. */
  | {
      readonly kind: 'permissionSet.create';
      readonly after: PermissionSetSpec;
      /** Set when this creation is the new half of a rename (`renamedFrom`), for display. */
      readonly renamedFrom?: string;
    }
  /** Brings attributes, tags and policies from `before` to `after` (only the differing parts). */
  | { readonly kind: 'permissionSet.update'; readonly before: PermissionSetSpec; readonly after: PermissionSetSpec; readonly fields: readonly string[] }
  /** Re-provision to one account so the account gets the latest version. */
  | { readonly kind: 'permissionSet.provision'; readonly permissionSetName: string; readonly accountId: string; readonly reason: 'content-changed' | 'not-provisioned' }
  /** Detaches every policy, then deletes. */
  | {
      readonly kind: 'permissionSet.delete';
      readonly before: PermissionSetSpec;
      /** Set when this deletion is the old half of a rename, for display. */
      readonly renamedTo?: string;
    }
  | { readonly kind: 'assignment.create'; readonly assignment: AssignmentTuple; readonly reason?: string; readonly expires?: string }
  | {
      readonly kind: 'assignment.delete';
      readonly assignment: AssignmentTuple;
      /** Set for orphans: the principal no longer exists, so it can only be named by id. */
      readonly principalId?: string;
      readonly cause?: 'undeclared' | 'expired' | 'orphaned' | 'renamed';
    };

export type ChangeKind = Change['kind'];

export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

export function actionOf(change: Change): Action {
  switch (change.kind) {
    case 'user.create':
    case 'group.create':
    case 'membership.add':
    case 'permissionSet.create':
    case 'assignment.create':
      return 'create';
    case 'user.update':
    case 'group.update':
    case 'permissionSet.update':
    case 'permissionSet.provision':
      return 'update';
    case 'user.delete':
    case 'group.delete':
    case 'membership.remove':
    case 'permissionSet.delete':
    case 'assignment.delete':
      return 'delete';
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}

/** Terraform's symbols: what a person scanning the plan looks for first. */
export const ACTION_SYMBOL: Readonly<Record<Action, string>> = { create: '+', update: '~', delete: '-' };

/** The entity a change acts on, as a stable key (see model/keys.ts). Used to sort and to audit. */
export function changeTarget(change: Change): string {
  switch (change.kind) {
    case 'user.create':
    case 'user.update':
      return userKey(change.after.userName);
    case 'user.delete':
      return userKey(change.before.userName);
    case 'group.create':
    case 'group.update':
      return groupKey(change.after.displayName);
    case 'group.delete':
      return groupKey(change.before.displayName);
    case 'membership.add':
    case 'membership.remove':
      return membershipKey(change.groupName, change.userName);
    case 'permissionSet.create':
    case 'permissionSet.update':
      return permissionSetKey(change.after.name);
    case 'permissionSet.delete':
      return permissionSetKey(change.before.name);
    case 'permissionSet.provision':
      return `${permissionSetKey(change.permissionSetName)}@${change.accountId}`;
    case 'assignment.create':
    case 'assignment.delete':
      return assignmentKey(change.assignment);
    default: {
      const never: never = change;
      throw new Error(`unknown change ${JSON.stringify(never)}`);
    }
  }
}
