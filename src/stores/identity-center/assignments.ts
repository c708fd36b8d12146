import type { AwsInput, AwsOutput } from '../aws-caller.js';
import { read, write, type EngineContext, type OperationTable } from './context.js';
import { paginate, pageRequest } from './pagination.js';
import { checkPermissionSetManageable, checkTargetAccount, requireManagementCaller } from './delegated-admin.js';
import { checkInstance, permissionSetRefOrFail, roleQuotaFailure, type PermissionSetRef } from './permission-sets.js';
import { STILL_PROVISIONED } from './schema.js';
import {
  compact,
  epochSeconds,
  fail,
  optionalEnum,
  optionalObject,
  optionalString,
  PATTERNS,
  requiredEnum,
  requiredString,
} from './wire.js';

// Account assignments and provisioning: AWS's asynchronous requests. The effect is committed
// in the same transaction as the request row, so a crash never leaves half a write; the request
// reports IN_PROGRESS until it is first described (or settles after a while), then its outcome.
// A request that cannot succeed (principal or account unknown) is accepted and ends FAILED with
// a reason, as AWS reports those.

type RequestKind = 'assignment-create' | 'assignment-delete' | 'provision';
type Outcome = 'SUCCEEDED' | 'FAILED';
const PROVISIONING_STATUSES = ['LATEST_PERMISSION_SET_PROVISIONED', 'LATEST_PERMISSION_SET_NOT_PROVISIONED'] as const;
const STATUS_VALUES = ['IN_PROGRESS', 'FAILED', 'SUCCEEDED'] as const;

interface RequestRow {
  request_id: string;
  kind: RequestKind;
  outcome: Outcome;
  failure_reason: string | null;
  observed: number;
  created_at: number;
  target_id: string | null;
  permission_set_arn: string;
  principal_type: string | null;
  principal_id: string | null;
}

interface AssignmentTarget {
  accountId: string;
  permissionSet: PermissionSetRef;
  principalType: 'USER' | 'GROUP';
  principalId: string;
}

function assignmentTarget(ctx: EngineContext, input: AwsInput): AssignmentTarget {
  checkInstance(ctx, input);
  const accountId = requiredString(input, 'TargetId', PATTERNS.accountId);
  requiredEnum(input, 'TargetType', ['AWS_ACCOUNT']);
  const permissionSet = permissionSetRefOrFail(ctx, input);
  const principalType = requiredEnum(input, 'PrincipalType', ['USER', 'GROUP'] as const);
  const principalId = requiredString(input, 'PrincipalId', PATTERNS.resourceId);
  return { accountId, permissionSet, principalType, principalId };
}

const accountExists = (ctx: EngineContext, id: string): boolean =>
  ctx.sql('SELECT 1 FROM org_accounts WHERE id = ?').get(id) !== undefined;

function principalExists(ctx: EngineContext, type: 'USER' | 'GROUP', id: string): boolean {
  const table = type === 'USER' ? 'ids_users' : 'ids_groups';
  return ctx.sql(`SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

function outstanding(ctx: EngineContext, kind: RequestKind): number {
  const { n } = ctx.sql('SELECT count(*) AS n FROM sso_requests WHERE kind = ? AND observed = 0 AND created_at > ?')
    .get(kind, ctx.now() - ctx.limits.settleAfterMs) as { n: number };
  return n;
}

/**
 * seq runs across all kinds but is indexed per kind (kind, seq): max(seq) over the table would
 * scan it on every request, the largest of the per-kind maxima is three index lookups. The
 * kinds are the table's CHECK list. (Multi-argument max() is NULL if any argument is.)
 */
const NEXT_SEQ = `SELECT max(
  coalesce((SELECT max(seq) FROM sso_requests WHERE kind = 'assignment-create'), 0),
  coalesce((SELECT max(seq) FROM sso_requests WHERE kind = 'assignment-delete'), 0),
  coalesce((SELECT max(seq) FROM sso_requests WHERE kind = 'provision'), 0)) + 1 AS seq`;

function insertRequest(
  ctx: EngineContext,
  kind: RequestKind,
  outcome: Outcome,
  failureReason: string | undefined,
  fields: { targetId?: string; permissionSetArn: string; principalType?: string; principalId?: string },
): RequestRow {
  const { seq } = ctx.sql(NEXT_SEQ).get() as { seq: number };
  const row: RequestRow = {
    request_id: ctx.uuid(),
    kind,
    outcome,
    failure_reason: failureReason ?? null,
    observed: 0,
    created_at: ctx.now(),
    target_id: fields.targetId ?? null,
    permission_set_arn: fields.permissionSetArn,
    principal_type: fields.principalType ?? null,
    principal_id: fields.principalId ?? null,
  };
  ctx.sql(
      `INSERT INTO sso_requests (request_id, kind, outcome, failure_reason, observed, created_at, seq, target_id, permission_set_arn, principal_type, principal_id)
       VALUES (@request_id, @kind, @outcome, @failure_reason, @observed, @created_at, @seq, @target_id, @permission_set_arn, @principal_type, @principal_id)`,
    )
    .run({ ...row, seq });
  return row;
}

const isObserved = (ctx: EngineContext, r: RequestRow): boolean => r.observed !== 0 || ctx.unwrittenObservations.has(r.request_id);

function reportedStatus(ctx: EngineContext, r: RequestRow): 'IN_PROGRESS' | Outcome {
  return isObserved(ctx, r) || r.created_at + ctx.limits.settleAfterMs <= ctx.now() ? r.outcome : 'IN_PROGRESS';
}

/**
 * Writes the observed marks of requests described since the last write (see
 * EngineContext.unwrittenObservations). The engine runs it first in every write transaction,
 * so the outstanding-request counts that follow see them.
 */
export function writeObservations(ctx: EngineContext): void {
  if (ctx.unwrittenObservations.size === 0) return;
  const mark = ctx.sql('UPDATE sso_requests SET observed = 1 WHERE request_id = ?');
  for (const id of ctx.unwrittenObservations) mark.run(id);
}

function assignmentStatusOut(ctx: EngineContext, r: RequestRow): AwsOutput {
  const status = reportedStatus(ctx, r);
  return compact({
    Status: status,
    RequestId: r.request_id,
    FailureReason: status === 'FAILED' ? r.failure_reason : undefined,
    TargetId: r.target_id,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: r.permission_set_arn,
    PrincipalType: r.principal_type,
    PrincipalId: r.principal_id,
    CreatedDate: epochSeconds(r.created_at),
  });
}

function provisioningStatusOut(ctx: EngineContext, r: RequestRow): AwsOutput {
  const status = reportedStatus(ctx, r);
  return compact({
    Status: status,
    RequestId: r.request_id,
    AccountId: r.target_id,
    PermissionSetArn: r.permission_set_arn,
    FailureReason: status === 'FAILED' ? r.failure_reason : undefined,
    CreatedDate: epochSeconds(r.created_at),
  });
}

/** Puts the permission set's current version into the account (creates the role there). */
function provisionTo(ctx: EngineContext, p: PermissionSetRef, accountId: string): void {
  ctx.sql(
      // Already at this version (the account's other assignments put it there): no write, so
      // the page is not dirtied and not copied to the WAL again. Provisioning again cancels a
      // pending deprovisioning.
      `INSERT INTO sso_provisioned (account_id, permission_set_arn, version) VALUES (?, ?, ?)
       ON CONFLICT (account_id, permission_set_arn) DO UPDATE SET version = excluded.version, deprovision_at = NULL
       WHERE version <> excluded.version OR deprovision_at IS NOT NULL`,
    )
    .run(accountId, p.arn, p.version);
}

// Deprovisioning. When the last assignment of a permission set in an account goes, Identity
// Center removes the set's role from that account, asynchronously: a DeletePermissionSet right
// after the deletion request SUCCEEDED is refused with ConflictException until it is done
// (AWS's "Delete permission sets": "Before you can delete a permission set from IAM Identity
// Center, you should remove it from all AWS accounts that use the permission set",
// https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html; the
// race is hashicorp/terraform-provider-aws#26757 and aws-samples/aws-iam-identity-center-extensions#89,
// where deprovisioning "can take minutes"). Until then the pair is still listed by
// ListAccountsForProvisionedPermissionSet and ListPermissionSetsProvisionedToAccount.

/** Starts removing the set from the account its last assignment left (see above). */
function deprovisionFrom(ctx: EngineContext, permissionSetArn: string, accountId: string): void {
  if (ctx.limits.deprovisionAfterMs <= 0) {
    ctx.sql('DELETE FROM sso_provisioned WHERE account_id = ? AND permission_set_arn = ?').run(accountId, permissionSetArn);
    return;
  }
  ctx.sql('UPDATE sso_provisioned SET deprovision_at = ? WHERE account_id = ? AND permission_set_arn = ? AND deprovision_at IS NULL')
    .run(ctx.now() + ctx.limits.deprovisionAfterMs, accountId, permissionSetArn);
}

/** Drops the pairs whose deprovisioning has finished; the engine runs it first in every write. */
export function purgeDeprovisioned(ctx: EngineContext): void {
  ctx.sql('DELETE FROM sso_provisioned WHERE deprovision_at IS NOT NULL AND deprovision_at <= ?').run(ctx.now());
}

function createAccountAssignment(ctx: EngineContext, input: AwsInput): AwsOutput {
  const t = assignmentTarget(ctx, input);
  checkTargetAccount(ctx, 'CreateAccountAssignment', t.accountId);
  // AWS answers "There are too many requests processing" once 15 creations are outstanding.
  if (outstanding(ctx, 'assignment-create') >= ctx.limits.maxOutstandingAssignmentCreations) {
    fail('ThrottlingException', 'There are too many requests processing. Please try again later.');
  }
  const failure = !accountExists(ctx, t.accountId)
    ? `Received a 404 status error: Account ${t.accountId} is not a member of the organization`
    : !principalExists(ctx, t.principalType, t.principalId)
      ? `Received a 404 status error: ${t.principalType} ${t.principalId} does not exist in the identity store`
      : roleQuotaFailure(ctx, t.permissionSet.arn);
  if (failure === undefined) {
    // An identical assignment that already exists is accepted and succeeds, as on AWS.
    ctx.sql('INSERT OR IGNORE INTO sso_assignments (account_id, permission_set_arn, principal_type, principal_id) VALUES (?, ?, ?, ?)')
      .run(t.accountId, t.permissionSet.arn, t.principalType, t.principalId);
    provisionTo(ctx, t.permissionSet, t.accountId);
  }
  const row = insertRequest(ctx, 'assignment-create', failure ? 'FAILED' : 'SUCCEEDED', failure, {
    targetId: t.accountId,
    permissionSetArn: t.permissionSet.arn,
    principalType: t.principalType,
    principalId: t.principalId,
  });
  return { AccountAssignmentCreationStatus: assignmentStatusOut(ctx, row) };
}

function deleteAccountAssignment(ctx: EngineContext, input: AwsInput): AwsOutput {
  const t = assignmentTarget(ctx, input);
  checkTargetAccount(ctx, 'DeleteAccountAssignment', t.accountId);
  const { changes } = ctx.sql('DELETE FROM sso_assignments WHERE account_id = ? AND permission_set_arn = ? AND principal_type = ? AND principal_id = ?')
    .run(t.accountId, t.permissionSet.arn, t.principalType, t.principalId);
  const failure = changes === 0 ? `Received a 404 status error: No such account assignment for ${t.principalType} ${t.principalId}` : undefined;
  if (changes > 0) {
    // The last assignment gone, Identity Center removes the role: asynchronously (deprovisionFrom).
    const left = ctx.sql('SELECT 1 FROM sso_assignments WHERE account_id = ? AND permission_set_arn = ? LIMIT 1').get(t.accountId, t.permissionSet.arn);
    if (!left) deprovisionFrom(ctx, t.permissionSet.arn, t.accountId);
  }
  const row = insertRequest(ctx, 'assignment-delete', failure ? 'FAILED' : 'SUCCEEDED', failure, {
    targetId: t.accountId,
    permissionSetArn: t.permissionSet.arn,
    principalType: t.principalType,
    principalId: t.principalId,
  });
  return { AccountAssignmentDeletionStatus: assignmentStatusOut(ctx, row) };
}

function provisionPermissionSet(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = permissionSetRefOrFail(ctx, input);
  const targetType = requiredEnum(input, 'TargetType', ['AWS_ACCOUNT', 'ALL_PROVISIONED_ACCOUNTS'] as const);
  const targetId = optionalString(input, 'TargetId', PATTERNS.accountId);
  if (targetType === 'AWS_ACCOUNT' && targetId === undefined) fail('ValidationException', 'TargetId is required when TargetType is AWS_ACCOUNT');
  if (targetType === 'ALL_PROVISIONED_ACCOUNTS' && targetId !== undefined) fail('ValidationException', 'TargetId must be omitted when TargetType is ALL_PROVISIONED_ACCOUNTS');
  checkTargetAccount(ctx, 'ProvisionPermissionSet', targetId);
  if (targetId === undefined) checkPermissionSetManageable(ctx, 'ProvisionPermissionSet', p.arn);
  // One provisioning at a time per permission set and account; a handful per instance.
  const busy = ctx.sql(
      `SELECT 1 FROM sso_requests WHERE kind = 'provision' AND observed = 0 AND created_at > ? AND permission_set_arn = ?
       AND (? IS NULL OR target_id IS NULL OR target_id = ?) LIMIT 1`,
    )
    .get(ctx.now() - ctx.limits.settleAfterMs, p.arn, targetId ?? null, targetId ?? null);
  if (busy) fail('ConflictException', `A provisioning of PermissionSet ${p.name} is already in progress for this target`);
  if (outstanding(ctx, 'provision') >= ctx.limits.maxOutstandingProvisionings) {
    fail('ThrottlingException', 'There are too many requests processing. Please try again later.');
  }
  let failure = roleQuotaFailure(ctx, p.arn);
  if (failure !== undefined) {
    // Nothing provisioned: the role could not take the policies.
  } else if (targetId !== undefined) {
    if (accountExists(ctx, targetId)) provisionTo(ctx, p, targetId);
    else failure = `Received a 404 status error: Account ${targetId} is not a member of the organization`;
  } else {
    ctx.sql(`UPDATE sso_provisioned SET version = ? WHERE permission_set_arn = ? AND ${STILL_PROVISIONED}`).run(p.version, p.arn, ctx.now());
  }
  const row = insertRequest(ctx, 'provision', failure ? 'FAILED' : 'SUCCEEDED', failure, { targetId, permissionSetArn: p.arn });
  return { PermissionSetProvisioningStatus: provisioningStatusOut(ctx, row) };
}

function describeRequest(ctx: EngineContext, input: AwsInput, field: string, kind: RequestKind): RequestRow {
  checkInstance(ctx, input);
  const id = requiredString(input, field, PATTERNS.uuid);
  const row = ctx.sql('SELECT * FROM sso_requests WHERE request_id = ? AND kind = ?').get(id, kind) as RequestRow | undefined;
  if (!row) return fail('ResourceNotFoundException', `Request ${id} not found`);
  // Describing finishes the request: this and every later answer is its outcome. A status call
  // is a read: the mark is written with the engine's next write (an apply polls every request
  // once; a write transaction of its own per poll was a third of an apply's commits).
  if (!isObserved(ctx, row)) ctx.unwrittenObservations.add(id);
  return { ...row, observed: 1 };
}

function listRequests(ctx: EngineContext, input: AwsInput, operation: string, kind: RequestKind): { items: RequestRow[]; nextToken?: string } {
  checkInstance(ctx, input);
  const filter = optionalObject(input, 'Filter');
  const wanted = filter ? optionalEnum(filter, 'Status', STATUS_VALUES) : undefined;
  const rows = ctx.sql('SELECT * FROM sso_requests WHERE kind = ? ORDER BY seq').all(kind) as RequestRow[];
  const matching = wanted ? rows.filter((r) => reportedStatus(ctx, r) === wanted) : rows;
  const page = pageRequest(input, operation, 100, 100);
  return paginate(page, operation, (offset, limit) => matching.slice(offset, offset + limit));
}

const statusSummary = (ctx: EngineContext, r: RequestRow): AwsOutput => ({
  Status: reportedStatus(ctx, r),
  RequestId: r.request_id,
  CreatedDate: epochSeconds(r.created_at),
});

function listAccountAssignments(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const accountId = requiredString(input, 'AccountId', PATTERNS.accountId);
  const p = permissionSetRefOrFail(ctx, input);
  const page = pageRequest(input, 'ListAccountAssignments', 100, 100);
  const { items, nextToken } = paginate(page, 'ListAccountAssignments', (offset, limit) =>
    ctx.sql(
        `SELECT principal_type, principal_id FROM sso_assignments WHERE account_id = ? AND permission_set_arn = ?
         ORDER BY principal_type, principal_id LIMIT ? OFFSET ?`,
      )
      .all(accountId, p.arn, limit, offset) as { principal_type: string; principal_id: string }[],
  );
  return compact({
    AccountAssignments: items.map((a) => ({ AccountId: accountId, PermissionSetArn: p.arn, PrincipalType: a.principal_type, PrincipalId: a.principal_id })),
    NextToken: nextToken,
  });
}

function listAccountAssignmentsForPrincipal(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  requireManagementCaller(ctx, 'ListAccountAssignmentsForPrincipal');
  const principalId = requiredString(input, 'PrincipalId', PATTERNS.resourceId);
  const principalType = requiredEnum(input, 'PrincipalType', ['USER', 'GROUP'] as const);
  const filter = optionalObject(input, 'Filter');
  const accountId = filter ? optionalString(filter, 'AccountId', PATTERNS.accountId) : undefined;
  const page = pageRequest(input, 'ListAccountAssignmentsForPrincipal', 100, 100);
  const { items, nextToken } = paginate(page, 'ListAccountAssignmentsForPrincipal', (offset, limit) =>
    ctx.sql(
        `SELECT account_id, permission_set_arn FROM sso_assignments
         WHERE principal_id = ? AND principal_type = ? AND (? IS NULL OR account_id = ?)
         ORDER BY account_id, permission_set_arn LIMIT ? OFFSET ?`,
      )
      .all(principalId, principalType, accountId ?? null, accountId ?? null, limit, offset) as { account_id: string; permission_set_arn: string }[],
  );
  return compact({
    AccountAssignments: items.map((a) => ({ AccountId: a.account_id, PermissionSetArn: a.permission_set_arn, PrincipalId: principalId, PrincipalType: principalType })),
    NextToken: nextToken,
  });
}

const PROVISIONED_CONDITION = `(? IS NULL
  OR (? = 'LATEST_PERMISSION_SET_PROVISIONED' AND pr.version = ps.version)
  OR (? = 'LATEST_PERMISSION_SET_NOT_PROVISIONED' AND pr.version <> ps.version))`;

function listPermissionSetsProvisionedToAccount(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const accountId = requiredString(input, 'AccountId', PATTERNS.accountId);
  const status = optionalEnum(input, 'ProvisioningStatus', PROVISIONING_STATUSES) ?? null;
  const page = pageRequest(input, 'ListPermissionSetsProvisionedToAccount', 100, 100);
  const { items, nextToken } = paginate(page, 'ListPermissionSetsProvisionedToAccount', (offset, limit) =>
    ctx.sql(
        `SELECT pr.permission_set_arn AS arn FROM sso_provisioned pr JOIN sso_permission_sets ps ON ps.arn = pr.permission_set_arn
         WHERE pr.account_id = ? AND ${PROVISIONED_CONDITION} AND ${STILL_PROVISIONED} ORDER BY pr.permission_set_arn LIMIT ? OFFSET ?`,
      )
      .all(accountId, status, status, status, ctx.now(), limit, offset) as { arn: string }[],
  );
  return compact({ PermissionSets: items.map((r) => r.arn), NextToken: nextToken });
}

function listAccountsForProvisionedPermissionSet(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkInstance(ctx, input);
  const p = permissionSetRefOrFail(ctx, input);
  const status = optionalEnum(input, 'ProvisioningStatus', PROVISIONING_STATUSES) ?? null;
  const page = pageRequest(input, 'ListAccountsForProvisionedPermissionSet', 100, 100);
  const { items, nextToken } = paginate(page, 'ListAccountsForProvisionedPermissionSet', (offset, limit) =>
    ctx.sql(
        `SELECT pr.account_id AS id FROM sso_provisioned pr JOIN sso_permission_sets ps ON ps.arn = pr.permission_set_arn
         WHERE pr.permission_set_arn = ? AND ${PROVISIONED_CONDITION} AND ${STILL_PROVISIONED} ORDER BY pr.account_id LIMIT ? OFFSET ?`,
      )
      .all(p.arn, status, status, status, ctx.now(), limit, offset) as { id: string }[],
  );
  return compact({ AccountIds: items.map((r) => r.id), NextToken: nextToken });
}

export const ASSIGNMENT_OPERATIONS: OperationTable = {
  CreateAccountAssignment: write(createAccountAssignment),
  DeleteAccountAssignment: write(deleteAccountAssignment),
  DescribeAccountAssignmentCreationStatus: read((ctx, input) => ({
    AccountAssignmentCreationStatus: assignmentStatusOut(ctx, describeRequest(ctx, input, 'AccountAssignmentCreationRequestId', 'assignment-create')),
  })),
  DescribeAccountAssignmentDeletionStatus: read((ctx, input) => ({
    AccountAssignmentDeletionStatus: assignmentStatusOut(ctx, describeRequest(ctx, input, 'AccountAssignmentDeletionRequestId', 'assignment-delete')),
  })),
  ListAccountAssignmentCreationStatus: read((ctx, input) => {
    const { items, nextToken } = listRequests(ctx, input, 'ListAccountAssignmentCreationStatus', 'assignment-create');
    return compact({ AccountAssignmentsCreationStatus: items.map((r) => statusSummary(ctx, r)), NextToken: nextToken });
  }),
  ListAccountAssignmentDeletionStatus: read((ctx, input) => {
    const { items, nextToken } = listRequests(ctx, input, 'ListAccountAssignmentDeletionStatus', 'assignment-delete');
    return compact({ AccountAssignmentsDeletionStatus: items.map((r) => statusSummary(ctx, r)), NextToken: nextToken });
  }),
  ProvisionPermissionSet: write(provisionPermissionSet),
  DescribePermissionSetProvisioningStatus: read((ctx, input) => ({
    PermissionSetProvisioningStatus: provisioningStatusOut(ctx, describeRequest(ctx, input, 'ProvisionPermissionSetRequestId', 'provision')),
  })),
  ListPermissionSetProvisioningStatus: read((ctx, input) => {
    const { items, nextToken } = listRequests(ctx, input, 'ListPermissionSetProvisioningStatus', 'provision');
    return compact({ PermissionSetsProvisioningStatus: items.map((r) => statusSummary(ctx, r)), NextToken: nextToken });
  }),
  ListAccountAssignments: read(listAccountAssignments),
  ListAccountAssignmentsForPrincipal: read(listAccountAssignmentsForPrincipal),
  ListPermissionSetsProvisionedToAccount: read(listPermissionSetsProvisionedToAccount),
  ListAccountsForProvisionedPermissionSet: read(listAccountsForProvisionedPermissionSet),
};
