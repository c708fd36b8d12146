import type { GroupSpec, Membership, PermissionSetSpec, UserSpec } from './entities.js';

/** A place in a config file; line and col are 1-based. */
export interface SourceRange {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export type Ownership = 'prune' | 'keep';
export type OwnedKind = 'users' | 'groups' | 'memberships' | 'permissionSets' | 'assignments';

export interface IgnoreRules {
  /** Glob patterns (`*` matches any run of characters) on natural keys. */
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly permissionSets: readonly string[];
  /** Assignments whose principal or permission set name matches are left alone. */
  readonly assignmentPrincipals: readonly string[];
}

export interface Settings {
  readonly version: 1;
  /**
   * `instance.region`; absent when the config names none, and the AWS store then takes the
   * region from the AWS environment as the AWS CLI does (stores/aws/resolve-connection.ts).
   */
  readonly region?: string;
  readonly identitySource: 'internal' | 'external';
  readonly ssoStartUrl?: string;
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
  readonly ownership: Readonly<Record<OwnedKind, Ownership>>;
  readonly ignore: IgnoreRules;
  readonly safety: {
    /** Deleting more than this many objects needs --allow-mass-delete. */
    readonly maxDeletes: number;
    /** ...or more than this fraction of the managed live objects (0..1). */
    readonly maxDeleteFraction: number;
    /** validate and plan warn about assignments that expire within this span, e.g. `14d`. */
    readonly expiryWarning?: string;
  };
  readonly limits: {
    readonly maxPoliciesPerPermissionSet: number;
    readonly maxFileBytes: number;
  };
  /** Path of the organisation file for the embedded store, relative to the config directory. */
  readonly organizationFile?: string;
  /** `state:` as written: the shared state when --state is absent (a sqlite: path is relative to the config directory). */
  readonly stateUrl?: string;
}

/** OU target: `path` with its descendants unless recursive is false. */
export interface OuTarget {
  readonly path: string;
  readonly recursive: boolean;
}

/** An assignment as written: principals × permission sets × targets. Expanded at plan time. */
export interface AssignmentRule {
  readonly users: readonly string[];
  readonly groups: readonly string[];
  readonly permissionSets: readonly string[];
  /** Account names or 12-digit ids, as written. */
  readonly accounts: readonly string[];
  readonly ous: readonly OuTarget[];
  /** Every listed tag must match (AND). */
  readonly accountTags: Readonly<Record<string, string>>;
  readonly exclude: {
    readonly accounts: readonly string[];
    readonly ous: readonly OuTarget[];
  };
  /** ISO 8601 instant; after it the rule expands to nothing. */
  readonly expires?: string;
  readonly reason?: string;
  readonly source: SourceRange;
  /** Its place among the assignments of its file, when the loader knows it (see Entry.position). */
  readonly position?: number;
}

export interface GuardrailRule {
  readonly name: string;
  readonly description?: string;
  /** Rule body as written; interpreted by access/guardrails. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly source: SourceRange;
}

/**
 * The desired state, loaded and validated. `sources` maps entity keys (see keys.ts) and
 * `key#field` to where they were written, so later stages can report `file:line:col`.
 */
export interface DesiredState {
  readonly settings: Settings;
  readonly users: readonly UserSpec[];
  readonly groups: readonly GroupSpec[];
  readonly memberships: readonly Membership[];
  readonly permissionSets: readonly PermissionSetSpec[];
  /** Old name → new name, from `renamedFrom` on a permission set. */
  readonly permissionSetRenames: Readonly<Record<string, string>>;
  /**
   * Old userName → new, from `renamedFrom` on a user; absent when none. A rename is an
   * in-place UpdateUser: the user keeps its id, memberships and assignments.
   */
  readonly userRenames?: Readonly<Record<string, string>>;
  /** Old group name → new, from `renamedFrom` on a group (an in-place UpdateGroup). */
  readonly groupRenames?: Readonly<Record<string, string>>;
  readonly assignments: readonly AssignmentRule[];
  readonly guardrails: readonly GuardrailRule[];
  /**
   * With identitySource external: principals the config names but does not define
   * (resolved in the live store at plan time; a missing one is a plan error).
   */
  readonly referencedUsers: readonly string[];
  readonly referencedGroups: readonly string[];
  readonly sources: ReadonlyMap<string, SourceRange>;
}
