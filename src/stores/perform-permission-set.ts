import type { ChangeOf } from '../diff/change.js';
import { canonicalPolicy } from '../diff/canonical-json.js';
import { OutcomeUnknownError, RetryableError, TerminalError } from '../diagnostics/errors.js';
import type { CustomerManagedPolicyRef, PermissionSetSpec, PermissionsBoundary } from '../model/entities.js';
import { customerPolicyKey } from '../model/keys.js';
import { isAlreadyExists, isNotFound } from './classify-aws-error.js';
import { requireId } from './id-resolver.js';
import type { PerformSession } from './perform-session.js';
import { readPermissionSetSpec } from './read-permission-set.js';

// Permission sets take several calls: create, then each policy kind; an update touches only
// the parts that differ. Each step tolerates finding its goal already reached, so a change
// retried after a partial failure (throttled halfway) converges instead of failing.

const BLANK = ' ';

const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

const boundaryKey = (b: PermissionsBoundary | undefined): string | undefined =>
  b?.managedPolicyArn ?? (b?.customerManagedPolicy ? `cmp:${customerPolicyKey({ name: b.customerManagedPolicy.name, path: b.customerManagedPolicy.path || '/' })}` : undefined);

const customerRef = (r: CustomerManagedPolicyRef) => ({ Name: r.name, Path: r.path || '/' });

function boundaryWire(b: PermissionsBoundary) {
  return b.managedPolicyArn
    ? { ManagedPolicyArn: b.managedPolicyArn }
    : { CustomerManagedPolicyReference: customerRef(b.customerManagedPolicy!) };
}

/** Brings the permission set at `arn` from `before` to `after`, one API call per differing part. */
async function converge(s: PerformSession, arn: string, before: PermissionSetSpec, after: PermissionSetSpec): Promise<void> {
  const ref = { InstanceArn: s.instanceArn, PermissionSetArn: arn };

  // AWS cannot remove a description or relay state (both need a character): a blank clears
  // them, and stores read a blank one as none (see read-permission-set.ts).
  const attributes: Record<string, string> = {};
  if (opt(before.description) !== opt(after.description)) attributes.Description = opt(after.description) ?? BLANK;
  if (before.sessionDuration !== after.sessionDuration) attributes.SessionDuration = after.sessionDuration;
  if (opt(before.relayState) !== opt(after.relayState)) attributes.RelayState = opt(after.relayState) ?? BLANK;
  if (Object.keys(attributes).length > 0) await s.write('sso-admin', 'UpdatePermissionSet', { ...ref, ...attributes });

  // Detach before attaching: the per-set policy quota counts both kinds together.
  const wantManaged = new Set(after.managedPolicies);
  const haveManaged = new Set(before.managedPolicies);
  for (const policy of haveManaged) {
    if (!wantManaged.has(policy)) await s.write('sso-admin', 'DetachManagedPolicyFromPermissionSet', { ...ref, ManagedPolicyArn: policy }, isNotFound);
  }
  const wantCustomer = new Map(after.customerManagedPolicies.map((r) => [customerPolicyKey({ name: r.name, path: r.path || '/' }), r]));
  const haveCustomer = new Map(before.customerManagedPolicies.map((r) => [customerPolicyKey({ name: r.name, path: r.path || '/' }), r]));
  for (const [key, r] of haveCustomer) {
    if (!wantCustomer.has(key)) {
      await s.write('sso-admin', 'DetachCustomerManagedPolicyReferenceFromPermissionSet', { ...ref, CustomerManagedPolicyReference: customerRef(r) }, isNotFound);
    }
  }
  for (const policy of wantManaged) {
    if (!haveManaged.has(policy)) await s.write('sso-admin', 'AttachManagedPolicyToPermissionSet', { ...ref, ManagedPolicyArn: policy }, isAlreadyExists);
  }
  for (const [key, r] of wantCustomer) {
    if (!haveCustomer.has(key)) {
      await s.write('sso-admin', 'AttachCustomerManagedPolicyReferenceToPermissionSet', { ...ref, CustomerManagedPolicyReference: customerRef(r) }, isAlreadyExists);
    }
  }

  if (canonicalPolicy(before.inlinePolicy) !== canonicalPolicy(after.inlinePolicy)) {
    if (canonicalPolicy(after.inlinePolicy) !== undefined) {
      await s.write('sso-admin', 'PutInlinePolicyToPermissionSet', { ...ref, InlinePolicy: after.inlinePolicy });
    } else {
      await s.write('sso-admin', 'DeleteInlinePolicyFromPermissionSet', ref, isNotFound);
    }
  }

  if (boundaryKey(before.permissionsBoundary) !== boundaryKey(after.permissionsBoundary)) {
    if (boundaryKey(after.permissionsBoundary) !== undefined) {
      await s.write('sso-admin', 'PutPermissionsBoundaryToPermissionSet', { ...ref, PermissionsBoundary: boundaryWire(after.permissionsBoundary!) });
    } else {
      await s.write('sso-admin', 'DeletePermissionsBoundaryFromPermissionSet', ref, isNotFound);
    }
  }

  const removedTags = Object.keys(before.tags).filter((k) => !(k in after.tags));
  const setTags = Object.entries(after.tags).filter(([k, v]) => before.tags[k] !== v);
  if (removedTags.length > 0) await s.write('sso-admin', 'UntagResource', { InstanceArn: s.instanceArn, ResourceArn: arn, TagKeys: removedTags });
  if (setTags.length > 0) {
    await s.write('sso-admin', 'TagResource', { InstanceArn: s.instanceArn, ResourceArn: arn, Tags: setTags.map(([Key, Value]) => ({ Key, Value })) });
  }
}

const EMPTY = (name: string): PermissionSetSpec => ({
  name,
  sessionDuration: 'PT1H',
  managedPolicies: [],
  customerManagedPolicies: [],
  tags: {},
});

export async function createPermissionSet(s: PerformSession, change: ChangeOf<'permissionSet.create'>): Promise<void> {
  const after = change.after;
  // Created by an earlier attempt of this change (its answer lost), or by hand since the plan:
  // finish it from what is actually there rather than failing on "already exists".
  const finishExisting = async (): Promise<boolean> => {
    const known = await s.ids.findPermissionSetArn(after.name);
    if (known === undefined) return false;
    const current = await readPermissionSetSpec(s.caller, s.instanceArn, known).catch(() => undefined);
    if (!current) return false;
    await converge(s, known, current, after);
    return true;
  };
  if (await finishExisting()) return;
  let out;
  try {
    out = await s.write('sso-admin', 'CreatePermissionSet', {
      InstanceArn: s.instanceArn,
      Name: after.name,
      ...(opt(after.description) ? { Description: after.description } : {}),
      SessionDuration: after.sessionDuration,
      ...(opt(after.relayState) ? { RelayState: after.relayState } : {}),
      ...(Object.keys(after.tags).length > 0 ? { Tags: Object.entries(after.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
    }, isAlreadyExists);
  } catch (e) {
    if (e instanceof OutcomeUnknownError && (await finishExisting().catch(() => false))) return;
    throw e;
  }
  if (out === undefined) {
    if (await finishExisting()) return;
    throw new TerminalError(`CreatePermissionSet: permission set ${after.name} already exists but could not be read`, 'ConflictException');
  }
  const arn = String((out.PermissionSet as { PermissionSetArn: string }).PermissionSetArn);
  s.ids.remember('permissionSet', after.name, arn);
  const created: PermissionSetSpec = { ...EMPTY(after.name), ...(opt(after.description) ? { description: after.description } : {}), sessionDuration: after.sessionDuration, ...(opt(after.relayState) ? { relayState: after.relayState } : {}), tags: after.tags };
  await converge(s, arn, created, after);
}

export async function updatePermissionSet(s: PerformSession, change: ChangeOf<'permissionSet.update'>): Promise<void> {
  const arn = await requireId(s.ids.findPermissionSetArn(change.before.name), `permission set ${change.before.name}`);
  await converge(s, arn, change.before, change.after);
}

export async function provisionPermissionSet(s: PerformSession, change: ChangeOf<'permissionSet.provision'>): Promise<void> {
  const arn = await requireId(s.ids.findPermissionSetArn(change.permissionSetName), `permission set ${change.permissionSetName}`);
  await s.request(
    'ProvisionPermissionSet',
    { InstanceArn: s.instanceArn, PermissionSetArn: arn, TargetType: 'AWS_ACCOUNT', TargetId: change.accountId },
    'PermissionSetProvisioningStatus',
    {
      operation: 'DescribePermissionSetProvisioningStatus',
      idMember: 'ProvisionPermissionSetRequestId',
      describe: `provisioning ${change.permissionSetName} to ${change.accountId}`,
    },
  );
}

export async function deletePermissionSet(s: PerformSession, change: ChangeOf<'permissionSet.delete'>): Promise<void> {
  const name = change.before.name;
  const arn = await s.ids.findPermissionSetArn(name);
  if (arn === undefined) return; // already gone: the goal holds
  const ref = { InstanceArn: s.instanceArn, PermissionSetArn: arn };
  // AWS refuses to delete a permission set with assignments (ConflictException). Check first,
  // so a refused delete leaves its policies attached instead of half-dismantling it.
  const accounts = ((await s.read('sso-admin', 'ListAccountsForProvisionedPermissionSet', ref)).AccountIds as string[] | undefined) ?? [];
  for (const accountId of accounts) {
    const page = await s.read('sso-admin', 'ListAccountAssignments', { ...ref, AccountId: accountId, MaxResults: 1 });
    if (((page.AccountAssignments as unknown[] | undefined) ?? []).length > 0) {
      throw new RetryableError(
        `DeletePermissionSet: ConflictException: permission set ${name} still has account assignments (in account ${accountId})`,
        'ConflictException',
      );
    }
  }
  await converge(s, arn, change.before, { ...EMPTY(name), sessionDuration: change.before.sessionDuration, tags: change.before.tags, ...(opt(change.before.description) ? { description: change.before.description } : {}), ...(opt(change.before.relayState) ? { relayState: change.before.relayState } : {}) });
  await s.write('sso-admin', 'DeletePermissionSet', ref, isNotFound);
  s.ids.forget('permissionSet', name);
}
