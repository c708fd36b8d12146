import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Account, AssignmentTuple, Organization, PrincipalType } from '../model/entities.js';
import type { AssignmentRule, OuTarget, SourceRange } from '../model/desired.js';
import { assignmentKey, compareStrings } from '../model/keys.js';
import {
  accountsInOu,
  accountsWithTags,
  indexOrganization,
  normaliseOuPath,
  type OrganizationIndex,
  resolveAccount,
} from './organization-index.js';

/** One atomic assignment with where it was declared and why. */
export interface ExpandedAssignment extends AssignmentTuple {
  readonly reason?: string;
  readonly expires?: string;
  readonly source: SourceRange;
}

export interface AssignmentExpansion {
  /** Unique by assignmentKey, in rule order. */
  readonly tuples: ExpandedAssignment[];
  /**
   * What expired rules would grant and no live rule still grants: drift reports these as
   * "expired assignment still live" and diff deletes them with cause `expired`.
   */
  readonly expired: ExpandedAssignment[];
  readonly diagnostics: Diagnostic[];
}

interface Merged {
  tuple: AssignmentTuple;
  reasons: string[];
  expires: string | undefined;
  /** False once any contributing rule has no expiry: the grant then never ends. */
  allExpire: boolean;
  source: SourceRange;
}

// AWS rejects assignments to accounts that are not active (CreateAccountAssignment on a
// suspended account fails), so they never become tuples.
const isAssignable = (account: Account): boolean => account.status === undefined || account.status === 'ACTIVE';

const compareSources = (a: SourceRange, b: SourceRange): number =>
  compareStrings(a.file, b.file) || a.line - b.line || a.col - b.col;

export function expandAssignments(
  rules: readonly AssignmentRule[],
  organization: Organization,
  now: Date,
): AssignmentExpansion {
  const index = indexOrganization(organization);
  const diagnostics: Diagnostic[] = [];
  const active = new Map<string, Merged>();
  const expired = new Map<string, Merged>();
  const nowMs = now.getTime();

  for (const rule of rules) {
    const isExpired = ruleIsExpired(rule, nowMs, diagnostics);
    const before = diagnostics.length;
    const accountIds = resolveTargets(rule, index, isExpired ? 'warning' : 'error', diagnostics);
    // An unknown target already explains why the rule grants nothing.
    if (accountIds.length === 0 && !isExpired && diagnostics.length === before) {
      diagnostics.push({
        severity: 'warning',
        rule: 'empty-target',
        message: 'This assignment matches no account in the organisation, so it grants nothing.',
        source: rule.source,
      });
    }
    const into = isExpired ? expired : active;
    const principals: [PrincipalType, string][] = [
      ...rule.users.map((u): [PrincipalType, string] => ['USER', u]),
      ...rule.groups.map((g): [PrincipalType, string] => ['GROUP', g]),
    ];
    for (const [principalType, principalName] of principals) {
      for (const permissionSetName of rule.permissionSets) {
        for (const accountId of accountIds) {
          const tuple: AssignmentTuple = { principalType, principalName, permissionSetName, accountId };
          merge(into, assignmentKey(tuple), tuple, rule);
        }
      }
    }
  }

  const expiredOnly: ExpandedAssignment[] = [];
  for (const [key, merged] of expired) if (!active.has(key)) expiredOnly.push(finish(merged));
  return { tuples: [...active.values()].map(finish), expired: expiredOnly, diagnostics };
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

function merge(into: Map<string, Merged>, key: string, tuple: AssignmentTuple, rule: AssignmentRule): void {
  const existing = into.get(key);
  if (!existing) {
    into.set(key, {
      tuple,
      reasons: rule.reason === undefined ? [] : [rule.reason],
      expires: rule.expires,
      allExpire: rule.expires !== undefined,
      source: rule.source,
    });
    return;
  }
  if (rule.reason !== undefined && !existing.reasons.includes(rule.reason)) existing.reasons.push(rule.reason);
  if (rule.expires === undefined) existing.allExpire = false;
  else if (existing.expires === undefined || Date.parse(rule.expires) > Date.parse(existing.expires)) {
    existing.expires = rule.expires;
  }
  // The earliest declaration wins regardless of rule order, so shuffling files changes nothing.
  if (compareSources(rule.source, existing.source) < 0) existing.source = rule.source;
}

function finish(merged: Merged): ExpandedAssignment {
  const reasons = merged.reasons.length > 1 ? [...merged.reasons].sort(compareStrings) : merged.reasons;
  return {
    ...merged.tuple,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    ...(merged.allExpire && merged.expires !== undefined ? { expires: merged.expires } : {}),
    source: merged.source,
  };
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
    const account = resolveAccount(index, name);
    if (!account) {
      diagnostics.push(unknownAccount(name, rule.source, severity));
      continue;
    }
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
    const account = resolveAccount(index, name);
    if (!account) diagnostics.push(unknownAccount(name, rule.source, severity));
    else selected.delete(account.id);
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
  diagnostics.push({
    severity,
    rule: 'unknown-ou',
    message: `OU "${ou.path}" does not exist in the organisation; write its full path, e.g. /Root/Workloads/Prod.`,
    source,
  });
  return false;
}

const unknownAccount = (name: string, source: SourceRange, severity: Diagnostic['severity']): Diagnostic => ({
  severity,
  rule: 'unknown-account',
  message: `Account "${name}" is not in the organisation (by 12-digit id or by name).`,
  source,
});
