import type { AwsInput, AwsOutput } from '../aws-caller.js';
import { isoDurationSeconds } from '../../model/iso-duration.js';
import { read, write, type EngineContext, type OperationTable } from './context.js';
import { checkPermissionSetManageable } from './delegated-admin.js';
import { paginate, pageRequest, paginateList } from './pagination.js';
import { STILL_PROVISIONED } from './schema.js';
import {
  compact,
  epochSeconds,
  fail,
  optionalList,
  optionalObject,
  optionalString,
  PATTERNS,
  requiredObject,
  requiredString,
} from './wire.js';

// Permission sets and their policies, as the SSO Admin API answers. Any change to what a
// permission set grants (attributes, policies, boundary; not tags) bumps its version, which
// leaves every account it is provisioned to behind (LATEST_PERMISSION_SET_NOT_PROVISIONED)
// until ProvisionPermissionSet.

export interface PermissionSetRow {
  arn: string;
  name: string;
  description: string | null;
  session_duration: string;
  relay_state: string | null;
  inline_policy: string | null;
  boundary_managed_arn: string | null;
  boundary_customer_name: string | null;
  boundary_customer_path: string | null;
  created_at: number;
  version: number;
}

export function checkInstance(ctx: EngineContext, input: AwsInput, required = true): void {
  const arn = required ? requiredString(input, 'InstanceArn', PATTERNS.instanceArn) : optionalString(input, 'InstanceArn', PATTERNS.instanceArn);
  if (arn !== undefined && arn !== ctx.instance.instanceArn) fail('ResourceNotFoundException', `Instance ${arn} does not exist`);
}

export function permissionSetOrFail(ctx: EngineContext, input: AwsInput, field = 'PermissionSetArn'): PermissionSetRow {
  const arn = requiredString(input, field, PATTERNS.permissionSetArn);
  return (
    (ctx.sql('SELECT * FROM sso_permission_sets WHERE arn = ?').get(arn) as PermissionSetRow | undefined) ??
    fail('ResourceNotFoundException', `Could not find PermissionSet with PermissionSetArn ${arn}`)
  );
}

/**
 * permissionSetOrFail for a write to the permission set: a delegated administrator may not
 * manage one provisioned in the management account (see delegated-admin.ts).
 */
function writablePermissionSetOrFail(ctx: EngineContext, input: AwsInput, action: string, field = 'PermissionSetArn'): PermissionSetRow {
  const p = permissionSetOrFail(ctx, input, field);
  checkPermissionSetManageable(ctx, action, p.arn);
  return p;
}

/** What assignments and provisioning need of a permission set. */
export type PermissionSetRef = Pick<PermissionSetRow, 'arn' | 'name' | 'version'>;

/**
 * permissionSetOrFail without the attributes and the inline policy (up to 32 KB): assignment
 * calls, hundreds of thousands in a large apply, only need to know which set and its version.
 */
export function permissionSetRefOrFail(ctx: EngineContext, input: AwsInput): PermissionSetRef {
  const arn = requiredString(input, 'PermissionSetArn', PATTERNS.permissionSetArn);
  return (
    (ctx.sql('SELECT arn, name, version FROM sso_permission_sets WHERE arn = ?').get(arn) as PermissionSetRef | undefined) ??
    fail('ResourceNotFoundException', `Could not find PermissionSet with PermissionSetArn ${arn}`)
  );
}

const contentChanged = (ctx: EngineContext, arn: string): void => {
  ctx.sql('UPDATE sso_permission_sets SET version = version + 1 WHERE arn = ?').run(arn);
};

/**
 * Identity Center accepts session durations from 1 to 12 hours ("Set session duration",
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html), read with
 * the project's one ISO 8601 duration parser (the model's `Duration` pattern).
 */
function checkSessionDuration(value: string): void {
  const seconds = isoDurationSeconds(value) ?? fail('ValidationException', `SessionDuration ${value} is not an ISO 8601 duration`);
  if (seconds < 3600 || seconds > 43200) fail('ValidationException', `SessionDuration ${value} must be between PT1H and PT12H`);
}

// The model's PermissionSetDescription (1..700) and RelayState (1..240): neither can be empty,
// so neither can be removed once set. A blank (' ') is a valid value, stored and answered as
// written; Gatehouse writes one to clear a field and reads it back as none (model/blank-text.ts).

function checkDescription(value: string | undefined): void {
  if (value !== undefined && (value.length < 1 || value.length > 700)) fail('ValidationException', 'Description must have 1 to 700 characters');
}

function checkRelayState(value: string | undefined): void {
  if (value !== undefined && (value.length < 1 || value.length > 240)) fail('ValidationException', 'RelayState must have 1 to 240 characters');
}

function permissionSetOut(p: PermissionSetRow): AwsOutput {
  return compact({
    Name: p.name,
    PermissionSetArn: p.arn,
    Description: p.description,
    CreatedDate: epochSeconds(p.created_at),
    SessionDuration: p.session_duration,
    RelayState: p.relay_state,
  });
}

interface Tag {
  key: string;
  value: string;
}

function tagsOf(input: AwsInput, field: string): Tag[] {
  const list = optionalList(input, field) ?? [];
  return list.map((t) => {
    const tag = t as AwsInput;
    const key = requiredString(tag, 'Key');
    const value = typeof tag.Value === 'string' ? tag.Value : fail('ValidationException', `Tag ${key} needs a Value`);
    if (key.length < 1 || key.length > 128) fail('ValidationException', 'Tag keys must have 1 to 128 characters');
    if (key.toLowerCase().startsWith('aws:')) fail('ValidationException', 'Tag keys may not start with aws:');
    if (value.length > 256) fail('ValidationException', 'Tag values must have at most 256 characters');
    return { key, value };
  });
}

function putTags(ctx: EngineContext, resourceArn: string, tags: readonly Tag[]): void {
  const upsert = ctx.sql(
    'INSERT INTO sso_tags (resource_arn, key, value) VALUES (?, ?, ?) ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value',
  );
  for (const t of tags) upsert.run(resourceArn, t.key, t.value);
  const { n } = ctx.sql('SELECT count(*) AS n FROM sso_tags WHERE resource_arn = ?').get(resourceArn) as { n: number };
  if (n > ctx.limits.maxTagsPerResource) fail('ServiceQuotaExceededException', `A resource can have at most ${ctx.limits.maxTagsPerResource} tags`);
}

function createPermissionSet(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const name = requiredString(input, 'Name', PATTERNS.permissionSetName);
  const description = optionalString(input, 'Description');
  checkDescription(description);
  const sessionDuration = optionalString(input, 'SessionDuration') ?? 'PT1H';
  checkSessionDuration(sessionDuration);
  const relayState = optionalString(input, 'RelayState');
  checkRelayState(relayState);
  const tags = tagsOf(input, 'Tags');
  if (ctx.sql('SELECT 1 FROM sso_permission_sets WHERE name = ?').get(name)) {
    fail('ConflictException', `PermissionSet with name ${name} already exists`);
  }
  const instanceSuffix = ctx.instance.instanceArn.slice(ctx.instance.instanceArn.indexOf('instance/') + 'instance/'.length);
  const arn = `arn:aws:sso:::permissionSet/${instanceSuffix}/ps-${ctx.hex(16)}`;
  const now = ctx.now();
  ctx.sql(
      `INSERT INTO sso_permission_sets (arn, name, description, session_duration, relay_state, created_at, version)
       VALUES (?, ?, ?, ?, ?, ?, 1)`,
    )
    .run(arn, name, description ?? null, sessionDuration, relayState ?? null, now);
  putTags(ctx, arn, tags);
  return { PermissionSet: permissionSetOut(permissionSetOrFail(ctx, { PermissionSetArn: arn })) };
}

function updatePermissionSet(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'UpdatePermissionSet');
  // Omitted members stay as they are (AWS): there is no way to remove a description or relay
  // state, only to overwrite it (a blank is kept as written, see checkDescription).
  const description = optionalString(input, 'Description') ?? p.description;
  const relayState = optionalString(input, 'RelayState') ?? p.relay_state;
  const sessionDuration = optionalString(input, 'SessionDuration') ?? p.session_duration;
  checkDescription(description ?? undefined);
  checkRelayState(relayState ?? undefined);
  checkSessionDuration(sessionDuration);
  ctx.sql('UPDATE sso_permission_sets SET description = ?, relay_state = ?, session_duration = ? WHERE arn = ?')
    .run(description, relayState, sessionDuration, p.arn);
  contentChanged(ctx, p.arn);
  return {};
}

function deletePermissionSet(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'DeletePermissionSet');
  const { n } = ctx.sql('SELECT count(*) AS n FROM sso_assignments WHERE permission_set_arn = ?').get(p.arn) as { n: number };
  if (n > 0) {
    fail('ConflictException', `Could not delete because PermissionSet ${p.name} has ${n} account assignment(s); delete them first`);
  }
  // Still provisioned somewhere (its last assignment there went, the role is not removed yet):
  // refused as AWS refuses it (see "Deprovisioning" in assignments.ts).
  const { provisioned } = ctx.sql(`SELECT count(*) AS provisioned FROM sso_provisioned WHERE permission_set_arn = ? AND ${STILL_PROVISIONED}`)
    .get(p.arn, ctx.now()) as { provisioned: number };
  if (provisioned > 0) {
    fail('ConflictException', `Could not delete because PermissionSet ${p.name} is still provisioned to ${provisioned} account(s); wait until it is deprovisioned`);
  }
  ctx.sql('DELETE FROM sso_tags WHERE resource_arn = ?').run(p.arn);
  ctx.sql('DELETE FROM sso_permission_sets WHERE arn = ?').run(p.arn);
  return {};
}

function listPermissionSets(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const page = pageRequest(input, 'ListPermissionSets', 100, 100);
  const { items, nextToken } = paginate(page, 'ListPermissionSets', (offset, limit) =>
    ctx.sql('SELECT arn FROM sso_permission_sets ORDER BY created_at, arn LIMIT ? OFFSET ?').all(limit, offset) as { arn: string }[],
  );
  return compact({ PermissionSets: items.map((r) => r.arn), NextToken: nextToken });
}

function policyCount(ctx: EngineContext, arn: string): number {
  const { n } = ctx.sql(
      `SELECT (SELECT count(*) FROM sso_managed_policies WHERE permission_set_arn = ?)
            + (SELECT count(*) FROM sso_customer_policies WHERE permission_set_arn = ?) AS n`,
    )
    .get(arn, arn) as { n: number };
  return n;
}

/**
 * Why the permission set cannot become a role in an account, if it cannot: more managed and
 * customer managed policies than IAM allows a role (EngineLimits.maxManagedPoliciesPerRole),
 * as IAM words it ("Cannot exceed quota for PoliciesPerRole: 10").
 */
export function roleQuotaFailure(ctx: EngineContext, arn: string): string | undefined {
  const n = policyCount(ctx, arn);
  const quota = ctx.limits.maxManagedPoliciesPerRole;
  return n > quota ? `Received a 409 status error: LimitExceeded: Cannot exceed quota for PoliciesPerRole: ${quota} (the permission set has ${n} managed and customer managed policies)` : undefined;
}

function checkPolicyQuota(ctx: EngineContext, arn: string): void {
  if (policyCount(ctx, arn) >= ctx.limits.maxPoliciesPerPermissionSet) {
    fail(
      'ServiceQuotaExceededException',
      `A permission set can have at most ${ctx.limits.maxPoliciesPerPermissionSet} managed and customer managed policies`,
    );
  }
}

function attachManagedPolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'AttachManagedPolicyToPermissionSet');
  const policyArn = requiredString(input, 'ManagedPolicyArn', PATTERNS.managedPolicyArn);
  // AWS's answer for an ARN that names no AWS managed policy (issue 9, seen on AWS).
  if (!ctx.isAwsManagedPolicy(policyArn)) fail('ResourceNotFoundException', `Policy does not exist with ARN ${policyArn}`);
  if (ctx.sql('SELECT 1 FROM sso_managed_policies WHERE permission_set_arn = ? AND policy_arn = ?').get(p.arn, policyArn)) {
    // AWS's own words, misspelling included (issue 9, seen on AWS); clients must not parse them.
    fail('ConflictException', `Permission set ${p.arn} already has a typed link attachment to a manged policy ${policyArn}`);
  }
  checkPolicyQuota(ctx, p.arn);
  ctx.sql('INSERT INTO sso_managed_policies (permission_set_arn, policy_arn) VALUES (?, ?)').run(p.arn, policyArn);
  contentChanged(ctx, p.arn);
  return {};
}

function detachManagedPolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'DetachManagedPolicyFromPermissionSet');
  const policyArn = requiredString(input, 'ManagedPolicyArn', PATTERNS.managedPolicyArn);
  const { changes } = ctx.sql('DELETE FROM sso_managed_policies WHERE permission_set_arn = ? AND policy_arn = ?').run(p.arn, policyArn);
  if (changes === 0) fail('ResourceNotFoundException', `Managed policy ${policyArn} is not attached to PermissionSet ${p.name}`);
  contentChanged(ctx, p.arn);
  return {};
}

function listManagedPolicies(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = permissionSetOrFail(ctx, input);
  const page = pageRequest(input, 'ListManagedPoliciesInPermissionSet', 100, 100);
  const { items, nextToken } = paginate(page, 'ListManagedPoliciesInPermissionSet', (offset, limit) =>
    ctx.sql('SELECT policy_arn FROM sso_managed_policies WHERE permission_set_arn = ? ORDER BY policy_arn LIMIT ? OFFSET ?')
      .all(p.arn, limit, offset) as { policy_arn: string }[],
  );
  return compact({
    AttachedManagedPolicies: items.map((r) => ({ Name: r.policy_arn.slice(r.policy_arn.lastIndexOf('/') + 1), Arn: r.policy_arn })),
    NextToken: nextToken,
  });
}

function customerPolicyRef(input: AwsInput, field: string): { name: string; path: string } {
  const ref = requiredObject(input, field);
  return {
    name: requiredString(ref, 'Name', PATTERNS.policyName),
    path: optionalString(ref, 'Path', PATTERNS.policyPath) ?? '/',
  };
}

function attachCustomerPolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'AttachCustomerManagedPolicyReferenceToPermissionSet');
  const ref = customerPolicyRef(input, 'CustomerManagedPolicyReference');
  if (ctx.sql('SELECT 1 FROM sso_customer_policies WHERE permission_set_arn = ? AND path = ? AND name = ?').get(p.arn, ref.path, ref.name)) {
    fail('ConflictException', `Customer managed policy ${ref.path}${ref.name} is already attached to PermissionSet ${p.name}`);
  }
  checkPolicyQuota(ctx, p.arn);
  ctx.sql('INSERT INTO sso_customer_policies (permission_set_arn, path, name) VALUES (?, ?, ?)').run(p.arn, ref.path, ref.name);
  contentChanged(ctx, p.arn);
  return {};
}

function detachCustomerPolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'DetachCustomerManagedPolicyReferenceFromPermissionSet');
  const ref = customerPolicyRef(input, 'CustomerManagedPolicyReference');
  const { changes } = ctx.sql('DELETE FROM sso_customer_policies WHERE permission_set_arn = ? AND path = ? AND name = ?')
    .run(p.arn, ref.path, ref.name);
  if (changes === 0) fail('ResourceNotFoundException', `Customer managed policy ${ref.path}${ref.name} is not attached to PermissionSet ${p.name}`);
  contentChanged(ctx, p.arn);
  return {};
}

function listCustomerPolicies(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = permissionSetOrFail(ctx, input);
  const page = pageRequest(input, 'ListCustomerManagedPolicyReferencesInPermissionSet', 100, 100);
  const { items, nextToken } = paginate(page, 'ListCustomerManagedPolicyReferencesInPermissionSet', (offset, limit) =>
    ctx.sql('SELECT path, name FROM sso_customer_policies WHERE permission_set_arn = ? ORDER BY path, name LIMIT ? OFFSET ?')
      .all(p.arn, limit, offset) as { path: string; name: string }[],
  );
  return compact({ CustomerManagedPolicyReferences: items.map((r) => ({ Name: r.name, Path: r.path })), NextToken: nextToken });
}

function putInlinePolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'PutInlinePolicyToPermissionSet');
  const policy = requiredString(input, 'InlinePolicy');
  if (policy.length < 1 || Buffer.byteLength(policy, 'utf8') > ctx.limits.maxInlinePolicyBytes) {
    fail('ValidationException', `InlinePolicy must have between 1 and ${ctx.limits.maxInlinePolicyBytes} bytes`);
  }
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    fail('ValidationException', 'The policy is not valid JSON (MalformedPolicyDocument)');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document) || !('Statement' in document)) {
    fail('ValidationException', 'The policy document needs a Statement (MalformedPolicyDocument)');
  }
  ctx.sql('UPDATE sso_permission_sets SET inline_policy = ? WHERE arn = ?').run(policy, p.arn);
  contentChanged(ctx, p.arn);
  return {};
}

function deleteInlinePolicy(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'DeleteInlinePolicyFromPermissionSet');
  if (p.inline_policy !== null) {
    ctx.sql('UPDATE sso_permission_sets SET inline_policy = NULL WHERE arn = ?').run(p.arn);
    contentChanged(ctx, p.arn);
  }
  return {};
}

function putBoundary(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'PutPermissionsBoundaryToPermissionSet');
  const boundary = requiredObject(input, 'PermissionsBoundary');
  const managed = optionalString(boundary, 'ManagedPolicyArn', PATTERNS.managedPolicyArn);
  const customer = optionalObject(boundary, 'CustomerManagedPolicyReference') ? customerPolicyRef(boundary, 'CustomerManagedPolicyReference') : undefined;
  if ((managed === undefined) === (customer === undefined)) {
    fail('ValidationException', 'PermissionsBoundary needs exactly one of ManagedPolicyArn and CustomerManagedPolicyReference');
  }
  ctx.sql('UPDATE sso_permission_sets SET boundary_managed_arn = ?, boundary_customer_name = ?, boundary_customer_path = ? WHERE arn = ?')
    .run(managed ?? null, customer?.name ?? null, customer?.path ?? null, p.arn);
  contentChanged(ctx, p.arn);
  return {};
}

const hasBoundary = (p: PermissionSetRow): boolean => p.boundary_managed_arn !== null || p.boundary_customer_name !== null;

function getBoundary(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = permissionSetOrFail(ctx, input);
  if (!hasBoundary(p)) return fail('ResourceNotFoundException', `PermissionSet ${p.name} has no permissions boundary`);
  return {
    PermissionsBoundary: compact({
      ManagedPolicyArn: p.boundary_managed_arn,
      CustomerManagedPolicyReference: p.boundary_customer_name !== null ? { Name: p.boundary_customer_name, Path: p.boundary_customer_path ?? '/' } : undefined,
    }),
  };
}

function deleteBoundary(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = writablePermissionSetOrFail(ctx, input, 'DeletePermissionsBoundaryFromPermissionSet');
  if (!hasBoundary(p)) return fail('ResourceNotFoundException', `PermissionSet ${p.name} has no permissions boundary`);
  ctx.sql('UPDATE sso_permission_sets SET boundary_managed_arn = NULL, boundary_customer_name = NULL, boundary_customer_path = NULL WHERE arn = ?')
    .run(p.arn);
  contentChanged(ctx, p.arn);
  return {};
}

/** Tags live on permission sets (and the instance). */
function taggableOrFail(ctx: EngineContext, input: AwsInput, writeAction?: string): string {
  checkInstance(ctx, input, false);
  const arn = requiredString(input, 'ResourceArn');
  if (arn === ctx.instance.instanceArn) return arn;
  return (writeAction ? writablePermissionSetOrFail(ctx, input, writeAction, 'ResourceArn') : permissionSetOrFail(ctx, input, 'ResourceArn')).arn;
}

function tagResource(ctx: EngineContext, input: AwsInput): AwsOutput {
  const arn = taggableOrFail(ctx, input, 'TagResource');
  putTags(ctx, arn, tagsOf(input, 'Tags'));
  return {};
}

function untagResource(ctx: EngineContext, input: AwsInput): AwsOutput {
  const arn = taggableOrFail(ctx, input, 'UntagResource');
  const keys = optionalList(input, 'TagKeys') ?? fail('ValidationException', 'TagKeys must not be null');
  const del = ctx.sql('DELETE FROM sso_tags WHERE resource_arn = ? AND key = ?');
  for (const k of keys) {
    if (typeof k !== 'string') fail('ValidationException', 'TagKeys must be strings');
    del.run(arn, k);
  }
  return {};
}

function listTags(ctx: EngineContext, input: AwsInput): AwsOutput {
  const arn = taggableOrFail(ctx, input);
  const tags = ctx.sql('SELECT key, value FROM sso_tags WHERE resource_arn = ? ORDER BY key').all(arn) as Tag[];
  const { items, nextToken } = paginateList(pageRequest(input, 'ListTagsForResource', 50, 100), 'ListTagsForResource', tags);
  return compact({ Tags: items.map((t) => ({ Key: t.key, Value: t.value })), NextToken: nextToken });
}

export const PERMISSION_SET_OPERATIONS: OperationTable = {
  CreatePermissionSet: write(createPermissionSet),
  DescribePermissionSet: read((ctx, input) => {
    checkInstance(ctx, input);
    return { PermissionSet: permissionSetOut(permissionSetOrFail(ctx, input)) };
  }),
  UpdatePermissionSet: write(updatePermissionSet),
  DeletePermissionSet: write(deletePermissionSet),
  ListPermissionSets: read(listPermissionSets),
  AttachManagedPolicyToPermissionSet: write(attachManagedPolicy),
  DetachManagedPolicyFromPermissionSet: write(detachManagedPolicy),
  ListManagedPoliciesInPermissionSet: read(listManagedPolicies),
  AttachCustomerManagedPolicyReferenceToPermissionSet: write(attachCustomerPolicy),
  DetachCustomerManagedPolicyReferenceFromPermissionSet: write(detachCustomerPolicy),
  ListCustomerManagedPolicyReferencesInPermissionSet: read(listCustomerPolicies),
  PutInlinePolicyToPermissionSet: write(putInlinePolicy),
  GetInlinePolicyForPermissionSet: read((ctx, input) => {
    checkInstance(ctx, input);
    const p = permissionSetOrFail(ctx, input);
    return compact({ InlinePolicy: p.inline_policy });
  }),
  DeleteInlinePolicyFromPermissionSet: write(deleteInlinePolicy),
  PutPermissionsBoundaryToPermissionSet: write(putBoundary),
  GetPermissionsBoundaryForPermissionSet: read(getBoundary),
  DeletePermissionsBoundaryFromPermissionSet: write(deleteBoundary),
  TagResource: write(tagResource),
  UntagResource: write(untagResource),
  ListTagsForResource: read(listTags),
};
