import type { Account, Organization } from '../model/entities.js';
import { compareStrings } from '../model/keys.js';

// The organisation as organization.yaml nests it: accounts directly under Root, then OUs with
// their accounts and child OUs. The embedded store loads it; AWS users get a readable record of
// the accounts their rules target.

interface OuNode {
  readonly name: string;
  readonly id?: string;
  readonly accounts: Account[];
  readonly children: Map<string, OuNode>;
}

const ROOT = '/Root';
/** The loader derives an id from the path when absent, and rejects ids not in AWS's format. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/;

export function organizationDocument(organization: Organization): Record<string, unknown> {
  const root: OuNode = { name: 'Root', accounts: [], children: new Map() };
  const ids = new Map(organization.ous.map((ou) => [ou.path, ou.id]));
  const nodeAt = (path: string): OuNode => {
    const parts = path.split('/').filter((p) => p.length > 0).slice(1);
    let node = root;
    let at = ROOT;
    for (const part of parts) {
      at = `${at}/${part}`;
      let child = node.children.get(part);
      if (!child) {
        const id = ids.get(at);
        child = { name: part, ...(id !== undefined && OU_ID.test(id) ? { id } : {}), accounts: [], children: new Map() };
        node.children.set(part, child);
      }
      node = child;
    }
    return node;
  };
  for (const ou of organization.ous) nodeAt(ou.path);
  for (const account of organization.accounts) nodeAt(account.ouPath).accounts.push(account);

  return {
    managementAccountId: organization.managementAccountId,
    accounts: accountsOf(root),
    ous: childrenOf(root),
  };
}

function childrenOf(node: OuNode): Record<string, unknown>[] {
  return [...node.children.values()]
    .sort((a, b) => compareStrings(a.name, b.name))
    .map((child) => ({
      name: child.name,
      ...(child.id !== undefined ? { id: child.id } : {}),
      accounts: accountsOf(child),
      ...(child.children.size > 0 ? { ous: childrenOf(child) } : {}),
    }));
}

function accountsOf(node: OuNode): Record<string, unknown>[] {
  return [...node.accounts]
    .sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id))
    .map((a) => ({
      id: a.id,
      name: a.name,
      ...(a.email !== undefined ? { email: a.email } : {}),
      ...(a.status !== undefined && a.status !== 'ACTIVE' ? { status: a.status } : {}),
      tags: { ...a.tags },
    }));
}
