// Generated from schemas/gatehouse.schema.json by scripts/gen-types.mjs (npm run gen). Do not edit.
/* eslint-disable */

/**
 * Identity Store users, keyed by userName.
 */
export type Users = User[];
/**
 * Identity Store groups with their members.
 */
export type Groups = Group[];
/**
 * Permission sets, keyed by name.
 */
export type PermissionSets = PermissionSet[];
/**
 * An OU path such as /Root/Workloads/Prod, or { path, recursive }.
 */
export type OuTargetInput =
  | string
  | {
      /**
       * OU path, e.g. /Root/Sandbox.
       */
      path: string;
      /**
       * Include the accounts of descendant OUs (default true).
       */
      recursive?: boolean;
    };
/**
 * Assignment rules.
 */
export type Assignments = Assignment[];
/**
 * A privilege level computed from a permission set's policies: admin, privilege-escalation, write, read-only.
 */
export type PrivilegeLevel = 'admin' | 'privilege-escalation' | 'write' | 'read-only';
/**
 * Guardrail rules.
 */
export type Guardrails = Guardrail[];

/**
 * The root file gatehouse.yaml: settings, and optionally any config section.
 */
export interface GatehouseRoot {
  /**
   * Config format version; must be 1.
   */
  version: 1;
  /**
   * The IAM Identity Center instance.
   */
  instance?: {
    /**
     * AWS Region of the instance (default: AWS_REGION, AWS_DEFAULT_REGION, then the AWS profile's region, as the AWS CLI).
     */
    region?: string;
    /**
     * internal: Gatehouse manages users and groups; external: they come from an IdP via SCIM and are only referenced.
     */
    identitySource?: 'internal' | 'external';
    /**
     * AWS access portal URL, e.g. https://acme.awsapps.com/start.
     */
    ssoStartUrl?: string;
    /**
     * Instance ARN; discovered with ListInstances when absent.
     */
    instanceArn?: string;
    /**
     * Identity store id; discovered with ListInstances when absent.
     */
    identityStoreId?: string;
  };
  /**
   * Where the apply lock, the audit chain and the applied plans live (what --state overrides): sqlite:PATH (relative to this directory) or dynamodb:TABLE[@REGION] (docs/aws-setup.md). Default: the embedded store's own file, or .gatehouse/audit.db for --store aws.
   */
  state?: string;
  /**
   * Path of the organisation file (accounts, OUs, tags) relative to this directory; used by the embedded store and to check references.
   */
  organization?: string;
  /**
   * Which files below this directory are config, as globs relative to it (`*` within a folder, `**` across folders, `?`, `{a,b}`), e.g. ["identity/** /*.yaml"]. Default: every *.yaml and *.yml file below it. gatehouse.yaml and the organisation file are always read.
   *
   * Items: A glob relative to this directory.
   */
  include?: string[];
  /**
   * Per kind: prune deletes what the config does not declare (full GitOps); keep leaves it alone and reports it.
   */
  ownership?: {
    /**
     * Undeclared users: prune or keep (default prune).
     */
    users?: 'prune' | 'keep';
    /**
     * Undeclared groups: prune or keep (default prune).
     */
    groups?: 'prune' | 'keep';
    /**
     * Undeclared memberships: prune or keep (default prune).
     */
    memberships?: 'prune' | 'keep';
    /**
     * Undeclared permission sets: prune or keep (default prune).
     */
    permissionSets?: 'prune' | 'keep';
    /**
     * Undeclared assignments: prune or keep (default prune).
     */
    assignments?: 'prune' | 'keep';
  };
  /**
   * Glob patterns (* matches any run of characters) on names; matching live objects are never touched.
   */
  ignore?: {
    /**
     * userName patterns; their memberships and direct assignments are left alone too.
     *
     * Items: Glob pattern.
     */
    users?: string[];
    /**
     * Group name patterns; their members and assignments are left alone too (default: the groups AWS Control Tower creates, AWSAccountFactory, AWSAuditAccountAdmins, AWSControlTower*, AWSLogArchive*, AWSSecurityAudit*, AWSServiceCatalogAdmins). A list replaces the default.
     *
     * Items: Glob pattern.
     */
    groups?: string[];
    /**
     * Permission set name patterns (default: the permission sets AWS Control Tower creates, AWSAdministratorAccess, AWSOrganizationsFullAccess, AWSPowerUserAccess, AWSReadOnlyAccess, AWSServiceCatalog*). A list replaces the default.
     *
     * Items: Glob pattern.
     */
    permissionSets?: string[];
    /**
     * Assignments whose principal or permission set name matches are left alone.
     *
     * Items: Glob pattern.
     */
    assignmentPrincipals?: string[];
  };
  /**
   * Guards against mass deletion.
   */
  safety?: {
    /**
     * More deletions than this need --allow-mass-delete (default 25).
     */
    maxDeletes?: number;
    /**
     * ...or more than this fraction (0..1) of managed live objects (default 0.25).
     */
    maxDeleteFraction?: number;
    /**
     * validate and plan warn about assignments that expire within this span: minutes, hours, days or weeks, e.g. 14d, 2w, 48h (default 14d).
     */
    expiryWarning?: string;
  };
  /**
   * Limits checked by validate.
   */
  limits?: {
    /**
     * Managed + customer managed policies per permission set (default 10, AWS's default quota; raise it to what your account's quota was raised to, at most 20).
     */
    maxPoliciesPerPermissionSet?: number;
    /**
     * Largest config file read, in bytes (default 5242880).
     */
    maxFileBytes?: number;
  };
  users?: Users;
  groups?: Groups;
  permissionSets?: PermissionSets;
  assignments?: Assignments;
  guardrails?: Guardrails;
}
/**
 * An Identity Store user.
 */
export interface User {
  /**
   * Unique user name, the user's natural key, unique case-insensitively (1-128 characters; not Administrator or AWSAdministrators).
   */
  userName: string;
  /**
   * Previous userName: the user is renamed in place (UpdateUser), keeping its id, memberships and assignments.
   */
  renamedFrom?: string;
  /**
   * Name shown in the access portal. Identity Center needs it to create a user; a user created elsewhere without one may leave it out.
   */
  displayName?: string;
  /**
   * The user's given and family name. Identity Center needs both to create a user; a user created elsewhere without them may leave them out.
   */
  name?: {
    /**
     * Given (first) name.
     */
    given?: string;
    /**
     * Family (last) name.
     */
    family?: string;
  };
  /**
   * Primary work email.
   */
  email?: string;
  /**
   * Job title.
   */
  title?: string;
}
/**
 * An Identity Store group.
 */
export interface Group {
  /**
   * The group's display name, its natural key, unique case-insensitively (1-1024 characters; not Administrator or AWSAdministrators).
   */
  name: string;
  /**
   * Previous name: the group is renamed in place (UpdateGroup), keeping its id, members and assignments.
   */
  renamedFrom?: string;
  /**
   * What the group is for.
   */
  description?: string;
  /**
   * userNames of the group's members.
   *
   * Items: A userName defined under users.
   */
  members?: string[];
}
/**
 * A permission set: a template of IAM policies provisioned as a role into target accounts.
 */
export interface PermissionSet {
  /**
   * Permission set name, its natural key (1-32 characters [\w+=,.@-]).
   */
  name: string;
  /**
   * Previous name: the rename creates this permission set, moves the assignments and deletes the old one.
   */
  renamedFrom?: string;
  /**
   * Description (at most 700 characters, Latin-1).
   */
  description?: string;
  /**
   * ISO 8601 duration of a console/CLI session, PT1H to PT12H; defaults to PT1H.
   */
  sessionDuration?: string;
  /**
   * URL the console opens after sign-in (at most 240 characters).
   */
  relayState?: string;
  /**
   * AWS managed policies: short names (AdministratorAccess, job-function/ViewOnlyAccess) or full ARNs.
   *
   * Items: AWS managed policy name or ARN.
   */
  managedPolicies?: string[];
  /**
   * Customer managed policies, referenced by name and path.
   */
  customerManagedPolicies?: CustomerManagedPolicy[];
  /**
   * The inline IAM policy: a JSON file path relative to this YAML file, or the policy document itself.
   */
  inlinePolicy?: string | {};
  /**
   * Permissions boundary: exactly one of customerManagedPolicy or managedPolicy.
   */
  permissionsBoundary?: {
    customerManagedPolicy?: CustomerManagedPolicy1;
    /**
     * An AWS managed policy (short name or ARN) used as the boundary.
     */
    managedPolicy?: string;
  };
  tags?: Tags;
}
/**
 * A customer managed policy that must exist under this name and path in every target account.
 */
export interface CustomerManagedPolicy {
  /**
   * IAM policy name (1-128 characters [\w+=,.@-]).
   */
  name: string;
  /**
   * IAM path, e.g. / or /acme/; defaults to /.
   */
  path?: string;
}
/**
 * A customer managed policy that must exist under this name and path in every target account.
 */
export interface CustomerManagedPolicy1 {
  /**
   * IAM policy name (1-128 characters [\w+=,.@-]).
   */
  name: string;
  /**
   * IAM path, e.g. / or /acme/; defaults to /.
   */
  path?: string;
}
/**
 * Tags on the permission set (at most 50).
 */
export interface Tags {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * Grants each listed principal each listed permission set in every target account.
 */
export interface Assignment {
  /**
   * userNames granted the permission sets.
   *
   * Items: A userName.
   */
  users?: string[];
  /**
   * Group names granted the permission sets.
   *
   * Items: A group name.
   */
  groups?: string[];
  /**
   * Names of permission sets defined under permissionSets.
   *
   * @minItems 1
   *
   * Items: A permission set name.
   */
  permissionSets: [string, ...string[]];
  /**
   * Target accounts by name or quoted 12-digit id; the only way to target the management account.
   *
   * Items: Account name, or 12-digit account id written in quotes ("012345678901").
   */
  accounts?: string[];
  /**
   * Target OUs by path; with their descendants unless recursive is false.
   */
  ous?: OuTargetInput[];
  /**
   * Whether the plain-string ous of this rule include descendant OUs (default true).
   */
  recursive?: boolean;
  accountTags?: Tags1;
  /**
   * Accounts and OUs removed from the targets.
   */
  exclude?: {
    /**
     * Accounts (names or quoted ids) never targeted by this rule.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OUs (with descendants unless recursive is false) never targeted by this rule.
     */
    ous?: OuTargetInput[];
  };
  /**
   * ISO 8601 instant (e.g. 2027-01-31T00:00:00Z) after which the rule grants nothing.
   */
  expires?: string;
  /**
   * Why the access is granted (ticket, incident).
   */
  reason?: string;
}
/**
 * Target accounts whose tags match all of these.
 */
export interface Tags1 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * A rule over the desired state and its effective access: exactly one of deny, maxSessionDuration, directAssignmentsExpire, protect, minAdmins, maxHolders. Violations block apply (error) or are reported (warning).
 */
export interface Guardrail {
  /**
   * Guardrail name, unique.
   */
  name: string;
  /**
   * What the guardrail protects and why.
   */
  description?: string;
  /**
   * Access matching all of these conditions is denied.
   */
  deny?: {
    /**
     * Whom the assignment is written to: USER matches only direct user assignments, GROUP only group assignments. To cover every user however they hold the access, use effectiveUsers.
     *
     * Items: USER or GROUP.
     */
    principalTypes?: ('USER' | 'GROUP')[];
    /**
     * userNames the rule applies to, directly or through any group they are in.
     *
     * Items: A userName.
     */
    users?: string[];
    /**
     * Matches an assignment held by any of these users, directly or through any group (`*`: any user). "No user may hold X" is effectiveUsers: ["*"], which a one-member group cannot get around.
     *
     * Items: A userName, or * for every user.
     */
    effectiveUsers?: string[];
    /**
     * Group names the rule applies to.
     *
     * Items: A group name.
     */
    groups?: string[];
    /**
     * Permission set names the rule applies to. Names change: to catch what a permission set grants, use privilege or actions.
     *
     * Items: A permission set name.
     */
    permissionSets?: string[];
    /**
     * Matches permission sets at these privilege levels, computed from their policies: renaming a permission set or rewriting its policy cannot get around it.
     */
    privilege?: PrivilegeLevel[];
    /**
     * Matches permission sets that allow (or possibly allow) any of these IAM actions; wildcards as in IAM, e.g. iam:* or organizations:LeaveOrganization.
     *
     * Items: An IAM action pattern.
     */
    actions?: string[];
    /**
     * How privilege and actions treat what the config cannot see (customer managed policies): possibly (default), as allowing anything; or ignore, the analysed statements alone (statements with a condition count as allowing either way).
     */
    unknownContent?: 'possibly' | 'ignore';
    /**
     * Accounts (names or quoted ids) the rule applies to.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OUs the rule applies to (with descendants).
     *
     * Items: OU path.
     */
    ous?: string[];
    accountTags?: Tags2;
  };
  /**
   * Permission sets assigned in the selected accounts must not allow sessions longer than max.
   */
  maxSessionDuration?: {
    /**
     * ISO 8601 duration, e.g. PT4H.
     */
    max: string;
    /**
     * Accounts (names or quoted ids); with ous and accountTags, all must match. None: every account.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OU paths, with descendants.
     *
     * Items: OU path.
     */
    ous?: string[];
    accountTags?: Tags3;
  };
  /**
   * Assignments written directly to users must carry expires, at most withinDays ahead.
   */
  directAssignmentsExpire?: {
    /**
     * Days from now.
     */
    withinDays: number;
  };
  /**
   * Principals (a break-glass group) that must always hold permissionSet in every selected account: a config that would remove it is an error, so a plan never prunes it.
   */
  protect?: {
    /**
     * Group names.
     *
     * Items: A group name.
     */
    groups?: string[];
    /**
     * userNames.
     *
     * Items: A userName.
     */
    users?: string[];
    /**
     * The permission set they must hold.
     */
    permissionSet: string;
    /**
     * Accounts (names or quoted ids); with ous and accountTags, all must match. None: every account.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OU paths, with descendants.
     *
     * Items: OU path.
     */
    ous?: string[];
    accountTags?: Tags4;
  };
  /**
   * At least count users hold admin (computed from policies) in each selected account, so nobody locks everyone out.
   */
  minAdmins?: {
    /**
     * Minimum number of users.
     */
    count: number;
    /**
     * Accounts (names or quoted ids); with ous and accountTags, all must match. None: every account.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OU paths, with descendants.
     *
     * Items: OU path.
     */
    ous?: string[];
    accountTags?: Tags5;
  };
  /**
   * At most count users hold privilege, or a higher level, in each selected account.
   */
  maxHolders?: {
    privilege: PrivilegeLevel;
    /**
     * Maximum number of users.
     */
    count: number;
    /**
     * Accounts (names or quoted ids); with ous and accountTags, all must match. None: every account.
     *
     * Items: Account name, or 12-digit account id written in quotes ("012345678901").
     */
    accounts?: string[];
    /**
     * OU paths, with descendants.
     *
     * Items: OU path.
     */
    ous?: string[];
    accountTags?: Tags6;
  };
  /**
   * error blocks apply; warning is reported only. Default error.
   */
  severity?: 'error' | 'warning';
}
/**
 * Accounts whose tags match all of these.
 */
export interface Tags2 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * Accounts whose tags match all of these.
 */
export interface Tags3 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * Accounts whose tags match all of these.
 */
export interface Tags4 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * Accounts whose tags match all of these.
 */
export interface Tags5 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
/**
 * Accounts whose tags match all of these.
 */
export interface Tags6 {
  /**
   * Tag value.
   */
  [k: string]: string;
}
