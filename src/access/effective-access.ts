import type { SourceRange } from '../model/desired.js';
import type { AssignmentTuple, Membership } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';

// Effective access: assignments expanded through group membership into
// (user, account, permission set), each with the path that grants it. This is the question
// people ask in review — who gains or loses access to what — rather than which objects change.

export type AccessPath =
  | { readonly kind: 'direct'; readonly source?: SourceRange }
  | { readonly kind: 'group'; readonly groupName: string; readonly source?: SourceRange };

export interface AccessGrant {
  readonly userName: string;
  readonly accountId: string;
  readonly permissionSetName: string;
  /** Every path that grants it, direct first, then by group name. */
  readonly paths: readonly AccessPath[];
}

export interface AccessInput {
  readonly assignments: readonly (AssignmentTuple & { readonly source?: SourceRange })[];
  readonly memberships: readonly Membership[];
}

export const grantKey = (g: { userName: string; accountId: string; permissionSetName: string }): string =>
  `${g.userName}|${g.accountId}|${g.permissionSetName}`;

export interface AccessFilter {
  readonly userName?: string;
  readonly accountId?: string;
  readonly permissionSetName?: string;
}

/**
 * Effective access one user at a time: users in name order, each user's grants by account and
 * permission set. A whole organisation's grants run to millions (bench M: 8.8 million, which
 * as objects with their paths did not fit in a 4 GB heap); a caller that renders or counts
 * them user by user holds one user's at a time. The filter applies before anything is built.
 */
export function* effectiveAccessByUser(input: AccessInput, filter: AccessFilter = {}): Generator<AccessGrant[]> {
  type Tuple = AccessInput['assignments'][number];
  const keep = (t: Tuple) =>
    (filter.accountId === undefined || t.accountId === filter.accountId) &&
    (filter.permissionSetName === undefined || t.permissionSetName === filter.permissionSetName);
  const direct = new Map<string, Tuple[]>();
  const byGroup = new Map<string, Tuple[]>();
  for (const t of input.assignments) {
    if (!keep(t)) continue;
    if (t.principalType === 'USER' && filter.userName !== undefined && t.principalName !== filter.userName) continue;
    const map = t.principalType === 'USER' ? direct : byGroup;
    const list = map.get(t.principalName);
    if (list) list.push(t);
    else map.set(t.principalName, [t]);
  }
  const groupsOf = new Map<string, string[]>();
  for (const m of input.memberships) {
    if (filter.userName !== undefined && m.userName !== filter.userName) continue;
    const list = groupsOf.get(m.userName);
    if (list) list.push(m.groupName);
    else groupsOf.set(m.userName, [m.groupName]);
  }
  const users = [...new Set([...direct.keys(), ...groupsOf.keys()])].sort(compareStrings);
  const pathOrder = (p: AccessPath) => (p.kind === 'direct' ? '' : `g:${p.groupName}`);
  for (const userName of users) {
    const grants = new Map<string, { userName: string; accountId: string; permissionSetName: string; paths: AccessPath[] }>();
    const add = (t: Tuple, path: AccessPath) => {
      const key = `${t.accountId}|${t.permissionSetName}`;
      let grant = grants.get(key);
      if (!grant) grants.set(key, (grant = { userName, accountId: t.accountId, permissionSetName: t.permissionSetName, paths: [] }));
      grant.paths.push(path);
    };
    for (const t of direct.get(userName) ?? []) add(t, { kind: 'direct', ...(t.source ? { source: t.source } : {}) });
    for (const groupName of groupsOf.get(userName) ?? []) {
      for (const t of byGroup.get(groupName) ?? []) add(t, { kind: 'group', groupName, ...(t.source ? { source: t.source } : {}) });
    }
    if (grants.size === 0) continue;
    yield [...grants.entries()]
      .sort(([x], [y]) => compareStrings(x, y))
      .map(([, g]) => ({ ...g, paths: dedupePaths(g.paths.sort((x, y) => compareStrings(pathOrder(x), pathOrder(y)))) }));
  }
}

/** Every grant at once: for small inputs and filtered questions (see effectiveAccessByUser). */
export function effectiveAccess(input: AccessInput, filter: AccessFilter = {}): AccessGrant[] {
  const out: AccessGrant[] = [];
  for (const grants of effectiveAccessByUser(input, filter)) out.push(...grants);
  return out;
}

function dedupePaths(paths: AccessPath[]): AccessPath[] {
  // Most grants come one way: nothing to compare.
  if (paths.length < 2) return paths;
  const seen = new Set<string>();
  return paths.filter((p) => {
    const key = `${p.kind === 'group' ? p.groupName : ''}@${p.source?.file}:${p.source?.line}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface AccessDiff {
  readonly gained: readonly AccessGrant[];
  readonly lost: readonly AccessGrant[];
}

/** Who gains and who loses access between two states (e.g. main and a pull request). */
export function diffAccess(before: readonly AccessGrant[], after: readonly AccessGrant[]): AccessDiff {
  const beforeKeys = new Set(before.map(grantKey));
  const afterKeys = new Set(after.map(grantKey));
  return {
    gained: after.filter((g) => !beforeKeys.has(grantKey(g))),
    lost: before.filter((g) => !afterKeys.has(grantKey(g))),
  };
}
