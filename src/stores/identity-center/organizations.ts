import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Organization } from '../../model/entities.js';
import type { AwsInput, AwsOutput } from '../aws-caller.js';
import { AwsServiceError } from '../aws-caller.js';
import { read, type EngineContext, type OperationHandler, type OperationTable } from './context.js';
import { paginate, pageRequest } from './pagination.js';
import { awsError, compact, epochSeconds, fail, InputViolation, requiredEnum, requiredString } from './wire.js';

// The organisation is live state Gatehouse only reads; it comes from a file and is replaced as
// a whole. Its root and organisation ids are derived from the management account, so loading
// the same file twice yields the same ids.

interface OrgInfo {
  organization_id: string;
  root_id: string;
  management_account_id: string;
}

interface OuRow {
  id: string;
  path: string;
  name: string;
  parent_id: string;
}

interface AccountRow {
  id: string;
  name: string;
  email: string;
  /** The account's State (PENDING_ACTIVATION, ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED). */
  status: string;
  parent_id: string;
  seq: number;
}

const digest = (text: string, alphabet: string, length: number): string => {
  const bytes = createHash('sha256').update(text).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
};

const ROOT_PATH = '/Root';

export function loadOrganizationInto(db: Database.Database, org: Organization): void {
  const rootId = `r-${digest(`root:${org.managementAccountId}`, '0123456789abcdefghijklmnopqrstuvwxyz', 4)}`;
  const organizationId = `o-${digest(`org:${org.managementAccountId}`, '0123456789abcdefghijklmnopqrstuvwxyz', 10)}`;
  const byPath = new Map<string, string>([[ROOT_PATH, rootId]]);
  for (const ou of org.ous) {
    if (byPath.has(ou.path)) throw new Error(`organisation: OU path ${ou.path} appears twice`);
    byPath.set(ou.path, ou.id);
  }
  const parentOf = (path: string): string => {
    const parentPath = path.slice(0, path.lastIndexOf('/'));
    return byPath.get(parentPath) ?? (() => { throw new Error(`organisation: the parent of ${path} (${parentPath}) is not an OU`); })();
  };
  db.transaction(() => {
    for (const table of ['org_info', 'org_ous', 'org_accounts', 'org_tags']) db.prepare(`DELETE FROM ${table}`).run();
    db.prepare('INSERT INTO org_info (id, organization_id, root_id, management_account_id) VALUES (1, ?, ?, ?)').run(
      organizationId,
      rootId,
      org.managementAccountId,
    );
    const insertOu = db.prepare('INSERT INTO org_ous (id, path, name, parent_id) VALUES (?, ?, ?, ?)');
    for (const ou of org.ous) insertOu.run(ou.id, ou.path, ou.name, parentOf(ou.path));
    const insertAccount = db.prepare(
      'INSERT INTO org_accounts (id, name, email, status, parent_id, ou_path, seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const insertTag = db.prepare('INSERT INTO org_tags (resource_id, key, value) VALUES (?, ?, ?)');
    org.accounts.forEach((a, seq) => {
      const parent = byPath.get(a.ouPath) ?? (() => { throw new Error(`organisation: account ${a.id} sits in unknown OU ${a.ouPath}`); })();
      insertAccount.run(a.id, a.name, a.email ?? '', a.status ?? 'ACTIVE', parent, a.ouPath, seq);
      for (const [k, v] of Object.entries(a.tags)) insertTag.run(a.id, k, v);
    });
  })();
}

/** The organisation as loaded, or undefined when none was. */
export function readOrganization(db: Database.Database): Organization | undefined {
  const info = db.prepare('SELECT * FROM org_info WHERE id = 1').get() as OrgInfo | undefined;
  if (!info) return undefined;
  const ous = db.prepare('SELECT id, path, name FROM org_ous ORDER BY path').all() as { id: string; path: string; name: string }[];
  const tags = new Map<string, Record<string, string>>();
  for (const t of db.prepare('SELECT resource_id, key, value FROM org_tags ORDER BY resource_id, key').all() as { resource_id: string; key: string; value: string }[]) {
    let forResource = tags.get(t.resource_id);
    if (!forResource) tags.set(t.resource_id, (forResource = {}));
    forResource[t.key] = t.value;
  }
  const accounts = db.prepare('SELECT id, name, email, status, ou_path FROM org_accounts ORDER BY id').all() as {
    id: string;
    name: string;
    email: string;
    status: string;
    ou_path: string;
  }[];
  return {
    managementAccountId: info.management_account_id,
    ous: ous.map((o) => ({ id: o.id, path: o.path, name: o.name })),
    accounts: accounts.map((a) => ({
      id: a.id,
      name: a.name,
      ouPath: a.ou_path,
      ...(a.email ? { email: a.email } : {}),
      status: a.status as 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE',
      tags: tags.get(a.id) ?? {},
    })),
  };
}

function orgInfo(ctx: EngineContext): OrgInfo {
  return (
    (ctx.sql('SELECT * FROM org_info WHERE id = 1').get() as OrgInfo | undefined) ??
    fail('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.')
  );
}

const accountArn = (info: OrgInfo, id: string) => `arn:aws:organizations::${info.management_account_id}:account/${info.organization_id}/${id}`;
const ouArn = (info: OrgInfo, id: string) => `arn:aws:organizations::${info.management_account_id}:ou/${info.organization_id}/${id}`;
const rootArn = (info: OrgInfo) => `arn:aws:organizations::${info.management_account_id}:root/${info.organization_id}/${info.root_id}`;

/**
 * The retired `Status` (ACTIVE | SUSPENDED | PENDING_CLOSURE) of an account in a given `State`.
 * The model: Status "will be retired on September 9, 2026 … use the State parameter instead";
 * State splits what Status lumped together (Organizations User Guide, "Monitor the state of your
 * AWS accounts", orgs_manage_accounts_account_state.html). AWS's Cloud Operations Blog post
 * launching State: accounts "labeled with ACTIVE status may not necessarily be fully activated" (PENDING_ACTIVATION)
 * and "the SUSPENDED status fails to distinguish between customer-initiated account closures and
 * AWS-initiated suspensions" (CLOSED).
 */
export function retiredAccountStatus(state: string): 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE' {
  switch (state) {
    case 'PENDING_CLOSURE':
      return 'PENDING_CLOSURE';
    case 'SUSPENDED':
    case 'CLOSED':
      return 'SUSPENDED';
    default:
      return 'ACTIVE';
  }
}

function accountOut(ctx: EngineContext, info: OrgInfo, a: AccountRow): AwsOutput {
  return compact({
    Id: a.id,
    Arn: accountArn(info, a.id),
    Email: a.email || undefined,
    Name: a.name,
    // The organisation file's `status` is the account's State (model/entities.ts Account.status).
    State: a.status,
    Status: retiredAccountStatus(a.status),
    JoinedMethod: a.id === info.management_account_id ? 'CREATED' : 'INVITED',
    JoinedTimestamp: epochSeconds(ctx.instance.createdAt),
  });
}

function parentOrFail(ctx: EngineContext, info: OrgInfo, parentId: string): void {
  if (parentId === info.root_id) return;
  if (!ctx.sql('SELECT 1 FROM org_ous WHERE id = ?').get(parentId)) fail('ParentNotFoundException', `We can't find a root or OU with the ParentId ${parentId}.`);
}

function listAccountsForParent(ctx: EngineContext, input: AwsInput): AwsOutput {
  const info = orgInfo(ctx);
  const parentId = requiredString(input, 'ParentId');
  parentOrFail(ctx, info, parentId);
  const { items, nextToken } = paginate(pageRequest(input, 'ListAccountsForParent', 20, 20), 'ListAccountsForParent', (offset, limit) =>
    ctx.sql('SELECT * FROM org_accounts WHERE parent_id = ? ORDER BY seq LIMIT ? OFFSET ?').all(parentId, limit, offset) as AccountRow[],
  );
  return compact({ Accounts: items.map((a) => accountOut(ctx, info, a)), NextToken: nextToken });
}

function listOusForParent(ctx: EngineContext, input: AwsInput): AwsOutput {
  const info = orgInfo(ctx);
  const parentId = requiredString(input, 'ParentId');
  parentOrFail(ctx, info, parentId);
  const { items, nextToken } = paginate(pageRequest(input, 'ListOrganizationalUnitsForParent', 20, 20), 'ListOrganizationalUnitsForParent', (offset, limit) =>
    ctx.sql('SELECT * FROM org_ous WHERE parent_id = ? ORDER BY path LIMIT ? OFFSET ?').all(parentId, limit, offset) as OuRow[],
  );
  return compact({ OrganizationalUnits: items.map((o) => ({ Id: o.id, Arn: ouArn(info, o.id), Name: o.name })), NextToken: nextToken });
}

function listChildren(ctx: EngineContext, input: AwsInput): AwsOutput {
  const info = orgInfo(ctx);
  const parentId = requiredString(input, 'ParentId');
  const childType = requiredEnum(input, 'ChildType', ['ACCOUNT', 'ORGANIZATIONAL_UNIT'] as const);
  parentOrFail(ctx, info, parentId);
  const sql = childType === 'ACCOUNT'
    ? 'SELECT id FROM org_accounts WHERE parent_id = ? ORDER BY seq LIMIT ? OFFSET ?'
    : 'SELECT id FROM org_ous WHERE parent_id = ? ORDER BY path LIMIT ? OFFSET ?';
  const { items, nextToken } = paginate(pageRequest(input, 'ListChildren', 20, 20), 'ListChildren', (offset, limit) =>
    ctx.sql(sql).all(parentId, limit, offset) as { id: string }[],
  );
  return compact({ Children: items.map((c) => ({ Id: c.id, Type: childType })), NextToken: nextToken });
}

function listParents(ctx: EngineContext, input: AwsInput): AwsOutput {
  const info = orgInfo(ctx);
  const childId = requiredString(input, 'ChildId');
  const row = (ctx.sql('SELECT parent_id FROM org_accounts WHERE id = ? UNION ALL SELECT parent_id FROM org_ous WHERE id = ?').get(childId, childId) as
    | { parent_id: string }
    | undefined) ?? fail('ChildNotFoundException', `We can't find an organizational unit (OU) or AWS account with the ChildId ${childId}.`);
  return { Parents: [{ Id: row.parent_id, Type: row.parent_id === info.root_id ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
}

function listTags(ctx: EngineContext, input: AwsInput): AwsOutput {
  const info = orgInfo(ctx);
  const id = requiredString(input, 'ResourceId');
  const exists = id === info.root_id || ctx.sql('SELECT 1 FROM org_accounts WHERE id = ? UNION ALL SELECT 1 FROM org_ous WHERE id = ?').get(id, id);
  if (!exists) fail('TargetNotFoundException', `We can't find a resource with the ResourceId ${id}.`);
  const { items, nextToken } = paginate(pageRequest(input, 'ListTagsForResource', 100, 100), 'ListTagsForResource', (offset, limit) =>
    ctx.sql('SELECT key, value FROM org_tags WHERE resource_id = ? ORDER BY key LIMIT ? OFFSET ?').all(id, limit, offset) as { key: string; value: string }[],
  );
  return compact({ Tags: items.map((t) => ({ Key: t.key, Value: t.value })), NextToken: nextToken });
}

/**
 * An Organizations read. Organizations has no ValidationException (its operations' errors in
 * reference/organizations.service.json name InvalidInputException: "The requested operation
 * failed because you provided invalid values for one or more of the request parameters. This
 * exception includes a reason"), so a failed input check answers that, with the Reason the
 * check names (INPUT_REQUIRED, INVALID_PATTERN, INVALID_PAGINATION_TOKEN, …).
 */
const orgRead = (run: OperationHandler) =>
  read((ctx, input) => {
    try {
      return run(ctx, input);
    } catch (e) {
      if (e instanceof AwsServiceError && e.errorName === 'ValidationException') {
        throw awsError('InvalidInputException', e.message, e instanceof InputViolation && e.violation ? { reason: e.violation } : {});
      }
      throw e;
    }
  });

export const ORGANIZATIONS_OPERATIONS: OperationTable = {
  DescribeOrganization: orgRead((ctx) => {
    const info = orgInfo(ctx);
    const management = ctx.sql('SELECT email FROM org_accounts WHERE id = ?').get(info.management_account_id) as { email: string } | undefined;
    return {
      Organization: compact({
        Id: info.organization_id,
        Arn: `arn:aws:organizations::${info.management_account_id}:organization/${info.organization_id}`,
        FeatureSet: 'ALL',
        MasterAccountArn: accountArn(info, info.management_account_id),
        MasterAccountId: info.management_account_id,
        MasterAccountEmail: management?.email || undefined,
        AvailablePolicyTypes: [],
      }),
    };
  }),
  ListRoots: orgRead((ctx) => {
    const info = orgInfo(ctx);
    return { Roots: [{ Id: info.root_id, Arn: rootArn(info), Name: 'Root', PolicyTypes: [] }] };
  }),
  ListChildren: orgRead(listChildren),
  ListOrganizationalUnitsForParent: orgRead(listOusForParent),
  ListAccountsForParent: orgRead(listAccountsForParent),
  ListAccounts: orgRead((ctx, input) => {
    const info = orgInfo(ctx);
    const { items, nextToken } = paginate(pageRequest(input, 'ListAccounts', 20, 20), 'ListAccounts', (offset, limit) =>
      ctx.sql('SELECT * FROM org_accounts ORDER BY seq LIMIT ? OFFSET ?').all(limit, offset) as AccountRow[],
    );
    return compact({ Accounts: items.map((a) => accountOut(ctx, info, a)), NextToken: nextToken });
  }),
  DescribeAccount: orgRead((ctx, input) => {
    const info = orgInfo(ctx);
    const id = requiredString(input, 'AccountId');
    const a = (ctx.sql('SELECT * FROM org_accounts WHERE id = ?').get(id) as AccountRow | undefined) ??
      fail('AccountNotFoundException', `You specified an account that doesn't exist: ${id}`);
    return { Account: accountOut(ctx, info, a) };
  }),
  DescribeOrganizationalUnit: orgRead((ctx, input) => {
    const info = orgInfo(ctx);
    const id = requiredString(input, 'OrganizationalUnitId');
    const ou = (ctx.sql('SELECT * FROM org_ous WHERE id = ?').get(id) as OuRow | undefined) ??
      fail('OrganizationalUnitNotFoundException', `We can't find an OU with the OrganizationalUnitId ${id}.`);
    return { OrganizationalUnit: { Id: ou.id, Arn: ouArn(info, ou.id), Name: ou.name } };
  }),
  ListParents: orgRead(listParents),
  ListTagsForResource: orgRead(listTags),
};
