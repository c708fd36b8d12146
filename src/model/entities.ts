// Domain entities in their normalised form: what the planner compares.
// Desired (from YAML) and live (from a store) use the same shapes, so diff is a plain comparison.
// Natural keys only (userName, group displayName, permission set name, account id); ids are the
// store's business and appear only on the Live* variants.

export type PrincipalType = 'USER' | 'GROUP';

export interface UserSpec {
  readonly userName: string;
  readonly displayName: string;
  readonly givenName: string;
  readonly familyName: string;
  /** Primary work email, if any. */
  readonly email?: string;
  readonly title?: string;
}

export interface GroupSpec {
  readonly displayName: string;
  readonly description?: string;
}

export interface Membership {
  readonly groupName: string;
  readonly userName: string;
}

export interface CustomerManagedPolicyRef {
  readonly name: string;
  /** Always set after normalisation; AWS's default is "/". */
  readonly path: string;
}

export interface PermissionsBoundary {
  readonly managedPolicyArn?: string;
  readonly customerManagedPolicy?: CustomerManagedPolicyRef;
}

export interface PermissionSetSpec {
  readonly name: string;
  readonly description?: string;
  /** ISO 8601 duration; AWS's default is PT1H, so normalisation always sets it. */
  readonly sessionDuration: string;
  readonly relayState?: string;
  /** Full ARNs (`arn:aws:iam::aws:policy/...`), sorted, unique. */
  readonly managedPolicies: readonly string[];
  /** Sorted by path then name, unique. */
  readonly customerManagedPolicies: readonly CustomerManagedPolicyRef[];
  /** The policy document as a JSON string (pretty, 2-space); compare with canonicalPolicy(). */
  readonly inlinePolicy?: string;
  readonly permissionsBoundary?: PermissionsBoundary;
  readonly tags: Readonly<Record<string, string>>;
}

/** One atomic account assignment, by natural keys. */
export interface AssignmentTuple {
  readonly principalType: PrincipalType;
  readonly principalName: string;
  readonly permissionSetName: string;
  readonly accountId: string;
}

export interface OrganizationalUnit {
  readonly id: string;
  /** e.g. `/Root/Workloads/Prod`; the root is `/Root`. */
  readonly path: string;
  readonly name: string;
}

/** Organizations' AccountState enum (reference/organizations.service.json). */
export type AccountState = 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';

export const ACCOUNT_STATES: readonly AccountState[] = ['PENDING_ACTIVATION', 'ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED'];

export interface Account {
  readonly id: string;
  readonly name: string;
  /** Path of the OU the account sits in directly. */
  readonly ouPath: string;
  readonly email?: string;
  /**
   * The account's lifecycle state (Organizations `Account.State`; the older `Status` is read only
   * as a fallback, it is retired on September 9, 2026). Absent means ACTIVE. Only an ACTIVE
   * account is ever a target.
   */
  readonly status?: AccountState;
  readonly tags: Readonly<Record<string, string>>;
}

/** The AWS organisation: live state that Gatehouse reads and never changes. */
export interface Organization {
  readonly managementAccountId: string;
  readonly ous: readonly OrganizationalUnit[];
  readonly accounts: readonly Account[];
}
