import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DesiredState, Ownership, OwnedKind, SourceRange } from '../model/desired.js';
import type { PrincipalType } from '../model/entities.js';
import type { LiveState } from '../model/live.js';
import type { Change } from './change.js';
import type { UnmanagedObject } from '../plan/plan.js';
import { nameMatcher, type NameMatcher } from './ignore-matcher.js';

// State shared by the per-entity diff steps. Each step reads what earlier ones decided (which
// principals and permission sets are deleted) and appends to the three result lists.

export interface DiffContext {
  readonly desired: DesiredState;
  readonly live: LiveState;
  readonly external: boolean;
  readonly ownership: Readonly<Record<OwnedKind, Ownership>>;
  readonly ignored: {
    readonly user: NameMatcher;
    readonly group: NameMatcher;
    readonly permissionSet: NameMatcher;
    readonly assignmentPrincipal: NameMatcher;
  };
  readonly changes: Change[];
  readonly unmanaged: UnmanagedObject[];
  readonly diagnostics: Diagnostic[];
  /** Names the plan deletes; later steps clear what depends on them first. */
  readonly deletedUsers: Set<string>;
  readonly deletedGroups: Set<string>;
  readonly deletedPermissionSets: Set<string>;
  /** Old names of permission sets renamed (and so deleted) by this plan. */
  readonly renamedPermissionSets: Set<string>;
  /** Accounts that are suspended or closing: AWS accepts no writes for them. */
  readonly inactiveAccounts: ReadonlySet<string>;
  /** Permission sets whose grants change (any field but tags): they need re-provisioning. */
  readonly contentChanged: Set<string>;
  /**
   * Live principal name → the name the config knows it by (a rename, a case-only change, or
   * an IdP's case change with an external source). Filled by diffUsers / diffGroups.
   */
  readonly principalRenames: { readonly users: Map<string, string>; readonly groups: Map<string, string> };
}

export function createDiffContext(desired: DesiredState, live: LiveState): DiffContext {
  const ignore = desired.settings.ignore;
  return {
    desired,
    live,
    external: desired.settings.identitySource === 'external',
    ownership: desired.settings.ownership,
    ignored: {
      user: nameMatcher(ignore.users),
      group: nameMatcher(ignore.groups),
      permissionSet: nameMatcher(ignore.permissionSets),
      assignmentPrincipal: nameMatcher(ignore.assignmentPrincipals),
    },
    changes: [],
    unmanaged: [],
    diagnostics: [],
    deletedUsers: new Set(),
    deletedGroups: new Set(),
    deletedPermissionSets: new Set(),
    renamedPermissionSets: new Set(),
    contentChanged: new Set(),
    principalRenames: { users: new Map(), groups: new Map() },
    inactiveAccounts: new Set(
      live.organization.accounts.filter((a) => a.status !== undefined && a.status !== 'ACTIVE').map((a) => a.id),
    ),
  };
}

export const sourceOf = (ctx: DiffContext, key: string): SourceRange | undefined => ctx.desired.sources.get(key);

export function warnIgnoredButDeclared(ctx: DiffContext, what: string, source: SourceRange | undefined): void {
  ctx.diagnostics.push({
    severity: 'warning',
    rule: 'ignored-but-declared',
    message: `${what} matches an ignore rule, so Gatehouse leaves it alone; remove it from the config or from settings.ignore.`,
    ...(source ? { source } : {}),
  });
}

/**
 * Assignments of ignored permission sets, of ignored users and groups (a just-in-time access
 * tool grants directly to the principals it owns), or whose principal or permission set
 * matches assignmentPrincipals.
 */
export function isIgnoredAssignment(
  ctx: DiffContext,
  principalType: PrincipalType,
  principalName: string | undefined,
  permissionSetName: string,
): boolean {
  return (
    ctx.ignored.permissionSet(permissionSetName) ||
    ctx.ignored.assignmentPrincipal(permissionSetName) ||
    (principalName !== undefined &&
      (ctx.ignored.assignmentPrincipal(principalName) ||
        (principalType === 'USER' ? ctx.ignored.user(principalName) : ctx.ignored.group(principalName))))
  );
}

/**
 * The context with live principals, memberships and assignments read under the names the config
 * knows them by, once diffUsers / diffGroups have matched them: a renamed principal keeps its
 * memberships and assignments (UpdateUser / UpdateGroup keep the id), so nothing of it is
 * deleted and re-created. Returns `ctx` itself when nothing is renamed (the common case, and the
 * cheap one at 250,000 assignments).
 */
export function withPrincipalRenames(ctx: DiffContext): DiffContext {
  const { users, groups } = ctx.principalRenames;
  if (users.size === 0 && groups.size === 0) return ctx;
  const user = (name: string | undefined): string | undefined => (name === undefined ? name : (users.get(name) ?? name));
  const group = (name: string | undefined): string | undefined => (name === undefined ? name : (groups.get(name) ?? name));
  const live = ctx.live;
  return {
    ...ctx,
    live: {
      ...live,
      users: live.users.map((u) => (users.has(u.userName) ? { ...u, userName: users.get(u.userName)! } : u)),
      groups: live.groups.map((g) => (groups.has(g.displayName) ? { ...g, displayName: groups.get(g.displayName)! } : g)),
      memberships: live.memberships.map((m) => {
        const groupName = group(m.groupName);
        const userName = user(m.userName);
        return groupName === m.groupName && userName === m.userName
          ? m
          : { ...m, ...(groupName !== undefined && { groupName }), ...(userName !== undefined && { userName }) };
      }),
      assignments: live.assignments.map((a) => {
        const principalName = a.principalType === 'USER' ? user(a.principalName) : group(a.principalName);
        return principalName === a.principalName || principalName === undefined ? a : { ...a, principalName };
      }),
    },
  };
}
