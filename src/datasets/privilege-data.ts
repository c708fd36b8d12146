import type { PrivilegeData } from '../privilege/privilege-model.js';
import { awsManagedPolicy, awsManagedPolicySource } from './aws-managed-policies.js';
import { iamActionsData } from './iam-actions.js';

/** The datasets the privilege model reads, gathered at the edge for the core. */
export function privilegeData(): PrivilegeData {
  const source = awsManagedPolicySource();
  return {
    actions: iamActionsData(),
    managedPolicy: (arn) => awsManagedPolicy(arn.slice(arn.lastIndexOf('/') + 1))?.document,
    managedPoliciesSource: `${source.package}@${source.version}`,
  };
}
