import type { AssignmentTuple, PrincipalType } from '../model/entities.js';
import type { SourceRange } from '../model/desired.js';
import type { LiveAssignment } from '../model/live.js';
import { assignmentKey, compareStrings, groupKey, principalKey, userKey } from '../model/keys.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import { type DiffContext, isIgnoredAssignment, sourceOf, warnIgnoredButDeclared } from './diff-context.js';
import { type TupleKey, TupleKeys } from '../expand/tuple-keys.js';

export interface AssignmentDiff {
  readonly keys: TupleKeys;
  /** (permission set, account) pairs that still hold at least one assignment after the plan. */
  readonly remaining: ReadonlySet<TupleKey>;
}

type DeleteCause = 'undeclared' | 'expired' | 'orphaned' | 'renamed';

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
  const keys = new TupleKeys();
  for (const t of expanded) keys.add(t.principalType, t.principalName, t.permissionSetName, t.accountId);
  for (const t of expired) keys.add(t.principalType, t.principalName, t.permissionSetName, t.accountId);
  for (const a of ctx.live.assignments) keys.add(a.principalType, a.principalName ?? a.principalId, a.permissionSetName, a.accountId);
  keys.seal();

  const nowMs = now.getTime();
  const wanted = wantedAssignments(ctx, expanded, keys, nowMs);
  const expiredKeys = new Set<TupleKey>();
  for (const t of expired) expiredKeys.add(keys.key(t.principalType, t.principalName, t.permissionSetName, t.accountId)!);
  for (const t of expanded) {
    if (t.expires !== undefined && Date.parse(t.expires) <= nowMs) {
      expiredKeys.add(keys.key(t.principalType, t.principalName, t.permissionSetName, t.accountId)!);
    }
  }
  const declaredPermissionSets = new Set(ctx.desired.permissionSets.map((p) => p.name));
  const prune = ctx.ownership.assignments === 'prune';
  const remaining = new Set<TupleKey>();

  const present = new Set<TupleKey>();
  /** Live assignments of renamed permission sets that ownership `keep` leaves to someone else. */
  const moving: AssignmentTuple[] = [];
  for (const a of ctx.live.assignments) {
    // Suspended or closing accounts accept no Identity Center writes: their assignments wait,
    // untouched and not provisioned, until the account is active again or has left.
    if (ctx.inactiveAccounts.has(a.accountId)) continue;
    const pair = keys.provisionKey(a.permissionSetName, a.accountId)!;
    if (isIgnoredAssignment(ctx, a.principalType, a.principalName, a.permissionSetName)) {
      remaining.add(pair);
      continue;
    }
    const key = keys.key(a.principalType, a.principalName ?? a.principalId, a.permissionSetName, a.accountId)!;
    if (wanted.has(key)) {
      present.add(key);
      remaining.add(pair);
      continue;
    }
    const tuple = liveTuple(a);
    const cause = deleteCause(ctx, a, expiredKeys.has(key), declaredPermissionSets, prune);
    if (cause === undefined) {
      remaining.add(pair);
      ctx.unmanaged.push({ kind: 'assignment', key: assignmentKey(tuple) });
      continue;
    }
    ctx.changes.push({
      kind: 'assignment.delete',
      assignment: tuple,
      ...(a.principalName === undefined ? { principalId: a.principalId } : {}),
      cause,
    });
    if (cause === 'renamed' && !prune && a.principalName !== undefined) moving.push(tuple);
  }
  moveKeptAssignments(ctx, moving, wanted, expiredKeys, keys);

  for (const [key, t] of wanted) {
    if (present.has(key)) continue;
    remaining.add(keys.provisionKey(t.permissionSetName, t.accountId)!);
    ctx.changes.push({
      kind: 'assignment.create',
      assignment: {
        principalType: t.principalType,
        principalName: t.principalName,
        permissionSetName: t.permissionSetName,
        accountId: t.accountId,
      },
      ...(t.reason !== undefined ? { reason: t.reason } : {}),
      ...(t.expires !== undefined ? { expires: t.expires } : {}),
    });
  }
  return { keys, remaining };
}

/**
 * A rename is create + move + delete (DESIGN.md): under ownership `keep` the assignments of the
 * old permission set that the config does not declare are still someone's, so they move to the
 * new name instead of disappearing with the old one. Those the config declares are created by
 * the wanted set already.
 */
function moveKeptAssignments(
  ctx: DiffContext,
  moving: readonly AssignmentTuple[],
  wanted: ReadonlyMap<TupleKey, ExpandedAssignment>,
  expiredKeys: ReadonlySet<TupleKey>,
  keys: TupleKeys,
): void {
  if (moving.length === 0) return;
  const live = new Set(ctx.live.assignments.map((a) => assignmentKey(liveTuple(a))));
  const created = new Set<string>();
  for (const t of moving) {
    const to = ctx.desired.permissionSetRenames[t.permissionSetName];
    if (to === undefined) continue;
    // A principal this plan deletes keeps nothing; an ignored target is someone else's.
    const principalGoes = t.principalType === 'USER' ? ctx.deletedUsers.has(t.principalName) : ctx.deletedGroups.has(t.principalName);
    if (principalGoes || isIgnoredAssignment(ctx, t.principalType, t.principalName, to)) continue;
    const moved: AssignmentTuple = { ...t, permissionSetName: to };
    const key = keys.key(moved.principalType, moved.principalName, moved.permissionSetName, moved.accountId);
    // An expired rule for the new name revokes it: moving it would only create what the next
    // plan deletes as expired.
    if (key !== undefined && (wanted.has(key) || expiredKeys.has(key))) continue;
    if (live.has(assignmentKey(moved)) || created.has(assignmentKey(moved))) continue;
    created.add(assignmentKey(moved));
    ctx.changes.push({ kind: 'assignment.create', assignment: moved, reason: `moved from ${t.permissionSetName} (renamed)` });
  }
}

function deleteCause(
  ctx: DiffContext,
  a: LiveAssignment,
  isExpired: boolean,
  declaredPermissionSets: ReadonlySet<string>,
  prune: boolean,
): DeleteCause | undefined {
  if (ctx.renamedPermissionSets.has(a.permissionSetName)) return 'renamed';
  const permissionSetGoes = ctx.deletedPermissionSets.has(a.permissionSetName);
  if (a.principalName === undefined) return prune || permissionSetGoes ? 'orphaned' : undefined;
  if (isExpired) return 'expired';
  if (permissionSetGoes) return 'undeclared';
  // Deleting a principal would leave its assignments behind as orphans: remove them first.
  const principalGoes =
    a.principalType === 'USER' ? ctx.deletedUsers.has(a.principalName) : ctx.deletedGroups.has(a.principalName);
  if (principalGoes) return 'undeclared';
  if (prune && declaredPermissionSets.has(a.permissionSetName)) return 'undeclared';
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
 * principal that will exist. Each problem is reported once per place it was written.
 */
function wantedAssignments(
  ctx: DiffContext,
  expanded: readonly ExpandedAssignment[],
  keys: TupleKeys,
  nowMs: number,
): Map<TupleKey, ExpandedAssignment> {
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

  const wanted = new Map<TupleKey, ExpandedAssignment>();
  for (const t of expanded) {
    if (t.expires !== undefined && Date.parse(t.expires) <= nowMs) continue;
    if (isIgnoredAssignment(ctx, t.principalType, t.principalName, t.permissionSetName)) {
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
    const known = t.principalType === 'USER' ? principals.users : principals.groups;
    if (!known.has(t.principalName)) {
      const pKey = principalKey(t.principalType, t.principalName);
      if (!missing.has(pKey)) {
        report(`${pKey}|${t.source.file}:${t.source.line}`, t.source, 'unknown-principal', missingPrincipalMessage(ctx, t.principalType, t.principalName));
      }
      continue;
    }
    wanted.set(keys.key(t.principalType, t.principalName, t.permissionSetName, t.accountId)!, t);
  }
  return wanted;
}

interface KnownPrincipals {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
}

function knownPrincipals(ctx: DiffContext): KnownPrincipals {
  const users = new Set<string>();
  const groups = new Set<string>();
  if (!ctx.external) {
    for (const u of ctx.desired.users) if (!ctx.ignored.user(u.userName)) users.add(u.userName);
    for (const g of ctx.desired.groups) if (!ctx.ignored.group(g.displayName)) groups.add(g.displayName);
  }
  for (const u of ctx.live.users) if (!ctx.deletedUsers.has(u.userName)) users.add(u.userName);
  for (const g of ctx.live.groups) if (!ctx.deletedGroups.has(g.displayName)) groups.add(g.displayName);
  return { users, groups };
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
function reportMissingReferences(ctx: DiffContext, principals: KnownPrincipals): Set<string> {
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
    const known = type === 'USER' ? principals.users : principals.groups;
    if (known.has(name) || missing.has(key)) return;
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
