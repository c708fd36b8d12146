import { TerminalError } from '../diagnostics/errors.js';
import type { GroupSpec, PrincipalType, UserSpec } from '../model/entities.js';
import { toLiveGroup, toLiveUser, type WireGroup, type WireUser } from './aws/read-identity.js';
import type { PerformSession } from './perform-session.js';

// Writes are made safe to repeat by reading what is there when AWS says "already exists": the
// object an earlier attempt created (its answer lost on the way back) is the goal reached, as
// long as it is the object wanted. One with other content is someone else's, and a conflict.

const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

/** Identity Store ids by unique attribute; undefined when AWS has none. */
async function idByUniqueAttribute(s: PerformSession, operation: 'GetUserId' | 'GetGroupId', path: string, value: string): Promise<string | undefined> {
  const out = await s.read('identitystore', operation, {
    IdentityStoreId: s.identityStoreId,
    AlternateIdentifier: { UniqueAttribute: { AttributePath: path, AttributeValue: value } },
  }).catch((e: unknown) => {
    if ((e as { code?: string }).code === 'ResourceNotFoundException') return undefined;
    throw e;
  });
  const id = out?.[operation === 'GetUserId' ? 'UserId' : 'GroupId'];
  return typeof id === 'string' ? id : undefined;
}

const conflict = (what: string, differences: readonly string[]): TerminalError =>
  new TerminalError(`${what} already exists${differences.length > 0 ? ` with a different ${differences.join(', ')}` : ''}; run plan again to see it`, 'ConflictException');

/** The id of the user that answered "already exists", when it is the user wanted. */
export async function existingUser(s: PerformSession, want: UserSpec): Promise<string> {
  const id = await idByUniqueAttribute(s, 'GetUserId', 'userName', want.userName);
  if (id === undefined) throw conflict(`user ${want.userName}`, []);
  const have = toLiveUser((await s.read('identitystore', 'DescribeUser', { IdentityStoreId: s.identityStoreId, UserId: id })) as unknown as WireUser);
  const differences = (['userName', 'displayName', 'givenName', 'familyName', 'email', 'title'] as const).filter((f) => opt(have[f]) !== opt(want[f]));
  if (differences.length > 0) throw conflict(`user ${want.userName}`, differences);
  return id;
}

/** The id of the group that answered "already exists", when it is the group wanted. */
export async function existingGroup(s: PerformSession, want: GroupSpec): Promise<string> {
  const id = await idByUniqueAttribute(s, 'GetGroupId', 'displayName', want.displayName);
  if (id === undefined) throw conflict(`group ${want.displayName}`, []);
  const have = toLiveGroup((await s.read('identitystore', 'DescribeGroup', { IdentityStoreId: s.identityStoreId, GroupId: id })) as unknown as WireGroup);
  const differences = (['displayName', 'description'] as const).filter((f) => opt(have[f]) !== opt(want[f]));
  if (differences.length > 0) throw conflict(`group ${want.displayName}`, differences);
  return id;
}

/**
 * Whether the assignment exists, from ListAccountAssignments for its (account, permission set):
 * the listing AWS documents for exactly this pair, read in full.
 */
export async function hasAssignment(s: PerformSession, accountId: string, permissionSetArn: string, principalType: PrincipalType, principalId: string): Promise<boolean> {
  let token: string | undefined;
  do {
    const page = await s.read('sso-admin', 'ListAccountAssignments', {
      InstanceArn: s.instanceArn,
      AccountId: accountId,
      PermissionSetArn: permissionSetArn,
      ...(token ? { NextToken: token } : {}),
    });
    const items = (page.AccountAssignments as { PrincipalType?: string; PrincipalId?: string }[] | undefined) ?? [];
    if (items.some((a) => a.PrincipalType === principalType && a.PrincipalId === principalId)) return true;
    token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
  } while (token);
  return false;
}
