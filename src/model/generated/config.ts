// Generated from schemas/config.schema.json by scripts/gen-types.mjs (npm run gen). Do not edit.
/* eslint-disable */

/**
 * Account name, or 12-digit account id written in quotes ("012345678901").
 */
export type AccountRef = string;
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
 * A privilege level computed from a permission set's policies: admin, privilege-escalation, write, read-only.
 */
export type PrivilegeLevel = 'admin' | 'privilege-escalation' | 'write' | 'read-only';

/**
 * A Gatehouse config file: any of the sections users, groups, permissionSets, assignments, guardrails. Sections from all files of the config directory merge.
 */
export interface GatehouseConfig {
  /**
   * Identity Store users, keyed by userName. Not allowed with identitySource external.
   */
  users?: User[];
  /**
   * Identity Store groups, keyed by their display name, with their members. Not allowed with identitySource external.
   */
  groups?: Group[];
  /**
   * Permission sets, keyed by name.
   */
  permissionSets?: PermissionSet[];
  /**
   * Assignment rules: principals × permission sets × target accounts, expanded at plan time.
   */
  assignments?: Assignment[];
  /**
   * Rules over the desired state and its effective access, checked before apply.
   */
  guardrails?: Guardrail[];
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
   */
  accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
     */
    accounts?: AccountRef[];
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
