import { UserError } from '../diagnostics/errors.js';
import { didYouMean } from '../config/text/closest.js';
import type { AccessGrant } from '../access/effective-access.js';
import type { DesiredState } from '../model/desired.js';
import type { Organization } from '../model/entities.js';

// A question about a name nobody defined (`access --user alcie`, `explain bob Admin prod`) is a
// typo far more often than a real "no": answering "No access matches" would tell a reviewer that
// alcie has no access, which is true and useless. Unknown names are errors (exit 1) with the
// closest known name. Shared by access, explain, can and who-can.

export interface KnownNames {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly permissionSets: ReadonlySet<string>;
  readonly organization: Organization;
  /** Where the names came from, for the message: `the config` or `the live store`. */
  readonly where: string;
}

/** The names a query may use: the config's, plus any a grant shows (external users, live ones). */
export function knownNames(
  desired: DesiredState,
  organization: Organization,
  grants: readonly AccessGrant[] = [],
  where = 'the config',
): KnownNames {
  const users = new Set([...desired.users.map((u) => u.userName), ...desired.referencedUsers, ...grants.map((g) => g.userName)]);
  const groups = new Set([
    ...desired.groups.map((g) => g.displayName),
    ...desired.referencedGroups,
    ...grants.flatMap((g) => g.paths.flatMap((p) => (p.kind === 'group' ? [p.groupName] : []))),
  ]);
  const permissionSets = new Set([...desired.permissionSets.map((p) => p.name), ...grants.map((g) => g.permissionSetName)]);
  return { users, groups, permissionSets, organization, where };
}

const unknown = (what: string, name: string, candidates: Iterable<string>, where: string): UserError =>
  new UserError(`unknown ${what} "${name}": not in ${where}${didYouMean(name, candidates)}`);

export function requireUser(known: KnownNames, name: string): string {
  if (!known.users.has(name)) throw unknown('user', name, known.users, known.where);
  return name;
}

export function requireGroup(known: KnownNames, name: string): string {
  if (!known.groups.has(name)) throw unknown('group', name, known.groups, known.where);
  return name;
}

export function requirePermissionSet(known: KnownNames, name: string): string {
  if (!known.permissionSets.has(name)) throw unknown('permission set', name, known.permissionSets, known.where);
  return name;
}

/** The 12-digit id of an account given by id or name; an error naming the closest otherwise. */
export function requireAccount(known: KnownNames, nameOrId: string): string {
  const accounts = known.organization.accounts;
  const found = accounts.find((a) => a.id === nameOrId) ?? accounts.find((a) => a.name === nameOrId);
  if (found) return found.id;
  throw new UserError(
    `unknown account "${nameOrId}": not in the organisation${didYouMean(nameOrId, accounts.flatMap((a) => [a.name, a.id]))}`,
  );
}
