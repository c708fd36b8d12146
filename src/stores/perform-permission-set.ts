import type { ChangeOf } from '../diff/change.js';
import { canonicalPolicy } from '../diff/canonical-json.js';
import { LeaseLostError, OutcomeUnknownError, RetryableError, TerminalError } from '../diagnostics/errors.js';
import type { CustomerManagedPolicyRef, PermissionSetSpec, PermissionsBoundary } from '../model/entities.js';
import { presentText } from '../model/blank-text.js';
import { customerPolicyKey } from '../model/keys.js';
import { AwsServiceError } from './aws-caller.js';
import { isAlreadyExists, isNotFound } from './classify-aws-error.js';
import { requireId } from './id-resolver.js';
import type { PerformSession } from './perform-session.js';
import { readPermissionSetSpec } from './read-permission-set.js';

// Permission sets take several calls: create, then each policy kind; an update touches only
// the parts that differ. Each step tolerates finding its goal already reached, so a change
// retried after a partial failure (throttled halfway) converges instead of failing.

const BLANK = ' ';

/** A description or relay state that is there: AWS keeps the blank that cleared one (model/blank-text.ts). */
const opt = presentText;

const boundaryKey = (b: PermissionsBoundary | undefined): string | undefined =>
  b?.managedPolicyArn ?? (b?.customerManagedPolicy ? `cmp:${customerPolicyKey({ name: b.customerManagedPolicy.name, path: b.customerManagedPolicy.path || '/' })}` : undefined);

const customerRef = (r: CustomerManagedPolicyRef) => ({ Name: r.name, Path: r.path || '/' });

function boundaryWire(b: PermissionsBoundary) {
  return b.managedPolicyArn
    ? { ManagedPolicyArn: b.managedPolicyArn }
    : { CustomerManagedPolicyReference: customerRef(b.customerManagedPolicy!) };
}

/**
 * An attachment, answering the ConflictException it met instead of throwing it. On AWS, attaching
 * a policy that is already attached answers ConflictException "… already has a typed link
 * attachment to a manged policy …" (sic; issue 9); sso-admin's ConflictException carries no
 * reason, and the model's text for it is "a conflict with a previous successful write", so the
 * name alone cannot tell "already attached" from "another write in progress". The caller decides
 * by the condition itself (confirmAttached), never by the message.
 */
async function attachOrConflict(
  s: PerformSession,
  operation: string,
  input: Record<string, unknown>,
): Promise<{ readonly operation: string; readonly error: AwsServiceError } | undefined> {
  let conflict: AwsServiceError | undefined;
  await s.write('sso-admin', operation, input, (e, op) => {
    if (e instanceof AwsServiceError && e.errorName === 'ConflictException' && isAlreadyExists(e, op)) conflict = e;
    return conflict !== undefined;
  });
  return conflict ? { operation, error: conflict } : undefined;
}

/** A conflicted attachment is done when the policy is attached; otherwise it is retried. */
async function confirmAttached<T>(
  s: PerformSession,
  conflict: { readonly operation: string; readonly error: AwsServiceError },
  ref: { InstanceArn: string; PermissionSetArn: string },
  listing: string,
  member: string,
  isIt: (item: T) => boolean,
): Promise<void> {
  let token: string | undefined;
  do {
    const page = await s.read('sso-admin', listing, { ...ref, ...(token ? { NextToken: token } : {}) });
    if (((page[member] as T[] | undefined) ?? []).some(isIt)) return;
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
  } while (token);
  throw new RetryableError(
    `${conflict.operation}: ConflictException: ${conflict.error.message} (the policy is not attached: another write is in progress)`,
    'ConflictException',
  );
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
    if (haveManaged.has(policy)) continue;
    const conflict = await attachOrConflict(s, 'AttachManagedPolicyToPermissionSet', { ...ref, ManagedPolicyArn: policy });
    if (conflict) await confirmAttached(s, conflict, ref, 'ListManagedPoliciesInPermissionSet', 'AttachedManagedPolicies', (m: { Arn?: string }) => m.Arn === policy);
  }
  for (const [key, r] of wantCustomer) {
    if (haveCustomer.has(key)) continue;
    const conflict = await attachOrConflict(s, 'AttachCustomerManagedPolicyReferenceToPermissionSet', { ...ref, CustomerManagedPolicyReference: customerRef(r) });
    if (conflict) {
      await confirmAttached(s, conflict, ref, 'ListCustomerManagedPolicyReferencesInPermissionSet', 'CustomerManagedPolicyReferences', (c: { Name?: string; Path?: string }) =>
        customerPolicyKey({ name: c.Name ?? '', path: c.Path || '/' }) === key,
      );
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
    // A lost lease met while finishing stops the change; any other failure leaves it unknown.
    if (e instanceof OutcomeUnknownError && (await finishExisting().catch((err: unknown) => {
      if (err instanceof LeaseLostError) throw err;
      return false;
    }))) return;
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

/**
 * Deletes a permission set once AWS has deprovisioned it from every account.
 *
 * AWS refuses DeletePermissionSet (ConflictException) while the set is provisioned anywhere:
 * "Before you can delete a permission set from IAM Identity Center, you should remove it from
 * all AWS accounts that use the permission set" ("Delete permission sets",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html). The
 * assignments go in an earlier wave, but the role is removed from each account asynchronously
 * after its last assignment there, so this waits (bounded, polled) until
 * ListAccountsForProvisionedPermissionSet, every page of it, is empty.
 *
 * Its policies are left attached: neither that page nor DeletePermissionSet's reference asks for
 * them to be detached first (the API takes the set and deletes it whole), and detaching them
 * before a delete AWS may still refuse would leave a live permission set stripped of what it
 * grants (DESIGN.md wave 7 "detach policies of permission sets being deleted" is dropped for that
 * reason; issue 9).
 */
export async function deletePermissionSet(s: PerformSession, change: ChangeOf<'permissionSet.delete'>): Promise<void> {
  const name = change.before.name;
  const arn = await s.ids.findPermissionSetArn(name);
  if (arn === undefined) return; // already gone: the goal holds
  const ref = { InstanceArn: s.instanceArn, PermissionSetArn: arn };
  await waitUntilDeprovisioned(s, name, ref);
  await s.write('sso-admin', 'DeletePermissionSet', ref, isNotFound);
  s.ids.forget('permissionSet', name);
}

/** Without a pause (in process), a handful of listings; the embedded store deprovisions at once. */
const LISTINGS_WITHOUT_PAUSE = 20;

async function provisionedAccounts(s: PerformSession, ref: { InstanceArn: string; PermissionSetArn: string }): Promise<string[]> {
  const accounts: string[] = [];
  let token: string | undefined;
  do {
    const page = await s.read('sso-admin', 'ListAccountsForProvisionedPermissionSet', { ...ref, ...(token ? { NextToken: token } : {}) });
    for (const id of (page.AccountIds as string[] | undefined) ?? []) accounts.push(id);
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
  } while (token);
  return accounts;
}

async function waitUntilDeprovisioned(s: PerformSession, name: string, ref: { InstanceArn: string; PermissionSetArn: string }): Promise<void> {
  let accounts = await provisionedAccounts(s, ref);
  if (accounts.length === 0) return;
  // An account that still has assignments of the set will not be deprovisioned by waiting: they
  // are not Gatehouse's to delete here (kept, or ignored), so the delete cannot happen.
  for (const accountId of accounts) {
    const page = await s.read('sso-admin', 'ListAccountAssignments', { ...ref, AccountId: accountId, MaxResults: 1 });
    if (((page.AccountAssignments as unknown[] | undefined) ?? []).length > 0) {
      throw new RetryableError(
        `DeletePermissionSet: ConflictException: permission set ${name} still has account assignments (in account ${accountId})`,
        'ConflictException',
      );
    }
  }
  let waited = 0;
  for (let listings = 1; accounts.length > 0; listings++) {
    const exhausted = s.poll.pollIntervalMs > 0 ? waited >= s.poll.deadlineMs : listings >= LISTINGS_WITHOUT_PAUSE;
    if (exhausted) {
      throw new RetryableError(
        `DeletePermissionSet: permission set ${name} is still provisioned to ${accounts.length} account(s) (${accounts.slice(0, 5).join(', ')}${accounts.length > 5 ? ', …' : ''}) ` +
          `after ${waited} ms; AWS removes it from an account some time after its last assignment there`,
        'ConflictException',
      );
    }
    if (s.poll.pollIntervalMs > 0) {
      await s.poll.sleep(s.poll.pollIntervalMs);
      waited += s.poll.pollIntervalMs;
    }
    accounts = await provisionedAccounts(s, ref);
  }
}
