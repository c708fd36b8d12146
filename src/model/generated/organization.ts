// Generated from schemas/organization.schema.json by scripts/gen-types.mjs (npm run gen). Do not edit.
/* eslint-disable */

/**
 * The AWS organisation (OUs, accounts, tags) for the embedded store and reference checks.
 */
export interface OrganizationFile {
  /**
   * 12-digit id of the management account, quoted ("111111111111").
   */
  managementAccountId: string;
  /**
   * Accounts directly under Root.
   */
  accounts?: OrganizationAccount[];
  /**
   * Organisational units directly under Root.
   */
  ous?: OrganizationOu[];
}
/**
 * An AWS account.
 */
export interface OrganizationAccount {
  /**
   * 12-digit account id, quoted ("222222222222").
   */
  id: string;
  /**
   * Account name, unique in the organisation.
   */
  name: string;
  /**
   * Root email of the account.
   */
  email?: string;
  /**
   * Account state, as Organizations' Account.State (default ACTIVE). Only ACTIVE accounts are assignment targets.
   */
  status?: 'PENDING_ACTIVATION' | 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' | 'CLOSED';
  /**
   * Account tags, used by accountTags targets.
   */
  tags?: {
    /**
     * Tag value.
     */
    [k: string]: string;
  };
}
/**
 * An organisational unit with its accounts and child OUs.
 */
export interface OrganizationOu {
  /**
   * OU name; its path is the parent's path + /name.
   */
  name: string;
  /**
   * OU id (ou-xxxx-xxxxxxxx); derived from the path when absent.
   */
  id?: string;
  /**
   * Accounts directly in this OU.
   */
  accounts?: OrganizationAccount[];
  /**
   * Child OUs.
   */
  ous?: OrganizationOu[];
}
