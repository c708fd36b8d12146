import type { DiffContext } from './diff-context.js';
import type { TupleKey, TupleKeys } from '../expand/tuple-keys.js';

/**
 * A permission set whose policies changed is not live in an account until it is provisioned
 * there again; until then AWS reports LATEST_PERMISSION_SET_NOT_PROVISIONED (DESIGN.md,
 * "Identity Center behaviour"). Plan a provision for every account that keeps assignments of
 * a managed permission set and either gets new content or is already behind. Accounts that
 * only gain new assignments need nothing: CreateAccountAssignment provisions by itself.
 */
export function planProvisioning(ctx: DiffContext, keys: TupleKeys, remaining: ReadonlySet<TupleKey>): void {
  const declared = new Set<string>();
  for (const p of ctx.desired.permissionSets) if (!ctx.ignored.permissionSet(p.name)) declared.add(p.name);
  const planned = new Set<TupleKey>();
  for (const row of ctx.live.provisioning) {
    if (!declared.has(row.permissionSetName)) continue;
    const key = keys.provisionKey(row.permissionSetName, row.accountId);
    if (key === undefined || planned.has(key) || !remaining.has(key)) continue;
    const reason = ctx.contentChanged.has(row.permissionSetName)
      ? 'content-changed'
      : row.status === 'LATEST_PERMISSION_SET_NOT_PROVISIONED'
        ? 'not-provisioned'
        : undefined;
    if (reason === undefined) continue;
    planned.add(key);
    ctx.changes.push({
      kind: 'permissionSet.provision',
      permissionSetName: row.permissionSetName,
      accountId: row.accountId,
      reason,
    });
  }
}
