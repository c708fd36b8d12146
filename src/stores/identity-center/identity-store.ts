import type { AwsInput, AwsOutput } from '../aws-caller.js';
import { identityStoreResourceId, read, write, type EngineContext, type OperationTable } from './context.js';
import { paginate, pageRequest } from './pagination.js';
import {
  compact,
  epochSeconds,
  fail,
  optionalList,
  optionalObject,
  optionalString,
  PATTERNS,
  requiredObject,
  requiredString,
} from './wire.js';

// The Identity Store API (users, groups, memberships) as AWS answers it. User names and group
// display names are unique regardless of case, as in Identity Store; UpdateUser (userName) and
// UpdateGroup (displayName) rename in place, keeping the id. Errors carry the model's structured
// members: Reason on ConflictException, ResourceType and ResourceId on ResourceNotFoundException. Deleting a user or group deletes its memberships
// (foreign keys cascade) but never its account assignments: those become orphans.

interface UserRow {
  id: string;
  user_name: string;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  email: string | null;
  email_type: string | null;
  title: string | null;
  created_at: number;
  updated_at: number;
}

interface GroupRow {
  id: string;
  display_name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}

interface MembershipRow {
  id: string;
  group_id: string;
  user_id: string;
  created_at: number;
}

function checkStore(ctx: EngineContext, input: AwsInput): string {
  const id = requiredString(input, 'IdentityStoreId', PATTERNS.identityStoreId);
  if (id !== ctx.instance.identityStoreId) notFound('IDENTITY_STORE', id, `Identity store ${id} does not exist`);
  return id;
}

/** ResourceNotFoundException with the model's ResourceType (USER, GROUP, GROUP_MEMBERSHIP, IDENTITY_STORE) and ResourceId. */
const notFound = (resourceType: string, resourceId: string, message: string): never =>
  fail('ResourceNotFoundException', message, { resourceType, resourceId });

/** ConflictException "violate an existing uniqueness claim in the identity store" (model), Reason UNIQUENESS_CONSTRAINT_VIOLATION. */
const notUnique = (message: string): never => fail('ConflictException', message, { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });

const resourceId = (input: AwsInput, field: string): string => requiredString(input, field, PATTERNS.resourceId);

/**
 * The CreateUser members kept as they were written (wire shape) beyond the columns: the model's
 * CreateUserRequest accepts them all and DescribeUserResponse answers them.
 */
const EXTRA_USER_ATTRIBUTES = [
  'NickName', 'ProfileUrl', 'Addresses', 'PhoneNumbers', 'UserType', 'PreferredLanguage', 'Locale', 'Timezone',
  'Photos', 'Website', 'Birthdate', 'Roles', 'Extensions',
] as const;
/** Name members beyond GivenName/FamilyName (columns). */
const EXTRA_NAME_MEMBERS = ['Formatted', 'MiddleName', 'HonorificPrefix', 'HonorificSuffix'] as const;

type ExtraAttributes = Record<string, unknown>;

function extraAttributesOf(ctx: EngineContext, userId: string): ExtraAttributes {
  const row = ctx.sql('SELECT attributes FROM ids_user_attributes WHERE user_id = ?').get(userId) as { attributes: string } | undefined;
  return row ? (JSON.parse(row.attributes) as ExtraAttributes) : {};
}

function writeExtraAttributes(ctx: EngineContext, userId: string, extra: ExtraAttributes): void {
  const present = Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(present).length === 0) ctx.sql('DELETE FROM ids_user_attributes WHERE user_id = ?').run(userId);
  else {
    ctx.sql('INSERT INTO ids_user_attributes (user_id, attributes) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET attributes = excluded.attributes')
      .run(userId, JSON.stringify(present));
  }
}

function userOut(ctx: EngineContext, u: UserRow): AwsOutput {
  const extra = extraAttributesOf(ctx, u.id);
  const { NameExtra: nameExtra, Emails: emails, ...attributes } = extra as { NameExtra?: Record<string, unknown>; Emails?: unknown } & ExtraAttributes;
  const name = compact({ GivenName: u.given_name, FamilyName: u.family_name, ...(nameExtra ?? {}) });
  return compact({
    ...attributes,
    IdentityStoreId: ctx.instance.identityStoreId,
    UserId: u.id,
    UserName: u.user_name,
    Name: Object.keys(name).length > 0 ? name : undefined,
    DisplayName: u.display_name,
    Emails: u.email !== null ? (emails ?? [compact({ Value: u.email, Type: u.email_type ?? undefined, Primary: true })]) : undefined,
    Title: u.title,
    UserStatus: 'ENABLED',
    CreatedAt: epochSeconds(u.created_at),
    UpdatedAt: epochSeconds(u.updated_at),
  });
}

function groupOut(ctx: EngineContext, g: GroupRow): AwsOutput {
  return compact({
    IdentityStoreId: ctx.instance.identityStoreId,
    GroupId: g.id,
    DisplayName: g.display_name,
    Description: g.description,
    CreatedAt: epochSeconds(g.created_at),
    UpdatedAt: epochSeconds(g.updated_at),
  });
}

function membershipOut(ctx: EngineContext, m: MembershipRow): AwsOutput {
  return {
    IdentityStoreId: ctx.instance.identityStoreId,
    MembershipId: m.id,
    GroupId: m.group_id,
    MemberId: { UserId: m.user_id },
    CreatedAt: epochSeconds(m.created_at),
    UpdatedAt: epochSeconds(m.created_at),
  };
}

export function findUser(ctx: EngineContext, id: string): UserRow | undefined {
  return ctx.sql('SELECT * FROM ids_users WHERE id = ?').get(id) as UserRow | undefined;
}

export function findGroup(ctx: EngineContext, id: string): GroupRow | undefined {
  return ctx.sql('SELECT * FROM ids_groups WHERE id = ?').get(id) as GroupRow | undefined;
}

const userOrFail = (ctx: EngineContext, id: string): UserRow =>
  findUser(ctx, id) ?? notFound('USER', id, `USER not found: ${id}`);
const groupOrFail = (ctx: EngineContext, id: string): GroupRow =>
  findGroup(ctx, id) ?? notFound('GROUP', id, `GROUP not found: ${id}`);

/** One email, as Identity Store allows; accepts the wire's PascalCase and SCIM's lowercase. */
function emailOf(value: unknown): { value: string; type: string | null } | undefined {
  if (value === undefined || value === null) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) return undefined;
  if (list.length > 1) fail('ValidationException', 'At most one email address is supported');
  const e = list[0] as Record<string, unknown>;
  const v = e.Value ?? e.value;
  const t = e.Type ?? e.type;
  if (typeof v !== 'string' || v.length === 0) return fail('ValidationException', 'Email value must be a non-empty string');
  return { value: v, type: typeof t === 'string' ? t : null };
}

function memberUserId(input: AwsInput): string {
  const member = requiredObject(input, 'MemberId');
  return requiredString(member, 'UserId', PATTERNS.resourceId);
}

function uniqueAttribute(input: AwsInput): { path: string; value: unknown } {
  const alt = requiredObject(input, 'AlternateIdentifier');
  const unique = optionalObject(alt, 'UniqueAttribute');
  if (!unique) {
    if (optionalObject(alt, 'ExternalId')) return fail('ResourceNotFoundException', 'No resource with the given external id', { resourceType: 'USER' });
    return fail('ValidationException', 'AlternateIdentifier needs UniqueAttribute or ExternalId');
  }
  return { path: requiredString(unique, 'AttributePath'), value: unique.AttributeValue };
}

/** Identity Store keeps these names for itself. */
const RESERVED_NAMES = new Set(['administrator', 'awsadministrators']);

function checkNotReserved(name: string): void {
  if (RESERVED_NAMES.has(name.toLowerCase())) fail('ValidationException', `${name} is a reserved name and can't be used for users or groups`);
}

function createUser(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const userName = requiredString(input, 'UserName');
  checkNotReserved(userName);
  if (userName.length > 128) fail('ValidationException', 'UserName must be at most 128 characters');
  const displayName = requiredString(input, 'DisplayName');
  const name = optionalObject(input, 'Name');
  const given = name ? optionalString(name, 'GivenName') : undefined;
  const family = name ? optionalString(name, 'FamilyName') : undefined;
  const email = emailOf(optionalList(input, 'Emails'));
  const title = optionalString(input, 'Title');
  const existing = ctx.sql('SELECT id FROM ids_users WHERE user_name_lower = ?').get(userName.toLowerCase());
  if (existing) notUnique(`Duplicate UserName: a user named ${userName} already exists (UNIQUENESS_CONSTRAINT_VIOLATION)`);
  const id = identityStoreResourceId(ctx);
  const now = ctx.now();
  ctx.sql(
      `INSERT INTO ids_users (id, user_name, user_name_lower, display_name, given_name, family_name, email, email_type, title, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, userName, userName.toLowerCase(), displayName, given ?? null, family ?? null, email?.value ?? null, email?.type ?? null, title ?? null, now, now);
  const extra: ExtraAttributes = {};
  for (const key of EXTRA_USER_ATTRIBUTES) extra[key] = input[key];
  if (name) extra.NameExtra = compactOrUndefined(Object.fromEntries(EXTRA_NAME_MEMBERS.map((k) => [k, name[k]])));
  if (email) extra.Emails = input.Emails;
  writeExtraAttributes(ctx, id, extra);
  return { IdentityStoreId: ctx.instance.identityStoreId, UserId: id };
}

/**
 * UpdateUser values are documents and arrive in SCIM's lowercase (`{ value, type, primary }`) as
 * often as in the wire's PascalCase; they are kept and answered in the wire's shape.
 */
function wireShaped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wireShaped);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), wireShaped(v)]));
}

function compactOrUndefined(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const out = compact(value);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** UpdateUser paths of the attributes kept as written, by lowercase path. */
const EXTRA_BY_PATH: ReadonlyMap<string, string> = new Map(EXTRA_USER_ATTRIBUTES.map((k) => [k.toLowerCase(), k]));
const NAME_EXTRA_BY_PATH: ReadonlyMap<string, string> = new Map(EXTRA_NAME_MEMBERS.map((k) => [`name.${k.toLowerCase()}`, k]));

/** The attribute paths Gatehouse writes; AttributeValue absent removes an optional attribute. */
const USER_ATTRIBUTES: Readonly<Record<string, { column: string; required: boolean }>> = {
  username: { column: 'user_name', required: true },
  displayname: { column: 'display_name', required: true },
  'name.givenname': { column: 'given_name', required: false },
  'name.familyname': { column: 'family_name', required: false },
  title: { column: 'title', required: false },
};

function updateUser(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const user = userOrFail(ctx, resourceId(input, 'UserId'));
  const operations = optionalList(input, 'Operations') ?? fail('ValidationException', 'Operations must not be null');
  if (operations.length < 1 || operations.length > 100) fail('ValidationException', 'Operations must have between 1 and 100 members');
  const next: UserRow = { ...user };
  const extra = extraAttributesOf(ctx, user.id);
  const nameExtra: Record<string, unknown> = { ...((extra.NameExtra as Record<string, unknown> | undefined) ?? {}) };
  for (const op of operations as AwsInput[]) {
    const path = requiredString(op, 'AttributePath');
    const value = op.AttributeValue;
    const key = path.toLowerCase();
    if (key === 'emails') {
      const email = emailOf(value);
      next.email = email?.value ?? null;
      next.email_type = email?.type ?? null;
      extra.Emails = email ? wireShaped(Array.isArray(value) ? value : [value]) : undefined;
      continue;
    }
    if (key === 'name') {
      const v = (value ?? {}) as Record<string, unknown>;
      next.given_name = typeof (v.givenName ?? v.GivenName) === 'string' ? String(v.givenName ?? v.GivenName) : null;
      next.family_name = typeof (v.familyName ?? v.FamilyName) === 'string' ? String(v.familyName ?? v.FamilyName) : null;
      for (const k of EXTRA_NAME_MEMBERS) nameExtra[k] = v[k] ?? v[k.charAt(0).toLowerCase() + k.slice(1)];
      continue;
    }
    const extraKey = EXTRA_BY_PATH.get(key);
    if (extraKey !== undefined) {
      extra[extraKey] = value === undefined || value === null ? undefined : extraKey === 'Extensions' ? value : wireShaped(value);
      continue;
    }
    const nameKey = NAME_EXTRA_BY_PATH.get(key);
    if (nameKey !== undefined) {
      nameExtra[nameKey] = value ?? undefined;
      continue;
    }
    const attribute = USER_ATTRIBUTES[key] ?? fail('ValidationException', `Unsupported attribute path ${path}`);
    if (value === undefined || value === null) {
      if (attribute.required) fail('ValidationException', `${path} cannot be removed`);
      (next as unknown as Record<string, unknown>)[attribute.column] = null;
      continue;
    }
    if (typeof value !== 'string' || value.length === 0) fail('ValidationException', `${path} must be a non-empty string`);
    (next as unknown as Record<string, unknown>)[attribute.column] = value;
  }
  if (next.user_name.toLowerCase() !== user.user_name.toLowerCase()) {
    const clash = ctx.sql('SELECT id FROM ids_users WHERE user_name_lower = ?').get(next.user_name.toLowerCase());
    if (clash) notUnique(`Duplicate UserName: a user named ${next.user_name} already exists (UNIQUENESS_CONSTRAINT_VIOLATION)`);
  }
  extra.NameExtra = compactOrUndefined(nameExtra);
  writeExtraAttributes(ctx, user.id, extra);
  ctx.sql(
      `UPDATE ids_users SET user_name = ?, user_name_lower = ?, display_name = ?, given_name = ?, family_name = ?,
       email = ?, email_type = ?, title = ?, updated_at = ? WHERE id = ?`,
    )
    .run(next.user_name, next.user_name.toLowerCase(), next.display_name, next.given_name, next.family_name, next.email, next.email_type, next.title, ctx.now(), user.id);
  return {};
}

function deleteUser(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const user = userOrFail(ctx, resourceId(input, 'UserId'));
  ctx.sql('DELETE FROM ids_users WHERE id = ?').run(user.id);
  return {};
}

function listUsers(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const filter = singleFilter(input, ['UserName']);
  const page = pageRequest(input, 'ListUsers', 50, 100);
  const { items, nextToken } = paginate(page, 'ListUsers', (offset, limit) =>
    filter
      ? (ctx.sql('SELECT * FROM ids_users WHERE user_name_lower = ? ORDER BY user_name LIMIT ? OFFSET ?').all(filter.toLowerCase(), limit, offset) as UserRow[])
      : (ctx.sql('SELECT * FROM ids_users ORDER BY user_name LIMIT ? OFFSET ?').all(limit, offset) as UserRow[]),
  );
  return compact({ Users: items.map((u) => userOut(ctx, u)), NextToken: nextToken });
}

/** ListUsers/ListGroups accept one (deprecated but supported) equality filter. */
function singleFilter(input: AwsInput, paths: readonly string[]): string | undefined {
  const filters = optionalList(input, 'Filters');
  if (!filters || filters.length === 0) return undefined;
  if (filters.length > 1) fail('ValidationException', 'At most one filter is supported');
  const f = filters[0] as AwsInput;
  const path = requiredString(f, 'AttributePath');
  if (!paths.some((p) => p.toLowerCase() === path.toLowerCase())) fail('ValidationException', `Filtering by ${path} is not supported`);
  return requiredString(f, 'AttributeValue');
}

function getUserId(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const { path, value } = uniqueAttribute(input);
  if (typeof value !== 'string') return fail('ValidationException', 'AttributeValue must be a string');
  let row: { id: string } | undefined;
  switch (path.toLowerCase()) {
    case 'username':
      row = ctx.sql('SELECT id FROM ids_users WHERE user_name_lower = ?').get(value.toLowerCase()) as { id: string } | undefined;
      break;
    case 'emails.value':
      row = ctx.sql('SELECT id FROM ids_users WHERE email = ? ORDER BY user_name LIMIT 1').get(value) as { id: string } | undefined;
      break;
    default:
      fail('ValidationException', `${path} is not a unique attribute of a user`);
  }
  if (!row) return notFound('USER', value, `USER not found for ${path} = ${value}`);
  return { IdentityStoreId: ctx.instance.identityStoreId, UserId: row.id };
}

/** The group whose display name equals `displayName` regardless of case. */
const groupNamed = (ctx: EngineContext, displayName: string): { id: string } | undefined =>
  ctx.sql('SELECT id FROM ids_groups WHERE display_name = ? COLLATE NOCASE').get(displayName) as { id: string } | undefined;

function createGroup(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const displayName = requiredString(input, 'DisplayName');
  checkNotReserved(displayName);
  const description = optionalString(input, 'Description');
  if (groupNamed(ctx, displayName)) {
    notUnique(`Duplicate GroupDisplayName: a group named ${displayName} already exists (UNIQUENESS_CONSTRAINT_VIOLATION)`);
  }
  const id = identityStoreResourceId(ctx);
  const now = ctx.now();
  ctx.sql('INSERT INTO ids_groups (id, display_name, description, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
    .run(id, displayName, description ?? null, now, now);
  return { IdentityStoreId: ctx.instance.identityStoreId, GroupId: id };
}

function updateGroup(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const group = groupOrFail(ctx, resourceId(input, 'GroupId'));
  const operations = optionalList(input, 'Operations') ?? fail('ValidationException', 'Operations must not be null');
  if (operations.length < 1 || operations.length > 100) fail('ValidationException', 'Operations must have between 1 and 100 members');
  let displayName = group.display_name;
  let description = group.description;
  for (const op of operations as AwsInput[]) {
    const path = requiredString(op, 'AttributePath').toLowerCase();
    const value = op.AttributeValue;
    if (value !== undefined && value !== null && (typeof value !== 'string' || value.length === 0)) {
      fail('ValidationException', `${path} must be a non-empty string`);
    }
    if (path === 'displayname') {
      if (typeof value !== 'string') return fail('ValidationException', 'displayName cannot be removed');
      displayName = value;
    } else if (path === 'description') {
      description = typeof value === 'string' ? value : null;
    } else {
      fail('ValidationException', `Unsupported attribute path ${path}`);
    }
  }
  const clash = displayName !== group.display_name ? groupNamed(ctx, displayName) : undefined;
  if (clash && clash.id !== group.id) {
    notUnique(`Duplicate GroupDisplayName: a group named ${displayName} already exists (UNIQUENESS_CONSTRAINT_VIOLATION)`);
  }
  ctx.sql('UPDATE ids_groups SET display_name = ?, description = ?, updated_at = ? WHERE id = ?')
    .run(displayName, description, ctx.now(), group.id);
  return {};
}

function deleteGroup(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const group = groupOrFail(ctx, resourceId(input, 'GroupId'));
  ctx.sql('DELETE FROM ids_groups WHERE id = ?').run(group.id);
  return {};
}

function listGroups(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const filter = singleFilter(input, ['DisplayName']);
  const page = pageRequest(input, 'ListGroups', 100, 100);
  const { items, nextToken } = paginate(page, 'ListGroups', (offset, limit) =>
    filter
      ? (ctx.sql('SELECT * FROM ids_groups WHERE display_name = ? COLLATE NOCASE ORDER BY display_name LIMIT ? OFFSET ?').all(filter, limit, offset) as GroupRow[])
      : (ctx.sql('SELECT * FROM ids_groups ORDER BY display_name LIMIT ? OFFSET ?').all(limit, offset) as GroupRow[]),
  );
  return compact({ Groups: items.map((g) => groupOut(ctx, g)), NextToken: nextToken });
}

function getGroupId(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const { path, value } = uniqueAttribute(input);
  if (path.toLowerCase() !== 'displayname') fail('ValidationException', `${path} is not a unique attribute of a group`);
  if (typeof value !== 'string') return fail('ValidationException', 'AttributeValue must be a string');
  const row = groupNamed(ctx, value);
  if (!row) return notFound('GROUP', value, `GROUP not found for displayName = ${value}`);
  return { IdentityStoreId: ctx.instance.identityStoreId, GroupId: row.id };
}

function createGroupMembership(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const group = groupOrFail(ctx, resourceId(input, 'GroupId'));
  const user = userOrFail(ctx, memberUserId(input));
  if (ctx.sql('SELECT id FROM ids_memberships WHERE group_id = ? AND user_id = ?').get(group.id, user.id)) {
    notUnique('Member and Group relationship already exists (UNIQUENESS_CONSTRAINT_VIOLATION)');
  }
  const id = identityStoreResourceId(ctx);
  ctx.sql('INSERT INTO ids_memberships (id, group_id, user_id, created_at) VALUES (?, ?, ?, ?)').run(id, group.id, user.id, ctx.now());
  return { MembershipId: id, IdentityStoreId: ctx.instance.identityStoreId };
}

const membershipOrFail = (ctx: EngineContext, id: string): MembershipRow =>
  (ctx.sql('SELECT * FROM ids_memberships WHERE id = ?').get(id) as MembershipRow | undefined) ??
  notFound('GROUP_MEMBERSHIP', id, `GROUP_MEMBERSHIP not found: ${id}`);

function deleteGroupMembership(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const m = membershipOrFail(ctx, resourceId(input, 'MembershipId'));
  ctx.sql('DELETE FROM ids_memberships WHERE id = ?').run(m.id);
  return {};
}

function describeGroupMembership(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const m = membershipOrFail(ctx, resourceId(input, 'MembershipId'));
  const out = membershipOut(ctx, m);
  return out;
}

function listGroupMemberships(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const group = groupOrFail(ctx, resourceId(input, 'GroupId'));
  const page = pageRequest(input, 'ListGroupMemberships', 100, 100);
  const { items, nextToken } = paginate(page, 'ListGroupMemberships', (offset, limit) =>
    ctx.sql('SELECT * FROM ids_memberships WHERE group_id = ? ORDER BY id LIMIT ? OFFSET ?').all(group.id, limit, offset) as MembershipRow[],
  );
  return compact({ GroupMemberships: items.map((m) => membershipOut(ctx, m)), NextToken: nextToken });
}

function listGroupMembershipsForMember(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const user = userOrFail(ctx, memberUserId(input));
  const page = pageRequest(input, 'ListGroupMembershipsForMember', 100, 100);
  const { items, nextToken } = paginate(page, 'ListGroupMembershipsForMember', (offset, limit) =>
    ctx.sql('SELECT * FROM ids_memberships WHERE user_id = ? ORDER BY id LIMIT ? OFFSET ?').all(user.id, limit, offset) as MembershipRow[],
  );
  return compact({ GroupMemberships: items.map((m) => membershipOut(ctx, m)), NextToken: nextToken });
}

function getGroupMembershipId(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const groupId = resourceId(input, 'GroupId');
  const userId = memberUserId(input);
  const row = ctx.sql('SELECT id FROM ids_memberships WHERE group_id = ? AND user_id = ?').get(groupId, userId) as { id: string } | undefined;
  if (!row) return notFound('GROUP_MEMBERSHIP', groupId, `GROUP_MEMBERSHIP not found for group ${groupId} and user ${userId}`);
  return { MembershipId: row.id, IdentityStoreId: ctx.instance.identityStoreId };
}

function isMemberInGroups(ctx: EngineContext, input: AwsInput): AwsOutput {
  checkStore(ctx, input);
  const userId = memberUserId(input);
  const groupIds = optionalList(input, 'GroupIds') ?? fail('ValidationException', 'GroupIds must not be null');
  if (groupIds.length < 1 || groupIds.length > 100) fail('ValidationException', 'GroupIds must have between 1 and 100 members');
  const stmt = ctx.sql('SELECT 1 FROM ids_memberships WHERE group_id = ? AND user_id = ?');
  return {
    Results: groupIds.map((g) => {
      if (typeof g !== 'string' || !PATTERNS.resourceId.test(g)) fail('ValidationException', `Invalid group id ${String(g)}`);
      return { GroupId: g, MemberId: { UserId: userId }, MembershipExists: stmt.get(g, userId) !== undefined };
    }),
  };
}

export const IDENTITY_STORE_OPERATIONS: OperationTable = {
  CreateUser: write(createUser),
  DescribeUser: read((ctx, input) => {
    checkStore(ctx, input);
    return userOut(ctx, userOrFail(ctx, resourceId(input, 'UserId')));
  }),
  UpdateUser: write(updateUser),
  DeleteUser: write(deleteUser),
  ListUsers: read(listUsers),
  GetUserId: read(getUserId),
  CreateGroup: write(createGroup),
  DescribeGroup: read((ctx, input) => {
    checkStore(ctx, input);
    return groupOut(ctx, groupOrFail(ctx, resourceId(input, 'GroupId')));
  }),
  UpdateGroup: write(updateGroup),
  DeleteGroup: write(deleteGroup),
  ListGroups: read(listGroups),
  GetGroupId: read(getGroupId),
  CreateGroupMembership: write(createGroupMembership),
  DeleteGroupMembership: write(deleteGroupMembership),
  DescribeGroupMembership: read(describeGroupMembership),
  ListGroupMemberships: read(listGroupMemberships),
  ListGroupMembershipsForMember: read(listGroupMembershipsForMember),
  GetGroupMembershipId: read(getGroupMembershipId),
  IsMemberInGroups: read(isMemberInGroups),
};
