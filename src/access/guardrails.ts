import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import type { ExpandedAssignment } from '../expand/expand-assignments.js';
import { accountsInOu, indexOrganization, type OrganizationIndex, resolveAccount } from '../expand/organization-index.js';
import type { AssignmentRule, GuardrailRule, SourceRange } from '../model/desired.js';
import type { Membership, Organization, PermissionSetSpec } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';
import { type ActionSet, expandPatterns, has, ids, intersect, isEmpty } from '../privilege/catalogue.js';
import { isPrivilegeLevel, levelRank, type PrivilegeLevel } from '../privilege/classify.js';
import type { PrivilegeModel } from '../privilege/privilege-model.js';
import { durationSeconds } from '../config/rules/aws-limits.js';

// Guardrails: rules over the desired state's effective access, checked before anything is
// applied. What each selector of `deny` means (README "Guardrails" says the same):
// - principalTypes: whom the assignment is written to. `[USER]` matches direct user
//   assignments only; a group (even of one member) is a GROUP assignment.
// - users: these users, directly or through any group ("alice must not have Admin in prod" is
//   about alice, however she gets it). effectiveUsers is the same over a list or `*` (any user),
//   so "no user may hold X, directly or through any group" can be written.
// - groups: assignments written to these groups.
// - permissionSets: by name. privilege and actions: by what the permission set's policies allow,
//   computed by the privilege model, so a rename or a policy rewrite cannot get around them;
//   content the config cannot see counts as possibly anything unless unknownContent: ignore.
// - accounts, ous (with descendants), accountTags: where. Every listed condition must hold.
// Other kinds: maxSessionDuration, directAssignmentsExpire, protect, minAdmins, maxHolders.

interface AccountSelector {
  readonly accounts?: readonly string[];
  readonly ous?: readonly string[];
  readonly accountTags?: Readonly<Record<string, string>>;
}

interface DenySpec extends AccountSelector {
  readonly principalTypes?: readonly ('USER' | 'GROUP')[];
  readonly users?: readonly string[];
  readonly effectiveUsers?: readonly string[];
  readonly groups?: readonly string[];
  readonly permissionSets?: readonly string[];
  readonly privilege?: readonly string[];
  readonly actions?: readonly string[];
  readonly unknownContent?: 'possibly' | 'ignore';
}

const KINDS = ['deny', 'maxSessionDuration', 'directAssignmentsExpire', 'protect', 'minAdmins', 'maxHolders'] as const;

export interface GuardrailInput {
  readonly guardrails: readonly GuardrailRule[];
  readonly assignments: readonly ExpandedAssignment[];
  readonly memberships: readonly Membership[];
  readonly organization: Organization;
  /** The permission sets the assignments refer to (privilege, actions, session duration). */
  readonly permissionSets?: readonly PermissionSetSpec[];
  /** Needed by privilege, actions, minAdmins and maxHolders. */
  readonly privilege?: PrivilegeModel;
  /** The assignment rules as written (directAssignmentsExpire). */
  readonly assignmentRules?: readonly AssignmentRule[];
  /** The instant directAssignmentsExpire counts from; the core never reads the clock. */
  readonly now?: Date;
}

const EXAMPLES_PER_DIAGNOSTIC = 3;

interface Context {
  readonly input: GuardrailInput;
  readonly index: OrganizationIndex;
  readonly members: ReadonlyMap<string, readonly string[]>;
  readonly accountName: (id: string) => string;
  readonly specs: ReadonlyMap<string, PermissionSetSpec>;
}

export function checkGuardrails(input: GuardrailInput): Diagnostic[] {
  if (input.guardrails.length === 0) return [];
  const index = indexOrganization(input.organization);
  const members = new Map<string, string[]>();
  for (const m of input.memberships) {
    const list = members.get(m.groupName);
    if (list) list.push(m.userName);
    else members.set(m.groupName, [m.userName]);
  }
  const names = new Map(input.organization.accounts.map((a) => [a.id, a.name]));
  const ctx: Context = {
    input,
    index,
    members,
    accountName: (id) => names.get(id) ?? id,
    specs: new Map((input.permissionSets ?? []).map((p) => [p.name, p])),
  };
  const out: Diagnostic[] = [];
  for (const rule of input.guardrails) {
    const kinds = KINDS.filter((k) => rule.spec[k] !== undefined);
    if (kinds.length !== 1) {
      out.push({
        severity: 'error',
        rule: 'guardrail',
        message: `guardrail \`${rule.name}\` must have exactly one of ${KINDS.join(', ')}${kinds.length > 1 ? ` (it has ${kinds.join(' and ')}); split it into several guardrails` : ''}`,
        source: rule.source,
      });
      continue;
    }
    const severity: Severity = rule.spec.severity === 'warning' ? 'warning' : 'error';
    const kind = kinds[0]!;
    // The schema has checked the shape of each kind.
    const spec = rule.spec[kind] as never;
    if (kind === 'deny') out.push(...checkDeny(ctx, rule, severity, spec));
    else if (kind === 'maxSessionDuration') out.push(...checkSessionDuration(ctx, rule, severity, spec));
    else if (kind === 'directAssignmentsExpire') out.push(...checkDirectExpiry(ctx, rule, severity, spec));
    else if (kind === 'protect') out.push(...checkProtected(ctx, rule, severity, spec));
    else if (kind === 'minAdmins') out.push(...checkMinAdmins(ctx, rule, severity, spec));
    else out.push(...checkMaxHolders(ctx, rule, severity, spec));
  }
  return out;
}

const suffix = (rule: GuardrailRule) => (rule.description ? ` — ${rule.description}` : '');
const at = (rule: GuardrailRule) => `${rule.source.file}:${rule.source.line}`;

/** The accounts a selector names (all of its conditions), or undefined for every account. */
function selectAccounts(ctx: Context, sel: AccountSelector): ReadonlySet<string> | undefined {
  if (sel.accounts === undefined && sel.ous === undefined && sel.accountTags === undefined) return undefined;
  let ids = ctx.input.organization.accounts.map((a) => a.id);
  if (sel.accounts) {
    const named = new Set(sel.accounts.map((ref) => resolveAccount(ctx.index, ref)?.id ?? ref));
    ids = ids.filter((id) => named.has(id));
  }
  if (sel.ous) {
    const inOus = new Set(sel.ous.flatMap((path) => accountsInOu(ctx.index, path, true)));
    ids = ids.filter((id) => inOus.has(id));
  }
  if (sel.accountTags) {
    const tags = Object.entries(sel.accountTags);
    ids = ids.filter((id) => tags.every(([k, v]) => ctx.index.byId.get(id)?.tags[k] === v));
  }
  return new Set(ids);
}

/** Users who hold a tuple: the user, or the group's members. */
const holders = (ctx: Context, a: ExpandedAssignment): readonly string[] =>
  a.principalType === 'USER' ? [a.principalName] : (ctx.members.get(a.principalName) ?? []);

function needModel(ctx: Context, rule: GuardrailRule, what: string): Diagnostic | undefined {
  return ctx.input.privilege
    ? undefined
    : { severity: 'error', rule: 'guardrail', message: `guardrail \`${rule.name}\` uses ${what}, which needs the privilege model; this command cannot check it`, source: rule.source };
}

function checkDeny(ctx: Context, rule: GuardrailRule, severity: Severity, deny: DenySpec): Diagnostic[] {
  const model = ctx.input.privilege;
  if (deny.privilege || deny.actions) {
    const missing = needModel(ctx, rule, deny.privilege ? 'privilege' : 'actions');
    if (missing) return [missing];
  }
  const accounts = selectAccounts(ctx, deny);
  const users = deny.users && new Set(deny.users);
  const effective = deny.effectiveUsers && (deny.effectiveUsers.includes('*') ? '*' : new Set(deny.effectiveUsers));
  // By default content the config does not hold (customer managed policies) may allow anything;
  // `unknownContent: ignore` judges the analysed statements alone.
  const analysedOnly = deny.unknownContent === 'ignore';
  const levels = deny.privilege && new Set(deny.privilege.filter(isPrivilegeLevel));
  const actions: ActionSet | undefined = model && deny.actions ? expandPatterns(model.catalogue, deny.actions) : undefined;
  // Per permission set name: why its content matches the privilege / actions conditions.
  const contentMatch = new Map<string, string | undefined>();
  const contentReason = (name: string): string | undefined => {
    if (!model || (!levels && !actions)) return '';
    if (contentMatch.has(name)) return contentMatch.get(name);
    const spec = ctx.specs.get(name);
    let why: string | undefined;
    if (spec) {
      const p = model.of(spec);
      const c = p.classification;
      const level: PrivilegeLevel = analysedOnly ? c.level : c.worstCaseLevel;
      const levelOk = !levels || levels.has(level);
      const hit = actions && intersect(analysedOnly ? p.analysedAllowed : p.maybeAllowed, actions);
      const actionsOk = !hit || !isEmpty(hit);
      if (levelOk && actionsOk) {
        const parts: string[] = [];
        if (levels) parts.push(`${name} is ${level}${level !== c.certainLevel ? ' (possibly)' : ''}: ${analysedOnly ? c.reason : c.worstCaseReason}`);
        if (hit) {
          const allowedNow = [...ids(hit)].slice(0, 3).map((id) => model.catalogue.actions[id]);
          const certain = [...ids(hit)].every((id) => has(p.allowed, id));
          parts.push(`${name} allows ${allowedNow.join(', ')}${certain ? '' : ' (or possibly allows)'}`);
        }
        why = parts.join('; ');
      }
    }
    contentMatch.set(name, why);
    return why;
  };

  const matches = (a: ExpandedAssignment): { users: readonly string[]; why: string } | undefined => {
    if (deny.principalTypes && !deny.principalTypes.includes(a.principalType)) return undefined;
    if (deny.groups && !(a.principalType === 'GROUP' && deny.groups.includes(a.principalName))) return undefined;
    if (deny.permissionSets && !deny.permissionSets.includes(a.permissionSetName)) return undefined;
    if (accounts && !accounts.has(a.accountId)) return undefined;
    let affected: readonly string[] | undefined;
    if (users || effective) {
      affected = holders(ctx, a).filter((u) => (!users || users.has(u)) && (!effective || effective === '*' || effective.has(u)));
      if (affected.length === 0) return undefined;
    }
    const why = contentReason(a.permissionSetName);
    if (why === undefined) return undefined;
    return { users: affected && (users || (effective && effective !== '*')) ? affected : [], why };
  };

  // One diagnostic per (guardrail, assignment rule), with a few examples: a broad rule that
  // breaks a guardrail in 500 accounts is one mistake, not 500.
  const found = new Map<string, { source: SourceRange; examples: string[]; reasons: Set<string>; count: number }>();
  for (const a of ctx.input.assignments) {
    const m = matches(a);
    if (!m) continue;
    const key = `${a.source.file}:${a.source.line}:${a.source.col}`;
    let entry = found.get(key);
    if (!entry) found.set(key, (entry = { source: a.source, examples: [], reasons: new Set(), count: 0 }));
    entry.count++;
    if (m.why) entry.reasons.add(m.why);
    if (entry.examples.length < EXAMPLES_PER_DIAGNOSTIC) {
      const via = m.users.length > 0 && a.principalType === 'GROUP' ? ` (${m.users.join(', ')} through the group)` : '';
      entry.examples.push(`${a.principalType === 'USER' ? 'user' : 'group'} ${a.principalName} → ${a.permissionSetName} in ${ctx.accountName(a.accountId)}${via}`);
    }
  }
  return [...found.values()].map(({ source, examples, reasons, count }) => ({
    severity,
    rule: 'guardrail',
    message:
      `guardrail \`${rule.name}\` denies ${examples.join('; ')}${count > examples.length ? ` and ${count - examples.length} more` : ''}` +
      `${reasons.size > 0 ? ` (${[...reasons].sort(compareStrings).join('; ')})` : ''}` +
      `${suffix(rule)}; change this assignment or the guardrail at ${at(rule)}`,
    source,
  }));
}

function checkSessionDuration(ctx: Context, rule: GuardrailRule, severity: Severity, spec: AccountSelector & { max: string }): Diagnostic[] {
  const max = durationSeconds(spec.max);
  if (max === undefined) {
    return [{ severity: 'error', rule: 'guardrail', message: `guardrail \`${rule.name}\`: max \`${spec.max}\` is not an ISO 8601 duration; write e.g. PT4H`, source: rule.source }];
  }
  const accounts = selectAccounts(ctx, spec);
  const found = new Map<string, { source: SourceRange; examples: Set<string> }>();
  for (const a of ctx.input.assignments) {
    if (accounts && !accounts.has(a.accountId)) continue;
    const ps = ctx.specs.get(a.permissionSetName);
    const seconds = ps && durationSeconds(ps.sessionDuration);
    if (seconds === undefined || seconds <= max) continue;
    const key = `${a.source.file}:${a.source.line}:${a.source.col}`;
    let entry = found.get(key);
    if (!entry) found.set(key, (entry = { source: a.source, examples: new Set() }));
    entry.examples.add(`${a.permissionSetName} (${ps!.sessionDuration}) in ${ctx.accountName(a.accountId)}`);
  }
  return [...found.values()].map(({ source, examples }) => {
    const list = [...examples];
    return {
      severity,
      rule: 'guardrail',
      message: `guardrail \`${rule.name}\` allows sessions of at most ${spec.max}, but this assignment grants ${list.slice(0, EXAMPLES_PER_DIAGNOSTIC).join('; ')}${list.length > EXAMPLES_PER_DIAGNOSTIC ? ` and ${list.length - EXAMPLES_PER_DIAGNOSTIC} more` : ''}${suffix(rule)}; shorten the permission set's sessionDuration or change the guardrail at ${at(rule)}`,
      source,
    };
  });
}

const DAY_MS = 86_400_000;

function checkDirectExpiry(ctx: Context, rule: GuardrailRule, severity: Severity, spec: { withinDays: number }): Diagnostic[] {
  const now = ctx.input.now;
  const rules = ctx.input.assignmentRules;
  if (!now || !rules) return [{ severity: 'error', rule: 'guardrail', message: `guardrail \`${rule.name}\` needs the assignment rules and the time; this command cannot check it`, source: rule.source }];
  const limit = now.getTime() + spec.withinDays * DAY_MS;
  const out: Diagnostic[] = [];
  for (const a of rules) {
    if (a.users.length === 0) continue;
    const who = a.users.slice(0, EXAMPLES_PER_DIAGNOSTIC).join(', ') + (a.users.length > EXAMPLES_PER_DIAGNOSTIC ? ` and ${a.users.length - EXAMPLES_PER_DIAGNOSTIC} more` : '');
    if (a.expires === undefined) {
      out.push({ severity, rule: 'guardrail', message: `guardrail \`${rule.name}\`: direct assignments to users (${who}) must carry expires, at most ${spec.withinDays} days ahead${suffix(rule)}; add expires or assign a group (guardrail at ${at(rule)})`, source: a.source });
    } else if (Date.parse(a.expires) > limit) {
      out.push({ severity, rule: 'guardrail', message: `guardrail \`${rule.name}\`: this direct assignment to ${who} expires ${a.expires}, more than ${spec.withinDays} days ahead${suffix(rule)}; bring expires forward (guardrail at ${at(rule)})`, source: a.source });
    }
  }
  return out;
}

function checkProtected(
  ctx: Context,
  rule: GuardrailRule,
  severity: Severity,
  spec: AccountSelector & { groups?: readonly string[]; users?: readonly string[]; permissionSet: string },
): Diagnostic[] {
  const accounts = [...(selectAccounts(ctx, spec) ?? new Set(ctx.input.organization.accounts.map((a) => a.id)))].sort(compareStrings);
  const held = new Set(ctx.input.assignments.filter((a) => a.permissionSetName === spec.permissionSet).map((a) => `${a.principalType}|${a.principalName}|${a.accountId}`));
  const principals = [...(spec.groups ?? []).map((g) => ['GROUP', g] as const), ...(spec.users ?? []).map((u) => ['USER', u] as const)];
  const out: Diagnostic[] = [];
  for (const [type, name] of principals) {
    const missing = accounts.filter((id) => !held.has(`${type}|${name}|${id}`));
    const empty = type === 'GROUP' && (ctx.members.get(name)?.length ?? 0) === 0;
    if (missing.length === 0 && !empty) continue;
    const where = missing.map(ctx.accountName);
    const problems = [
      ...(missing.length > 0 ? [`the config does not grant it in ${where.slice(0, 5).join(', ')}${where.length > 5 ? ` and ${where.length - 5} more` : ''}`] : []),
      ...(empty ? ['the group has no members'] : []),
    ];
    out.push({
      severity,
      rule: 'guardrail',
      message: `guardrail \`${rule.name}\` protects ${type === 'GROUP' ? 'group' : 'user'} ${name}, which must always hold ${spec.permissionSet}: ${problems.join('; ')}${suffix(rule)}. A plan that would remove it cannot be applied; restore the assignment`,
      source: rule.source,
    });
  }
  return out;
}

/** Per account, the users holding a permission set that satisfies `qualifies`. */
function holdersPerAccount(ctx: Context, qualifies: (ps: PermissionSetSpec) => boolean): Map<string, Set<string>> {
  const verdict = new Map<string, boolean>();
  const out = new Map<string, Set<string>>();
  for (const a of ctx.input.assignments) {
    let ok = verdict.get(a.permissionSetName);
    if (ok === undefined) {
      const spec = ctx.specs.get(a.permissionSetName);
      ok = spec !== undefined && qualifies(spec);
      verdict.set(a.permissionSetName, ok);
    }
    if (!ok) continue;
    let set = out.get(a.accountId);
    if (!set) out.set(a.accountId, (set = new Set()));
    for (const u of holders(ctx, a)) set.add(u);
  }
  return out;
}

function checkMinAdmins(ctx: Context, rule: GuardrailRule, severity: Severity, spec: AccountSelector & { count: number }): Diagnostic[] {
  const missing = needModel(ctx, rule, 'minAdmins');
  if (missing) return [missing];
  const model = ctx.input.privilege!;
  // Only certain admins count: a lock-out is not prevented by an admin that holds "possibly".
  const admins = holdersPerAccount(ctx, (ps) => model.of(ps).classification.certainLevel === 'admin');
  const accounts = [...(selectAccounts(ctx, spec) ?? new Set(ctx.input.organization.accounts.map((a) => a.id)))].sort(compareStrings);
  const short = accounts.filter((id) => (admins.get(id)?.size ?? 0) < spec.count);
  if (short.length === 0) return [];
  const list = short.map((id) => `${ctx.accountName(id)} (${admins.get(id)?.size ?? 0})`);
  return [
    {
      severity,
      rule: 'guardrail',
      message: `guardrail \`${rule.name}\` needs at least ${spec.count} users with admin in each account, but ${list.slice(0, 5).join(', ')}${list.length > 5 ? ` and ${list.length - 5} more` : ''} would have fewer${suffix(rule)}; keep an admin assignment there`,
      source: rule.source,
    },
  ];
}

function checkMaxHolders(ctx: Context, rule: GuardrailRule, severity: Severity, spec: AccountSelector & { privilege: string; count: number }): Diagnostic[] {
  const missing = needModel(ctx, rule, 'maxHolders');
  if (missing) return [missing];
  if (!isPrivilegeLevel(spec.privilege)) return [];
  const model = ctx.input.privilege!;
  const floor = levelRank(spec.privilege);
  // Content not analysed counts as possibly anything: a cap errs on the side of counting.
  const byAccount = holdersPerAccount(ctx, (ps) => levelRank(model.of(ps).classification.worstCaseLevel) >= floor);
  const accounts = selectAccounts(ctx, spec);
  const over = [...byAccount.entries()]
    .filter(([id, users]) => (!accounts || accounts.has(id)) && users.size > spec.count)
    .sort(([a], [b]) => compareStrings(a, b));
  if (over.length === 0) return [];
  const list = over.map(([id, users]) => {
    const names = [...users].sort(compareStrings);
    return `${ctx.accountName(id)}: ${names.length} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`;
  });
  return [
    {
      severity,
      rule: 'guardrail',
      message: `guardrail \`${rule.name}\` allows at most ${spec.count} users with ${spec.privilege} or more per account, but ${list.slice(0, 5).join('; ')}${list.length > 5 ? ` and ${list.length - 5} more accounts` : ''}${suffix(rule)}; narrow the assignments`,
      source: rule.source,
    },
  ];
}
