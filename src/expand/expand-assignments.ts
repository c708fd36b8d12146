import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Account, AssignmentTuple, Organization, PrincipalType } from '../model/entities.js';
import type { AssignmentRule, OuTarget, SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';
import { type TupleKey, TupleKeys } from './tuple-keys.js';
import {
  accountsInOu,
  accountsWithTags,
  indexOrganization,
  normaliseOuPath,
  type OrganizationIndex,
  resolveAccountRef,
} from './organization-index.js';
import { closest } from '../config/text/closest.js';

/** One atomic assignment with where it was declared and why. */
export interface ExpandedAssignment extends AssignmentTuple {
  readonly reason?: string;
  readonly expires?: string;
  readonly source: SourceRange;
}

export interface AssignmentExpansion {
  /** One per (principal, permission set, account), in rule order. */
  readonly tuples: ExpandedAssignment[];
  /**
   * What expired rules would grant and no live rule still grants: drift reports these as
   * "expired assignment still live" and diff deletes them with cause `expired`.
   */
  readonly expired: ExpandedAssignment[];
  readonly diagnostics: Diagnostic[];
}

/** Mutable while expanding; handed out as ExpandedAssignment. */
interface Slot {
  principalType: PrincipalType;
  principalName: string;
  permissionSetName: string;
  accountId: string;
  reason?: string;
  expires?: string;
  source: SourceRange;
}

/** Kept only for tuples that more than one rule grants (rare), to merge them deterministically. */
interface Merge {
  reasons: string[];
  /** False once any contributing rule has no expiry: the grant then never ends. */
  allExpire: boolean;
  latest: string | undefined;
  /** The rule declared first among those that grant the tuple: its source is the tuple's. */
  earliest: AssignmentRule;
}

// AWS rejects assignments to accounts that are not active (CreateAccountAssignment on a
// suspended account fails), so they never become tuples.
const isAssignable = (account: Account): boolean => account.status === undefined || account.status === 'ACTIVE';

// Which of two rules was declared first: by file, then within a file by position when the loader
// gave one, which orders the file's rules as written without asking for their lines (a file
// read on the fast path would be parsed a second time for them: 130 ms of a plan at bench M).
const declaredFirst = (a: AssignmentRule, b: AssignmentRule): number =>
  compareStrings(a.source.file, b.source.file) ||
  (a.position !== undefined && b.position !== undefined ? a.position - b.position : a.source.line - b.source.line || a.source.col - b.source.col);

export function expandAssignments(
  rules: readonly AssignmentRule[],
  organization: Organization,
  now: Date,
): AssignmentExpansion {
  const index = indexOrganization(organization);
  const keys = new TupleKeys();
  const diagnostics: Diagnostic[] = [];
  const nowMs = now.getTime();
  const resolved = rules.map((rule) => {
    const expired = ruleIsExpired(rule, nowMs, diagnostics);
    const before = diagnostics.length;
    const accountIds = resolveTargets(rule, index, expired ? 'warning' : 'error', diagnostics);
    // An unknown target already explains why the rule grants nothing.
    if (accountIds.length === 0 && !expired && diagnostics.length === before) {
      diagnostics.push({
        severity: 'warning',
        rule: 'empty-target',
        message: 'This assignment matches no account in the organisation, so it grants nothing.',
        source: rule.source,
      });
    }
    for (const u of rule.users) for (const ps of rule.permissionSets) for (const a of accountIds) keys.add('USER', u, ps, a);
    for (const g of rule.groups) for (const ps of rule.permissionSets) for (const a of accountIds) keys.add('GROUP', g, ps, a);
    return { rule, expired, accountIds };
  });
  keys.seal();

  // A slot holds its rule's source; merging needs the rule itself (its position).
  const ruleOf = new Map(rules.map((r) => [r.source, r]));
  const active = new Expansion(ruleOf);
  const expired = new Expansion(ruleOf);
  for (const { rule, expired: isExpired, accountIds } of resolved) {
    const into = isExpired ? expired : active;
    for (const [principalType, names] of [['USER', rule.users], ['GROUP', rule.groups]] as const) {
      for (const principalName of names) {
        for (const permissionSetName of rule.permissionSets) {
          for (const accountId of accountIds) {
            const key = keys.key(principalType, principalName, permissionSetName, accountId)!;
            into.add(key, rule, principalType, principalName, permissionSetName, accountId);
          }
        }
      }
    }
  }
  return {
    tuples: active.finish(),
    expired: expired.finish().filter((t) => !active.has(keys.key(t.principalType, t.principalName, t.permissionSetName, t.accountId)!)),
    diagnostics,
  };
}

class Expansion {
  private readonly slots = new Map<TupleKey, Slot>();
  private readonly merges = new Map<TupleKey, Merge>();

  constructor(private readonly ruleOf: ReadonlyMap<SourceRange, AssignmentRule>) {}

  has(key: TupleKey): boolean {
    return this.slots.has(key);
  }

  add(key: TupleKey, rule: AssignmentRule, principalType: PrincipalType, principalName: string, permissionSetName: string, accountId: string): void {
    const slot = this.slots.get(key);
    if (!slot) {
      const fresh: Slot = { principalType, principalName, permissionSetName, accountId, source: rule.source };
      if (rule.reason !== undefined) fresh.reason = rule.reason;
      if (rule.expires !== undefined) fresh.expires = rule.expires;
      this.slots.set(key, fresh);
      return;
    }
    let merge = this.merges.get(key);
    if (!merge) {
      merge = { reasons: slot.reason === undefined ? [] : [slot.reason], allExpire: slot.expires !== undefined, latest: slot.expires, earliest: this.ruleOf.get(slot.source)! };
      this.merges.set(key, merge);
    }
    if (rule.reason !== undefined && !merge.reasons.includes(rule.reason)) merge.reasons.push(rule.reason);
    if (rule.expires === undefined) merge.allExpire = false;
    else if (merge.latest === undefined || Date.parse(rule.expires) > Date.parse(merge.latest)) merge.latest = rule.expires;
    // The earliest declaration wins regardless of rule order, so shuffling files changes nothing.
    if (declaredFirst(rule, merge.earliest) < 0) {
      merge.earliest = rule;
      slot.source = rule.source;
    }
  }

  finish(): ExpandedAssignment[] {
    for (const [key, merge] of this.merges) {
      const slot = this.slots.get(key)!;
      if (merge.reasons.length > 0) slot.reason = [...merge.reasons].sort(compareStrings).join('; ');
      if (merge.allExpire && merge.latest !== undefined) slot.expires = merge.latest;
      else delete slot.expires;
    }
    return [...this.slots.values()];
  }
}

function ruleIsExpired(rule: AssignmentRule, nowMs: number, diagnostics: Diagnostic[]): boolean {
  if (rule.expires === undefined) return false;
  const at = Date.parse(rule.expires);
  if (Number.isNaN(at)) {
    diagnostics.push({
      severity: 'error',
      rule: 'invalid-expiry',
      message: `"${rule.expires}" is not an ISO 8601 instant; write e.g. 2027-01-31T00:00:00Z.`,
      source: rule.source,
    });
    return false;
  }
  return at <= nowMs;
}

/** accounts ∪ OUs ∪ tag matches, minus exclusions; ids in first-seen order. */
function resolveTargets(
  rule: AssignmentRule,
  index: OrganizationIndex,
  severity: Diagnostic['severity'],
  diagnostics: Diagnostic[],
): string[] {
  const selected = new Set<string>();
  const management = index.managementAccountId;

  for (const name of rule.accounts) {
    const account = accountOrReport(index, name, rule.source, severity, diagnostics);
    if (!account) continue;
    if (!isAssignable(account)) {
      diagnostics.push({
        severity: 'warning',
        rule: 'inactive-account',
        message: `Account "${name}" is ${account.status}; AWS cannot assign to it, so it is skipped.`,
        source: rule.source,
      });
      continue;
    }
    selected.add(account.id);
  }

  // Broad targets never reach the management account: granting there must be explicit.
  const addBroad = (ids: readonly string[]): void => {
    for (const id of ids) {
      if (id === management) continue;
      const account = index.byId.get(id);
      if (account && isAssignable(account)) selected.add(id);
    }
  };
  for (const ou of rule.ous) {
    if (!knownOu(index, ou, rule.source, severity, diagnostics)) continue;
    addBroad(accountsInOu(index, ou.path, ou.recursive));
  }
  if (Object.keys(rule.accountTags).length > 0) addBroad(accountsWithTags(index, rule.accountTags));

  for (const name of rule.exclude.accounts) {
    const account = accountOrReport(index, name, rule.source, severity, diagnostics);
    if (account) selected.delete(account.id);
  }
  for (const ou of rule.exclude.ous) {
    if (!knownOu(index, ou, rule.source, severity, diagnostics)) continue;
    for (const id of accountsInOu(index, ou.path, ou.recursive)) selected.delete(id);
  }
  return [...selected];
}

function knownOu(
  index: OrganizationIndex,
  ou: OuTarget,
  source: SourceRange,
  severity: Diagnostic['severity'],
  diagnostics: Diagnostic[],
): boolean {
  if (index.ouPaths.has(normaliseOuPath(ou.path))) return true;
  // The organisation here is the live one (with --store aws), so this catches what a stale
  // organisation file let through validate; the wording is validate's, with its did-you-mean.
  diagnostics.push({
    severity,
    rule: 'unknown-ou',
    message: `OU "${ou.path}" is not in the organisation${suggest(ou.path, index.ouPaths) || '; write its full path, e.g. /Root/Workloads/Prod (a / inside an OU name as \\/).'}`,
    source,
  });
  return false;
}

/** Validate's did-you-mean, quoted (plan diagnostics are shown inside Markdown code spans). */
const suggest = (word: string, candidates: Iterable<string>): string => {
  const match = closest(word, candidates);
  return match === undefined ? '' : `; did you mean "${match}"?`;
};

/** The account a rule names, or undefined after reporting why it names none (or several). */
function accountOrReport(
  index: OrganizationIndex,
  name: string,
  source: SourceRange,
  severity: Diagnostic['severity'],
  diagnostics: Diagnostic[],
): Account | undefined {
  const r = resolveAccountRef(index, name);
  if (r.kind === 'found') return r.account;
  if (r.kind === 'ambiguous') {
    // Account names are not unique in AWS Organizations: picking one would grant in an account
    // nobody chose (the same name can be a sandbox and a production account).
    const ids = r.accounts.map((a) => a.id).sort(compareStrings);
    diagnostics.push({
      severity,
      rule: 'ambiguous-account',
      message: `Account name "${name}" matches ${ids.length} accounts (${ids.join(', ')}); name the account by its 12-digit id.`,
      source,
    });
    return undefined;
  }
  diagnostics.push({
    severity,
    rule: 'unknown-account',
    message: /^\d{12}$/.test(name)
      ? `Account id ${name} is not in the organisation.`
      : `Account "${name}" is not in the organisation${suggest(name, index.byName.keys()) || '.'}`,
    source,
  });
  return undefined;
}
