import { createPrivilegeModel, type PrivilegeData, type PrivilegeModel } from '../privilege/privilege-model.js';
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

let model: PrivilegeModel | undefined;

/** One privilege model per process: the catalogue is indexed once, permission sets analysed once per content. */
export function privilegeModel(): PrivilegeModel {
  model ??= createPrivilegeModel(privilegeData());
  return model;
}
