import type { AssignmentTuple, CustomerManagedPolicyRef, PrincipalType } from './entities.js';

// Stable string keys for entities. They index `DesiredState.sources`, order plans, and name
// audit targets, so their format is part of the plan file: change it only with format_version.

export const userKey = (userName: string): string => `user:${userName}`;
export const groupKey = (displayName: string): string => `group:${displayName}`;
export const permissionSetKey = (name: string): string => `permissionSet:${name}`;
export const membershipKey = (groupName: string, userName: string): string =>
  `membership:${groupName}|${userName}`;
export const principalKey = (type: PrincipalType, name: string): string =>
  type === 'USER' ? userKey(name) : groupKey(name);
export const assignmentKey = (t: AssignmentTuple): string =>
  `assignment:${t.principalType}:${t.principalName}|${t.permissionSetName}|${t.accountId}`;
export const customerPolicyKey = (ref: CustomerManagedPolicyRef): string => `${ref.path}${ref.name}`;

/** Field-level source key, e.g. `permissionSet:Admin#sessionDuration`. */
export const fieldKey = (entityKey: string, field: string): string => `${entityKey}#${field}`;

/**
 * Identity Store user names and group display names are unique case-insensitively (DESIGN.md,
 * "Identity Center behaviour"): two names that fold alike are the same principal.
 */
export const foldPrincipalName = (name: string): string => name.toLowerCase();

/** Byte-wise string order: independent of locale, so plans are identical on every machine. */
export const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const managedPolicyArn = (nameOrArn: string, partition = 'aws'): string =>
  nameOrArn.startsWith('arn:') ? nameOrArn : `arn:${partition}:iam::aws:policy/${nameOrArn}`;
