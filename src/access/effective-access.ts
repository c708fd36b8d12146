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

export function effectiveAccess(input: AccessInput): AccessGrant[] {
  const membersOf = new Map<string, string[]>();
  for (const m of input.memberships) {
    const list = membersOf.get(m.groupName) ?? [];
    list.push(m.userName);
    membersOf.set(m.groupName, list);
  }
  const grants = new Map<string, { userName: string; accountId: string; permissionSetName: string; paths: AccessPath[] }>();
  const add = (userName: string, a: AssignmentTuple, path: AccessPath) => {
    const key = grantKey({ userName, accountId: a.accountId, permissionSetName: a.permissionSetName });
    let grant = grants.get(key);
    if (!grant) {
      grant = { userName, accountId: a.accountId, permissionSetName: a.permissionSetName, paths: [] };
      grants.set(key, grant);
    }
    grant.paths.push(path);
  };
  for (const a of input.assignments) {
    const source = a.source ? { source: a.source } : {};
    if (a.principalType === 'USER') add(a.principalName, a, { kind: 'direct', ...source });
    else for (const user of membersOf.get(a.principalName) ?? []) add(user, a, { kind: 'group', groupName: a.principalName, ...source });
  }
  const pathOrder = (p: AccessPath) => (p.kind === 'direct' ? '' : `g:${p.groupName}`);
  return [...grants.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([, g]) => ({ ...g, paths: dedupePaths(g.paths.sort((x, y) => compareStrings(pathOrder(x), pathOrder(y)))) }));
}

function dedupePaths(paths: AccessPath[]): AccessPath[] {
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
