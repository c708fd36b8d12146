import type { AccessGrant } from '../access/effective-access.js';
import type { Account, Organization, PermissionSetSpec, UserSpec } from '../model/entities.js';
import type { AssignmentRule, SourceRange } from '../model/desired.js';
import { compareStrings } from '../model/keys.js';

// The user-access review (SOC 2 CC6.2/CC6.3, ISO 27001 A.5.18): for each user, account and
// permission set, how privileged it is and every path that grants it, with the rule's expiry
// and reason, dated, with empty columns for the reviewer's decision. Pure: the CLI passes in
// the grants, the organisation, the rules and a privilege classifier.

export type PrivilegeLevel = 'admin' | 'privilege-escalation' | 'write' | 'read-only' | 'none' | 'unclassified';

/** Most privileged first: the order of colours, filters and sorting in every rendering. */
export const PRIVILEGE_LEVELS: readonly PrivilegeLevel[] = ['admin', 'privilege-escalation', 'write', 'read-only', 'none', 'unclassified'];

export interface PrivilegeClass {
  readonly level: PrivilegeLevel;
  /** Which policy or statement makes it so, for the reviewer. */
  readonly reason: string;
}

export type ClassifyPermissionSet = (ps: PermissionSetSpec | undefined, name: string) => PrivilegeClass;

export interface ReviewPath {
  /** Undefined for a direct user assignment. */
  readonly group?: string;
  /** `file:line` of the assignment rule (config reviews only). */
  readonly source?: string;
  readonly expires?: string;
  readonly reason?: string;
}

export interface ReviewRow {
  readonly userName: string;
  readonly displayName?: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly ouPath: string;
  readonly accountTags: Readonly<Record<string, string>>;
  readonly permissionSetName: string;
  readonly privilege: PrivilegeLevel;
  readonly privilegeReason: string;
  readonly paths: readonly ReviewPath[];
  /** When the access ends: the latest expiry of its paths, or undefined while any path never expires. */
  readonly expires?: string;
}

export interface AccessReview {
  /** ISO 8601 instant the snapshot was taken (the report is a dated record). */
  readonly generatedAt: string;
  readonly source: 'config' | 'live';
  readonly gitCommit?: string;
  readonly rows: readonly ReviewRow[];
  /** Group memberships, for the group × account view and the group filter. */
  readonly groupsOfUser: Readonly<Record<string, readonly string[]>>;
  readonly accounts: readonly Account[];
}

export interface AccessReviewInput {
  readonly grants: readonly AccessGrant[];
  readonly organization: Organization;
  readonly permissionSets: readonly PermissionSetSpec[];
  readonly users: readonly UserSpec[];
  readonly memberships: readonly { readonly groupName: string; readonly userName: string }[];
  readonly rules: readonly AssignmentRule[];
  readonly classify: ClassifyPermissionSet;
  readonly now: Date;
  readonly source: 'config' | 'live';
  readonly gitCommit?: string;
}

const sourceKey = (s: SourceRange): string => `${s.file}:${s.line}:${s.col}`;

export function buildAccessReview(input: AccessReviewInput): AccessReview {
  const rows = reviewRows(input)(input.grants);
  rows.sort(rowOrder);
  return {
    ...reviewHeader(input),
    rows,
    groupsOfUser: groupsOfUser(input.memberships),
  };
}

/** The review's dated header fields, and its accounts. */
export function reviewHeader(input: Pick<AccessReviewInput, 'now' | 'source' | 'gitCommit' | 'organization'>): Pick<AccessReview, 'generatedAt' | 'source' | 'gitCommit' | 'accounts'> {
  return {
    generatedAt: input.now.toISOString(),
    source: input.source,
    ...(input.gitCommit !== undefined ? { gitCommit: input.gitCommit } : {}),
    accounts: [...input.organization.accounts].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id)),
  };
}

const rowOrder = (a: ReviewRow, b: ReviewRow) =>
  compareStrings(a.userName, b.userName) || compareStrings(a.accountName, b.accountName) ||
  compareStrings(a.accountId, b.accountId) || compareStrings(a.permissionSetName, b.permissionSetName);

function groupsOfUser(memberships: AccessReviewInput['memberships']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const m of memberships) (out[m.userName] ??= []).push(m.groupName);
  for (const list of Object.values(out)) list.sort(compareStrings);
  return out;
}

/**
 * Review rows of some grants, in review order. Fed one user's grants at a time (as
 * effectiveAccessByUser yields them, users in name order), the rows come out in the order of
 * the whole review, so a report of millions of grants can be written without holding them.
 */
export function reviewRows(input: Omit<AccessReviewInput, 'grants' | 'now' | 'source' | 'gitCommit' | 'memberships'>): (grants: readonly AccessGrant[]) => ReviewRow[] {
  const accounts = new Map(input.organization.accounts.map((a) => [a.id, a]));
  const permissionSets = new Map(input.permissionSets.map((p) => [p.name, p]));
  const displayNames = new Map(input.users.map((u) => [u.userName, u.displayName]));
  const rules = new Map(input.rules.map((r) => [sourceKey(r.source), r]));
  const classes = new Map<string, PrivilegeClass>();
  const classOf = (name: string): PrivilegeClass => {
    let c = classes.get(name);
    if (!c) {
      c = input.classify(permissionSets.get(name), name);
      classes.set(name, c);
    }
    return c;
  };
  const rowOf = (g: AccessGrant): ReviewRow => {
    const account = accounts.get(g.accountId);
    const paths: ReviewPath[] = g.paths.map((p) => {
      const rule = p.source ? rules.get(sourceKey(p.source)) : undefined;
      return {
        ...(p.kind === 'group' ? { group: p.groupName } : {}),
        ...(p.source ? { source: `${p.source.file}:${p.source.line}` } : {}),
        ...(rule?.expires !== undefined ? { expires: rule.expires } : {}),
        ...(rule?.reason !== undefined ? { reason: rule.reason } : {}),
      };
    });
    const expiries = paths.map((p) => p.expires);
    const expires = expiries.length > 0 && expiries.every((e) => e !== undefined) ? latest(expiries as string[]) : undefined;
    const c = classOf(g.permissionSetName);
    const displayName = displayNames.get(g.userName);
    return {
      userName: g.userName,
      ...(displayName !== undefined ? { displayName } : {}),
      accountId: g.accountId,
      accountName: account?.name ?? g.accountId,
      ouPath: account?.ouPath ?? '',
      accountTags: account?.tags ?? {},
      permissionSetName: g.permissionSetName,
      privilege: c.level,
      privilegeReason: c.reason,
      paths,
      ...(expires !== undefined ? { expires } : {}),
    };
  };
  return (grants) => grants.map(rowOf).sort(rowOrder);
}

const latest = (instants: readonly string[]): string =>
  instants.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
