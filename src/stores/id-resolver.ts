import { TerminalError } from '../diagnostics/errors.js';
import type { LiveState } from '../model/live.js';
import type { AwsCaller } from './aws-caller.js';
import { classifyAwsError, isNotFound } from './classify-aws-error.js';

// Changes name objects by natural key; AWS wants ids and ARNs. The resolver starts from the
// snapshot the plan was made from, learns the ids of objects created during the apply, and
// falls back to asking AWS (GetUserId, GetGroupId, ListPermissionSets + DescribePermissionSet).

export interface InstanceRef {
  readonly instanceArn: string;
  readonly identityStoreId: string;
}

export interface IdResolver {
  readonly instance: InstanceRef;
  /** The id, or undefined when no such user exists. */
  findUserId(userName: string): Promise<string | undefined>;
  findGroupId(displayName: string): Promise<string | undefined>;
  findPermissionSetArn(name: string): Promise<string | undefined>;
  remember(kind: 'user' | 'group' | 'permissionSet', name: string, id: string): void;
  forget(kind: 'user' | 'group' | 'permissionSet', name: string): void;
}

export interface IdResolverSeed {
  readonly users?: readonly { readonly userName: string; readonly id: string }[];
  readonly groups?: readonly { readonly displayName: string; readonly id: string }[];
  readonly permissionSets?: readonly { readonly name: string; readonly arn: string }[];
}

export const seedFromSnapshot = (live: Pick<LiveState, 'users' | 'groups' | 'permissionSets'>): IdResolverSeed => live;

export function createIdResolver(caller: AwsCaller, instance: InstanceRef, seed: IdResolverSeed = {}): IdResolver {
  const users = new Map<string, string>();
  const groups = new Map<string, string>();
  const permissionSets = new Map<string, string>();
  for (const u of seed.users ?? []) users.set(u.userName, u.id);
  for (const g of seed.groups ?? []) groups.set(g.displayName, g.id);
  for (const p of seed.permissionSets ?? []) permissionSets.set(p.name, p.arn);
  const maps = { user: users, group: groups, permissionSet: permissionSets };

  async function lookup(kind: 'user' | 'group', name: string): Promise<string | undefined> {
    const cached = maps[kind].get(name);
    if (cached !== undefined) return cached;
    const operation = kind === 'user' ? 'GetUserId' : 'GetGroupId';
    try {
      const out = await caller.call('identitystore', operation, {
        IdentityStoreId: instance.identityStoreId,
        AlternateIdentifier: {
          UniqueAttribute: { AttributePath: kind === 'user' ? 'userName' : 'displayName', AttributeValue: name },
        },
      });
      const id = String(kind === 'user' ? out.UserId : out.GroupId);
      maps[kind].set(name, id);
      return id;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw classifyAwsError(e, `resolving ${kind} ${name}`);
    }
  }

  async function findPermissionSetArn(name: string): Promise<string | undefined> {
    const cached = permissionSets.get(name);
    if (cached !== undefined) return cached;
    // No lookup by name in SSO Admin: list ARNs, describe the ones not known yet.
    const known = new Set(permissionSets.values());
    try {
      let token: string | undefined;
      do {
        const page = await caller.call('sso-admin', 'ListPermissionSets', {
          InstanceArn: instance.instanceArn,
          ...(token ? { NextToken: token } : {}),
        });
        for (const arn of (page.PermissionSets as string[] | undefined) ?? []) {
          if (known.has(arn)) continue;
          const described = await caller.call('sso-admin', 'DescribePermissionSet', { InstanceArn: instance.instanceArn, PermissionSetArn: arn });
          const psName = (described.PermissionSet as { Name?: string } | undefined)?.Name;
          if (psName !== undefined) permissionSets.set(psName, arn);
          if (psName === name) return arn;
        }
        token = typeof page.NextToken === 'string' && page.NextToken !== '' ? page.NextToken : undefined;
      } while (token);
    } catch (e) {
      throw classifyAwsError(e, `resolving permission set ${name}`);
    }
    return undefined;
  }

  return {
    instance,
    findUserId: (userName) => lookup('user', userName),
    findGroupId: (displayName) => lookup('group', displayName),
    findPermissionSetArn,
    remember: (kind, name, id) => void maps[kind].set(name, id),
    forget: (kind, name) => void maps[kind].delete(name),
  };
}

/** The id, or a TerminalError naming what is missing. */
export async function requireId(find: Promise<string | undefined>, what: string): Promise<string> {
  const id = await find;
  if (id === undefined) throw new TerminalError(`${what} does not exist`, 'ResourceNotFoundException');
  return id;
}
