import type pLimit from 'p-limit';
import type { LiveGroup, LiveMembership, LiveUser } from '../../model/live.js';
import { compareStrings } from '../../model/keys.js';
import type { AwsCaller } from '../aws-caller.js';
import { listAll } from './paginate.js';

// Users, groups and memberships from the Identity Store: ListUsers, ListGroups, and one
// ListGroupMemberships per group (there is no listing of all memberships).

interface WireEmail { readonly Value?: string; readonly Type?: string; readonly Primary?: boolean }
export interface WireUser {
  readonly UserId: string;
  readonly UserName?: string;
  readonly DisplayName?: string;
  readonly Name?: { readonly GivenName?: string; readonly FamilyName?: string };
  readonly Emails?: readonly WireEmail[];
  readonly Title?: string;
}
export interface WireGroup { readonly GroupId: string; readonly DisplayName?: string; readonly Description?: string }
interface WireMembership { readonly MembershipId: string; readonly GroupId: string; readonly MemberId?: { readonly UserId?: string } }

export interface IdentityState {
  readonly users: readonly LiveUser[];
  readonly groups: readonly LiveGroup[];
  readonly memberships: readonly LiveMembership[];
}

export async function readIdentity(caller: AwsCaller, identityStoreId: string, limit: ReturnType<typeof pLimit>): Promise<IdentityState> {
  const [wireUsers, wireGroups] = await Promise.all([
    limit(() => listAll<WireUser>(caller, 'identitystore', 'ListUsers', { IdentityStoreId: identityStoreId }, 'Users')),
    limit(() => listAll<WireGroup>(caller, 'identitystore', 'ListGroups', { IdentityStoreId: identityStoreId }, 'Groups')),
  ]);
  const users = wireUsers.map(toLiveUser).sort((a, b) => compareStrings(a.userName, b.userName));
  const groups = wireGroups.map(toLiveGroup).sort((a, b) => compareStrings(a.displayName, b.displayName));
  const userNames = new Map(users.map((u) => [u.id, u.userName]));
  const perGroup = await Promise.all(
    groups.map((group) =>
      limit(async () => {
        const wire = await listAll<WireMembership>(caller, 'identitystore', 'ListGroupMemberships', { IdentityStoreId: identityStoreId, GroupId: group.id }, 'GroupMemberships');
        return wire
          .filter((m) => m.MemberId?.UserId !== undefined)
          .map((m): LiveMembership => {
            const userId = m.MemberId!.UserId!;
            const userName = userNames.get(userId);
            return {
              membershipId: m.MembershipId,
              groupId: group.id,
              userId,
              groupName: group.displayName,
              ...(userName !== undefined ? { userName } : {}),
            };
          });
      }),
    ),
  );
  const memberships = perGroup.flat().sort(
    (a, b) =>
      compareStrings(a.groupName ?? '', b.groupName ?? '') ||
      compareStrings(a.userName ?? '', b.userName ?? '') ||
      compareStrings(a.membershipId, b.membershipId),
  );
  return { users, groups, memberships };
}

/** The primary email if one is marked, else the first: what `email` in the config means. */
function primaryEmail(emails: readonly WireEmail[] | undefined): string | undefined {
  const list = (emails ?? []).filter((e) => e.Value);
  return (list.find((e) => e.Primary) ?? list[0])?.Value;
}

export function toLiveUser(u: WireUser): LiveUser {
  const email = primaryEmail(u.Emails);
  return {
    id: u.UserId,
    userName: u.UserName ?? '',
    displayName: u.DisplayName ?? '',
    givenName: u.Name?.GivenName ?? '',
    familyName: u.Name?.FamilyName ?? '',
    ...(email !== undefined ? { email } : {}),
    ...(u.Title ? { title: u.Title } : {}),
  };
}

export function toLiveGroup(g: WireGroup): LiveGroup {
  return {
    id: g.GroupId,
    displayName: g.DisplayName ?? '',
    ...(g.Description ? { description: g.Description } : {}),
  };
}
