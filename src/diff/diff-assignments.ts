import type { AssignmentTuple, PrincipalType } from '../model/entities.js';
import type { SourceRange } from '../model/desired.js';
import type { LiveAssignment } from '../model/live.js';
import { assignmentKey, compareStrings, groupKey, principalKey, userKey } from '../model/keys.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import type { Change } from './change.js';
import { type DiffContext, isIgnoredAssignment, sourceOf, warnIgnoredButDeclared } from './diff-context.js';

/** `permissionSetName|accountId`: the unit AWS provisions. */
export const provisionKey = (permissionSetName: string, accountId: string): string =>
  `${permissionSetName}|${accountId}`;

export interface AssignmentDiff {
  /** (permission set, account) pairs that still hold at least one assignment after the plan. */
  readonly remaining: ReadonlySet<string>;
}

/**
 * Account assignments. Live ones outside the config are deleted when Gatehouse owns them:
 * always when their permission set is renamed or deleted (AWS refuses to delete a permission
 * set that still has assignments), when expired, and otherwise under ownership `prune` if
 * their permission set is managed; always when their principal is deleted (else they would
 * linger as orphans). Orphans (principal already gone) can only be named by id.
 */
export function diffAssignments(
  ctx: DiffContext,
  expanded: readonly ExpandedAssignment[],
  expired: readonly ExpandedAssignment[],
  now: Date,
): AssignmentDiff {
  const remaining = new Set<string>();
  const wanted = wantedAssignments(ctx, expanded, now);
  const expiredKeys = new Set<string>();
  for (const t of expired) expiredKeys.add(assignmentKey(t));
  for (const t of expanded) if (t.expires !== undefined && Date.parse(t.expires) <= now.getTime()) expiredKeys.add(assignmentKey(t));
  const renamed = ctx.renamedPermissionSets;
  const declaredPermissionSets = new Set(ctx.desired.permissionSets.map((p) => p.name));
  const prune = ctx.ownership.assignments === 'prune';

  const present = new Set<string>();
  for (const a of ctx.live.assignments) {
    if (isIgnoredAssignment(ctx, a.principalName, a.permissionSetName)) {
      remaining.add(provisionKey(a.permissionSetName, a.accountId));
      continue;
    }
    const tuple = liveTuple(a);
    const key = assignmentKey(tuple);
    if (wanted.has(key)) {
      present.add(key);
      remaining.add(provisionKey(a.permissionSetName, a.accountId));
      continue;
    }
    const cause = deleteCause(ctx, a, key, { renamed, expiredKeys, declaredPermissionSets, prune });
    if (cause === undefined) {
      remaining.add(provisionKey(a.permissionSetName, a.accountId));
      ctx.unmanaged.push({ kind: 'assignment', key });
      continue;
    }
    ctx.changes.push({
      kind: 'assignment.delete',
      assignment: tuple,
      ...(a.principalName === undefined ? { principalId: a.principalId } : {}),
      cause,
    });
  }

  for (const [key, t] of wanted) {
    if (present.has(key)) continue;
    remaining.add(provisionKey(t.permissionSetName, t.accountId));
    const change: Change = {
      kind: 'assignment.create',
      assignment: {
        principalType: t.principalType,
        principalName: t.principalName,
        permissionSetName: t.permissionSetName,
        accountId: t.accountId,
      },
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
      ...(t.expires !== undefined ? { expires: t.expires } : {}),
    };
    ctx.changes.push(change);
  }
  return { remaining };
}

function deleteCause(
  ctx: DiffContext,
  a: LiveAssignment,
  key: string,
  scope: {
    renamed: ReadonlySet<string>;
    expiredKeys: ReadonlySet<string>;
    declaredPermissionSets: ReadonlySet<string>;
    prune: boolean;
  },
): 'undeclared' | 'expired' | 'orphaned' | 'renamed' | undefined {
  if (scope.renamed.has(a.permissionSetName)) return 'renamed';
  const permissionSetGoes = ctx.deletedPermissionSets.has(a.permissionSetName);
  if (a.principalName === undefined) return scope.prune || permissionSetGoes ? 'orphaned' : undefined;
  if (scope.expiredKeys.has(key)) return 'expired';
  if (permissionSetGoes) return 'undeclared';
  // Deleting a principal would leave its assignments behind as orphans: remove them first.
  const principalGoes =
    a.principalType === 'USER' ? ctx.deletedUsers.has(a.principalName) : ctx.deletedGroups.has(a.principalName);
  if (principalGoes) return 'undeclared';
  if (scope.prune && scope.declaredPermissionSets.has(a.permissionSetName)) return 'undeclared';
  return undefined;
}

/** An orphan has no name any more: its principal id stands in, so the key stays unique. */
function liveTuple(a: LiveAssignment): AssignmentTuple {
  return {
    principalType: a.principalType,
    principalName: a.principalName ?? a.principalId,
    permissionSetName: a.permissionSetName,
    accountId: a.accountId,
  };
}


/**
 * The expanded tuples Gatehouse can actually create: not ignored, with a permission set and a
 * principal that will exist. Each problem is reported once, where it was written.
 */
function wantedAssignments(
  ctx: DiffContext,
  expanded: readonly ExpandedAssignment[],
  now: Date,
): Map<string, ExpandedAssignment> {
  const permissionSets = new Set<string>();
  for (const p of ctx.desired.permissionSets) if (!ctx.ignored.permissionSet(p.name)) permissionSets.add(p.name);
  for (const p of ctx.live.permissionSets) if (!ctx.deletedPermissionSets.has(p.name)) permissionSets.add(p.name);
  const principals = knownPrincipals(ctx);
  const missing = reportMissingReferences(ctx, principals);
  const reported = new Set<string>();
  const report = (key: string, source: SourceRange, rule: string, message: string): void => {
    if (reported.has(key)) return;
    reported.add(key);
    ctx.diagnostics.push({ severity: 'error', rule, message, source });
  };
  const ignoredSources = new Set<string>();
  const nowMs = now.getTime();

  const wanted = new Map<string, ExpandedAssignment>();
  for (const t of expanded) {
    if (t.expires !== undefined && Date.parse(t.expires) <= nowMs) continue;
    if (isIgnoredAssignment(ctx, t.principalName, t.permissionSetName)) {
      const where = `${t.source.file}:${t.source.line}:${t.source.col}|${t.principalName}|${t.permissionSetName}`;
      if (!ignoredSources.has(where)) {
        ignoredSources.add(where);
        warnIgnoredButDeclared(ctx, `An assignment of ${t.principalName} to ${t.permissionSetName}`, t.source);
      }
      continue;
    }
    if (!permissionSets.has(t.permissionSetName)) {
      report(
        `ps|${t.permissionSetName}|${t.source.file}:${t.source.line}`,
        t.source,
        'unknown-permission-set',
        `Permission set "${t.permissionSetName}" is neither declared nor in Identity Center.`,
      );
      continue;
    }
    const pKey = principalKey(t.principalType, t.principalName);
    if (!principals.has(pKey)) {
      if (!missing.has(pKey)) {
        report(`${pKey}|${t.source.file}:${t.source.line}`, t.source, 'unknown-principal', missingPrincipalMessage(ctx, t.principalType, t.principalName));
      }
      continue;
    }
    wanted.set(assignmentKey(t), t);
  }
  return wanted;
}

function knownPrincipals(ctx: DiffContext): Set<string> {
  const known = new Set<string>();
  if (!ctx.external) {
    for (const u of ctx.desired.users) if (!ctx.ignored.user(u.userName)) known.add(userKey(u.userName));
    for (const g of ctx.desired.groups) if (!ctx.ignored.group(g.displayName)) known.add(groupKey(g.displayName));
  }
  for (const u of ctx.live.users) if (!ctx.deletedUsers.has(u.userName)) known.add(userKey(u.userName));
  for (const g of ctx.live.groups) if (!ctx.deletedGroups.has(g.displayName)) known.add(groupKey(g.displayName));
  return known;
}

const missingPrincipalMessage = (ctx: DiffContext, type: PrincipalType, name: string): string => {
  const what = type === 'USER' ? 'User' : 'Group';
  return ctx.external
    ? `${what} "${name}" is not in the identity store; with an external identity source it must be provisioned by the IdP (SCIM) before it can be assigned.`
    : `${what} "${name}" is neither declared nor in the identity store.`;
};

/**
 * With an external identity source every principal the config names must already exist in
 * the live identity store. Reported at the place the config names it (file:line:col).
 */
function reportMissingReferences(ctx: DiffContext, principals: ReadonlySet<string>): Set<string> {
  const missing = new Set<string>();
  if (!ctx.external) return missing;
  // The earliest place in the files, not the first rule seen, so rule order changes nothing.
  const firstRuleNaming = new Map<string, SourceRange>();
  const note = (key: string, source: SourceRange): void => {
    const seen = firstRuleNaming.get(key);
    if (!seen || compareSources(source, seen) < 0) firstRuleNaming.set(key, source);
  };
  for (const rule of ctx.desired.assignments) {
    for (const u of rule.users) note(userKey(u), rule.source);
    for (const g of rule.groups) note(groupKey(g), rule.source);
  }
  const check = (type: PrincipalType, name: string): void => {
    const key = principalKey(type, name);
    if (principals.has(key) || missing.has(key)) return;
    missing.add(key);
    const source = sourceOf(ctx, key) ?? firstRuleNaming.get(key);
    ctx.diagnostics.push({
      severity: 'error',
      rule: 'unknown-principal',
      message: missingPrincipalMessage(ctx, type, name),
      ...(source ? { source } : {}),
    });
  };
  for (const u of ctx.desired.referencedUsers) check('USER', u);
  for (const g of ctx.desired.referencedGroups) check('GROUP', g);
  return missing;
}

const compareSources = (a: SourceRange, b: SourceRange): number =>
  compareStrings(a.file, b.file) || a.line - b.line || a.col - b.col;
