import type pLimit from 'p-limit';
import { ACCOUNT_STATES, type Account, type AccountState, type Organization, type OrganizationalUnit } from '../../model/entities.js';
import { escapeOuName } from '../../expand/organization-index.js';
import { compareStrings } from '../../model/keys.js';
import type { AwsCaller } from '../aws-caller.js';
import { listAll } from './paginate.js';

// The organisation as Gatehouse sees it: OUs by path under /Root, accounts with their tags.
// Costs DescribeOrganization + ListRoots + per OU (and the root) two listings + one
// ListTagsForResource per account.

interface WireOu { readonly Id: string; readonly Name: string }
interface WireAccount { readonly Id: string; readonly Name: string; readonly Email?: string; readonly Status?: string; readonly State?: string }
interface WireTag { readonly Key: string; readonly Value: string }

export async function readOrganization(caller: AwsCaller, limit: ReturnType<typeof pLimit>): Promise<Organization> {
  const described = await caller.call('organizations', 'DescribeOrganization', {});
  const managementAccountId = String((described.Organization as { MasterAccountId?: string } | undefined)?.MasterAccountId ?? '');
  const roots = await listAll<WireOu>(caller, 'organizations', 'ListRoots', {}, 'Roots');
  const ous: OrganizationalUnit[] = [];
  const placed: { wire: WireAccount; ouPath: string }[] = [];

  const walk = async (parentId: string, path: string): Promise<void> => {
    const [children, accounts] = await Promise.all([
      limit(() => listAll<WireOu>(caller, 'organizations', 'ListOrganizationalUnitsForParent', { ParentId: parentId }, 'OrganizationalUnits')),
      limit(() => listAll<WireAccount>(caller, 'organizations', 'ListAccountsForParent', { ParentId: parentId }, 'Accounts')),
    ]);
    for (const wire of accounts) placed.push({ wire, ouPath: path });
    await Promise.all(
      children.map((ou) => {
        // A `/` in an OU name is escaped, so the path never reads as a deeper OU.
        const childPath = `${path}/${escapeOuName(ou.Name)}`;
        ous.push({ id: ou.Id, path: childPath, name: ou.Name });
        return walk(ou.Id, childPath);
      }),
    );
  };
  await Promise.all(roots.map((root) => walk(root.Id, '/Root')));

  const accounts = await Promise.all(
    placed.map(async ({ wire, ouPath }): Promise<Account> => {
      const tags = await limit(() => listAll<WireTag>(caller, 'organizations', 'ListTagsForResource', { ResourceId: wire.Id }, 'Tags'));
      return {
        id: wire.Id,
        name: wire.Name,
        ouPath,
        ...(wire.Email ? { email: wire.Email } : {}),
        ...(accountState(wire) !== undefined ? { status: accountState(wire)! } : {}),
        tags: tagRecord(tags),
      };
    }),
  );
  return {
    managementAccountId,
    ous: ous.sort((a, b) => compareStrings(a.path, b.path)),
    accounts: accounts.sort((a, b) => compareStrings(a.id, b.id)),
  };
}

const isAccountState = (s: string | undefined): s is AccountState => ACCOUNT_STATES.includes(s as AccountState);

/**
 * `State` first: the model says `Account.Status` "will be retired on September 9, 2026" and to
 * use `State` (which also tells CLOSED and PENDING_ACTIVATION apart); `Status` only when an
 * older endpoint sends no State.
 */
export function accountState(wire: { readonly Status?: string; readonly State?: string }): AccountState | undefined {
  if (isAccountState(wire.State)) return wire.State;
  return isAccountStatus(wire.Status) ? wire.Status : undefined;
}

const isAccountStatus = (s: string | undefined): s is 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' =>
  s === 'ACTIVE' || s === 'SUSPENDED' || s === 'PENDING_CLOSURE';

export function tagRecord(tags: readonly WireTag[]): Record<string, string> {
  return Object.fromEntries([...tags].sort((a, b) => compareStrings(a.Key, b.Key)).map((t) => [t.Key, t.Value]));
}
