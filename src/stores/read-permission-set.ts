import type { CustomerManagedPolicyRef, PermissionSetSpec, PermissionsBoundary } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import type { AwsCaller, AwsOutput } from './aws-caller.js';
import { isNotFound } from './classify-aws-error.js';

// A permission set read back through the API as a spec: attributes, every policy kind, tags.
// Used to converge a permission set whose state is not known from a snapshot.

async function allPages(caller: AwsCaller, operation: string, input: Record<string, unknown>, member: string): Promise<unknown[]> {
  const items: unknown[] = [];
  let token: string | undefined;
  do {
    const page: AwsOutput = await caller.call('sso-admin', operation, { ...input, ...(token ? { NextToken: token } : {}) });
    items.push(...(((page[member] as unknown[] | undefined) ?? [])));
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
  } while (token);
  return items;
}

export async function readPermissionSetSpec(caller: AwsCaller, instanceArn: string, arn: string): Promise<PermissionSetSpec> {
  const ref = { InstanceArn: instanceArn, PermissionSetArn: arn };
  const described = (await caller.call('sso-admin', 'DescribePermissionSet', ref)).PermissionSet as Record<string, string | undefined>;
  const managed = (await allPages(caller, 'ListManagedPoliciesInPermissionSet', ref, 'AttachedManagedPolicies')) as { Arn: string }[];
  const customer = (await allPages(caller, 'ListCustomerManagedPolicyReferencesInPermissionSet', ref, 'CustomerManagedPolicyReferences')) as {
    Name: string;
    Path?: string;
  }[];
  const inline = (await caller.call('sso-admin', 'GetInlinePolicyForPermissionSet', ref)).InlinePolicy;
  let boundary: PermissionsBoundary | undefined;
  try {
    const b = (await caller.call('sso-admin', 'GetPermissionsBoundaryForPermissionSet', ref)).PermissionsBoundary as
      | { ManagedPolicyArn?: string; CustomerManagedPolicyReference?: { Name: string; Path?: string } }
      | undefined;
    if (b?.ManagedPolicyArn) boundary = { managedPolicyArn: b.ManagedPolicyArn };
    else if (b?.CustomerManagedPolicyReference) {
      boundary = { customerManagedPolicy: { name: b.CustomerManagedPolicyReference.Name, path: b.CustomerManagedPolicyReference.Path ?? '/' } };
    }
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const tags = (await allPages(caller, 'ListTagsForResource', { InstanceArn: instanceArn, ResourceArn: arn }, 'Tags')) as { Key: string; Value: string }[];
  const customerRefs: CustomerManagedPolicyRef[] = customer
    .map((c) => ({ name: c.Name, path: c.Path ?? '/' }))
    .sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.name, b.name));
  return {
    name: described.Name ?? '',
    // A blank description or relay state is how Gatehouse clears one (AWS cannot remove them).
    ...(described.Description?.trim() ? { description: described.Description } : {}),
    sessionDuration: described.SessionDuration ?? 'PT1H',
    ...(described.RelayState?.trim() ? { relayState: described.RelayState } : {}),
    managedPolicies: managed.map((m) => m.Arn).sort(compareStrings),
    customerManagedPolicies: customerRefs,
    ...(typeof inline === 'string' && inline !== '' ? { inlinePolicy: inline } : {}),
    ...(boundary ? { permissionsBoundary: boundary } : {}),
    tags: Object.fromEntries(tags.map((t) => [t.Key, t.Value]).sort((a, b) => compareStrings(a[0]!, b[0]!))),
  };
}
