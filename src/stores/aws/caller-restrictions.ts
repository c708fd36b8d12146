import type { CallerRestrictions, LiveProvisioning } from '../../model/live.js';
import { compareStrings } from '../../model/keys.js';

// What a delegated administrator may not do. AWS recommends administering IAM Identity Center
// from a delegated administrator (member) account; "Register a member account"
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html)
// lists what it cannot do, of which a plan can hold two:
// - "Enabling or disabling user access in the management account": no assignment created or
//   deleted, and nothing provisioned, in the management account;
// - "Managing permission sets provisioned in the management account": no update, delete or
//   policy change of a permission set provisioned there.
// And the sso-admin model on ListAccountAssignmentsForPrincipal: "This action must be called
// from the management account containing your organization instance of IAM Identity Center."
// (read-assignments.ts never lists by principal for any other caller).

export interface CallerInput {
  /** What sts:GetCallerIdentity answered; undefined when it could not be learnt. */
  readonly callerAccountId: string | undefined;
  readonly managementAccountId: string;
  readonly provisioning: readonly LiveProvisioning[];
}

/** True only when the caller is known to be the management account. */
export const isManagementCaller = (input: Pick<CallerInput, 'callerAccountId' | 'managementAccountId'>): boolean =>
  input.callerAccountId !== undefined && input.managementAccountId !== '' && input.callerAccountId === input.managementAccountId;

/** Undefined for the management account (and when the caller is unknown: AWS will say). */
export function callerRestrictions(input: CallerInput): CallerRestrictions | undefined {
  const { callerAccountId, managementAccountId } = input;
  if (callerAccountId === undefined || managementAccountId === '' || isManagementCaller(input)) return undefined;
  const who = `the credentials are of account ${callerAccountId}, a delegated administrator, not the management account ${managementAccountId}`;
  const provisionedThere = [...new Set(input.provisioning.filter((p) => p.accountId === managementAccountId).map((p) => p.permissionSetName))].sort(compareStrings);
  return {
    accounts: [{ accountId: managementAccountId, reason: `${who}; AWS lets only the management account manage access to itself` }],
    permissionSets: provisionedThere.map((name) => ({
      name,
      reason: `${who}; AWS lets only the management account change a permission set provisioned in the management account`,
    })),
  };
}
