import type pLimit from 'p-limit';
import type { CustomerManagedPolicyRef, PermissionsBoundary } from '../../model/entities.js';
import { presentText } from '../../model/blank-text.js';
import { compareStrings } from '../../model/keys.js';
import type { LivePermissionSet } from '../../model/live.js';
import { AwsServiceError, type AwsCaller } from '../aws-caller.js';
import { listAll } from './paginate.js';
import { tagRecord } from './read-organization.js';

// Permission sets with everything attached. Identity Center has no "describe everything" call,
// so each costs six: Describe, managed policies, customer managed references, inline policy,
// permissions boundary, tags.

interface WirePolicyRef { readonly Name: string; readonly Path?: string }
interface WireBoundary {
  readonly ManagedPolicyArn?: string;
  readonly CustomerManagedPolicyReference?: WirePolicyRef;
}

export async function readPermissionSets(caller: AwsCaller, instanceArn: string, limit: ReturnType<typeof pLimit>): Promise<LivePermissionSet[]> {
  const arns = await listAll<string>(caller, 'sso-admin', 'ListPermissionSets', { InstanceArn: instanceArn }, 'PermissionSets');
  const sets = await Promise.all(arns.map((arn) => readPermissionSet(caller, instanceArn, arn, limit)));
  return sets.sort((a, b) => compareStrings(a.name, b.name));
}

async function readPermissionSet(caller: AwsCaller, instanceArn: string, arn: string, limit: ReturnType<typeof pLimit>): Promise<LivePermissionSet> {
  const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
  const [described, managed, customer, inline, boundary, tags] = await Promise.all([
    limit(() => caller.call('sso-admin', 'DescribePermissionSet', input)),
    limit(() => listAll<{ Arn: string }>(caller, 'sso-admin', 'ListManagedPoliciesInPermissionSet', input, 'AttachedManagedPolicies')),
    limit(() => listAll<WirePolicyRef>(caller, 'sso-admin', 'ListCustomerManagedPolicyReferencesInPermissionSet', input, 'CustomerManagedPolicyReferences')),
    limit(() => caller.call('sso-admin', 'GetInlinePolicyForPermissionSet', input)),
    limit(() => readBoundary(caller, input)),
    limit(() => listAll<{ Key: string; Value: string }>(caller, 'sso-admin', 'ListTagsForResource', { InstanceArn: instanceArn, ResourceArn: arn }, 'Tags')),
  ]);
  const ps = (described.PermissionSet ?? {}) as {
    Name?: string;
    Description?: string;
    SessionDuration?: string;
    RelayState?: string;
  };
  // As stored: the diff compares policies canonically, so whitespace never shows as drift.
  const inlinePolicy = typeof inline.InlinePolicy === 'string' && inline.InlinePolicy !== '' ? inline.InlinePolicy : undefined;
  return {
    arn,
    name: ps.Name ?? '',
    // Blank is how a description or relay state is cleared (AWS cannot remove them).
    ...(presentText(ps.Description) !== undefined ? { description: ps.Description! } : {}),
    // AWS's default; an unset duration means one hour.
    sessionDuration: ps.SessionDuration ?? 'PT1H',
    ...(presentText(ps.RelayState) !== undefined ? { relayState: ps.RelayState! } : {}),
    managedPolicies: [...new Set(managed.map((p) => p.Arn))].sort(compareStrings),
    customerManagedPolicies: customer.map(policyRef).sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.name, b.name)),
    ...(inlinePolicy !== undefined ? { inlinePolicy } : {}),
    ...(boundary ? { permissionsBoundary: boundary } : {}),
    tags: tagRecord(tags),
  };
}

const policyRef = (p: WirePolicyRef): CustomerManagedPolicyRef => ({ name: p.Name, path: p.Path ?? '/' });

/** AWS answers ResourceNotFoundException when a permission set has no boundary. */
async function readBoundary(caller: AwsCaller, input: Record<string, string>): Promise<PermissionsBoundary | undefined> {
  try {
    const out = await caller.call('sso-admin', 'GetPermissionsBoundaryForPermissionSet', input);
    const wire = out.PermissionsBoundary as WireBoundary | undefined;
    if (wire?.ManagedPolicyArn) return { managedPolicyArn: wire.ManagedPolicyArn };
    if (wire?.CustomerManagedPolicyReference) return { customerManagedPolicy: policyRef(wire.CustomerManagedPolicyReference) };
    return undefined;
  } catch (err) {
    if (err instanceof AwsServiceError && err.errorName === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}
