import { permissionSetKey } from '../model/keys.js';
import { isContentField, permissionSetFieldChanges, permissionSetSpecOf } from './compare-fields.js';
import { type DiffContext, isIgnoredAssignment, sourceOf, warnIgnoredButDeclared } from './diff-context.js';

/**
 * Permission sets. A rename (`renamedFrom`) deletes the old one even under ownership `keep`:
 * the config said explicitly that it is gone. Its assignments move in diffAssignments.
 */
export function diffPermissionSets(ctx: DiffContext): void {
  const live = new Map(ctx.live.permissionSets.map((p) => [p.name, p]));
  const renamedFrom = new Map(Object.entries(ctx.desired.permissionSetRenames).map(([from, to]) => [to, from]));
  const declared = new Set<string>();
  for (const ps of ctx.desired.permissionSets) {
    declared.add(ps.name);
    if (ctx.ignored.permissionSet(ps.name)) {
      warnIgnoredButDeclared(ctx, `Permission set "${ps.name}"`, sourceOf(ctx, permissionSetKey(ps.name)));
      continue;
    }
    const current = live.get(ps.name);
    if (!current) {
      const from = renamedFrom.get(ps.name);
      ctx.changes.push({
        kind: 'permissionSet.create',
        after: permissionSetSpecOf(ps),
        ...(from !== undefined && live.has(from) ? { renamedFrom: from } : {}),
      });
      continue;
    }
    const fields = permissionSetFieldChanges(current, ps);
    if (fields.length === 0) continue;
    if (fields.some(isContentField)) ctx.contentChanged.add(ps.name);
    ctx.changes.push({
      kind: 'permissionSet.update',
      before: permissionSetSpecOf(current),
      after: permissionSetSpecOf(ps),
      fields,
    });
  }
  const renamedAway = new Set(
    Object.entries(ctx.desired.permissionSetRenames)
      .filter(([, to]) => declared.has(to))
      .map(([from]) => from),
  );
  // AWS refuses to delete a permission set that still has assignments. Those that another
  // tool owns (ignore rules) or that sit in suspended accounts cannot be removed first, so
  // such a permission set has to stay.
  const protectedByIgnore = new Set<string>();
  for (const a of ctx.live.assignments) {
    if (ctx.inactiveAccounts.has(a.accountId) || isIgnoredAssignment(ctx, a.principalType, a.principalName, a.permissionSetName)) {
      protectedByIgnore.add(a.permissionSetName);
    }
  }
  for (const ps of ctx.live.permissionSets) {
    if (declared.has(ps.name) || ctx.ignored.permissionSet(ps.name)) continue;
    const wouldDelete = renamedAway.has(ps.name) || ctx.ownership.permissionSets === 'prune';
    if (wouldDelete && protectedByIgnore.has(ps.name)) {
      ctx.diagnostics.push({
        severity: 'warning',
        rule: 'delete-blocked',
        message: `Permission set "${ps.name}" is not declared but keeps assignments that ignore rules protect or that sit in suspended accounts, so it is not deleted.`,
      });
      ctx.unmanaged.push({ kind: 'permissionSet', key: permissionSetKey(ps.name) });
      continue;
    }
    if (wouldDelete) {
      ctx.deletedPermissionSets.add(ps.name);
      if (renamedAway.has(ps.name)) ctx.renamedPermissionSets.add(ps.name);
      const to = renamedAway.has(ps.name) ? ctx.desired.permissionSetRenames[ps.name] : undefined;
      ctx.changes.push({
        kind: 'permissionSet.delete',
        before: permissionSetSpecOf(ps),
        ...(to !== undefined ? { renamedTo: to } : {}),
      });
    } else {
      ctx.unmanaged.push({ kind: 'permissionSet', key: permissionSetKey(ps.name) });
    }
  }
}
