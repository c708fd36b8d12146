import type { EngineContext } from './context.js';
import { STILL_PROVISIONED } from './schema.js';
import { fail } from './wire.js';

// What a delegated administrator may not do. AWS's "Register a member account" page
// (https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin-how-to-register.html):
// a delegated administrator "can perform all IAM Identity Center administrative tasks from the
// account, except for: Enabling IAM Identity Center; Deleting IAM Identity Center configurations;
// Managing permission sets provisioned in the management account; Registering or deregistering
// other member accounts as delegated administrators; Enabling or disabling user access in the
// management account". And the model on ListAccountAssignmentsForPrincipal: "This action must
// be called from the management account containing your organization instance of IAM Identity
// Center."

/** The management account of the loaded organisation ('000000000000' when none is loaded). */
export function managementAccountId(ctx: EngineContext): string {
  const row = ctx.sql('SELECT management_account_id AS id FROM org_info WHERE id = 1').get() as { id: string } | undefined;
  return row?.id ?? '000000000000';
}

export const callerIsManagement = (ctx: EngineContext): boolean => ctx.callerAccountId() === managementAccountId(ctx);

function deny(ctx: EngineContext, action: string, why: string): never {
  return fail(
    'AccessDeniedException',
    `User: arn:aws:sts::${ctx.callerAccountId()}:assumed-role/gatehouse is not authorized to perform: sso:${action}: ${why}`,
  );
}

/** Management-account-only operations (ListAccountAssignmentsForPrincipal). */
export function requireManagementCaller(ctx: EngineContext, action: string): void {
  if (!callerIsManagement(ctx)) deny(ctx, action, 'this action must be called from the management account');
}

/** Assigning access in the management account ("Enabling or disabling user access in the management account"). */
export function checkTargetAccount(ctx: EngineContext, action: string, accountId: string | undefined): void {
  if (accountId !== undefined && accountId === managementAccountId(ctx) && !callerIsManagement(ctx)) {
    deny(ctx, action, `a delegated administrator cannot manage access to the management account ${accountId}`);
  }
}

/** "Managing permission sets provisioned in the management account." */
export function checkPermissionSetManageable(ctx: EngineContext, action: string, permissionSetArn: string): void {
  if (callerIsManagement(ctx)) return;
  const management = managementAccountId(ctx);
  const provisioned = ctx.sql(`SELECT 1 FROM sso_provisioned WHERE account_id = ? AND permission_set_arn = ? AND ${STILL_PROVISIONED}`)
    .get(management, permissionSetArn, ctx.now());
  if (provisioned) {
    deny(ctx, action, `a delegated administrator cannot manage a permission set provisioned in the management account ${management}`);
  }
}
