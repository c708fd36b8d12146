import type {
  GroupSpec,
  Organization,
  PermissionSetSpec,
  PrincipalType,
  UserSpec,
} from './entities.js';

export interface LiveUser extends UserSpec {
  readonly id: string;
}

export interface LiveGroup extends GroupSpec {
  readonly id: string;
}

export interface LiveMembership {
  readonly membershipId: string;
  readonly groupId: string;
  readonly userId: string;
  /** Resolved names; undefined when the group/user no longer exists. */
  readonly groupName?: string;
  readonly userName?: string;
}

export interface LivePermissionSet extends PermissionSetSpec {
  readonly arn: string;
}

export interface LiveAssignment {
  readonly principalType: PrincipalType;
  readonly principalId: string;
  /** Undefined when the principal no longer exists in the identity store (an orphan). */
  readonly principalName?: string;
  readonly permissionSetArn: string;
  readonly permissionSetName: string;
  readonly accountId: string;
}

/** Where a permission set is provisioned, and whether the account has its latest version. */
export interface LiveProvisioning {
  readonly permissionSetName: string;
  readonly accountId: string;
  readonly status: 'LATEST_PERMISSION_SET_PROVISIONED' | 'LATEST_PERMISSION_SET_NOT_PROVISIONED';
}

/**
 * What the credentials a store uses may not do, though the config may ask for it: AWS would
 * answer AccessDenied half-way through an apply. The store knows (who is calling, what AWS
 * allows them); the planner turns it into errors at the config's file:line.
 */
export interface CallerRestrictions {
  /** Accounts where assignments cannot be created or deleted nor permission sets provisioned, with why. */
  readonly accounts: readonly { readonly accountId: string; readonly reason: string }[];
  /** Permission sets that cannot be updated, deleted or have their policies changed, with why. */
  readonly permissionSets: readonly { readonly name: string; readonly reason: string }[];
}

/** What a store saw. Arrays are sorted by natural key so snapshots compare byte for byte. */
export interface LiveState {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly organization: Organization;
  readonly users: readonly LiveUser[];
  readonly groups: readonly LiveGroup[];
  readonly memberships: readonly LiveMembership[];
  readonly permissionSets: readonly LivePermissionSet[];
  readonly assignments: readonly LiveAssignment[];
  readonly provisioning: readonly LiveProvisioning[];
  /** Absent when the caller may do everything a plan can hold (the embedded store, the management account). */
  readonly restrictions?: CallerRestrictions;
}
