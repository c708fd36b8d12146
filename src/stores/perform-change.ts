import type { Change, ChangeKind, ChangeOf } from '../diff/change.js';
import type { UserSpec } from '../model/entities.js';
import type { PrincipalType } from '../model/entities.js';
import { OutcomeUnknownError } from '../diagnostics/errors.js';
import type { AwsCaller, AwsOutput } from './aws-caller.js';
import { AwsServiceError } from './aws-caller.js';
import { classifyAwsError, isAlreadyExists, isNotFound } from './classify-aws-error.js';
import { existingGroup, existingUser, hasAssignment } from './confirm-existing.js';
import { requireId, type IdResolver } from './id-resolver.js';
import type { PerformHooks, PerformResult } from './live-store.js';
import { createPermissionSet, deletePermissionSet, provisionPermissionSet, updatePermissionSet } from './perform-permission-set.js';
import { PerformSession } from './perform-session.js';
import type { PollOptions } from './poll-request.js';

// Turns one Change into AWS API calls, in the order AWS accepts them, through any AwsCaller:
// the embedded engine in process, the SDK, or the emulator over HTTP. Every store performs
// changes the same way. Throws RetryableError or TerminalError (diagnostics/errors.ts).
// Deletions whose object is already gone succeed: the goal state holds (level-based apply).

export type PerformOptions = PollOptions;

type Performer<K extends ChangeKind> = (s: PerformSession, change: ChangeOf<K>) => Promise<void>;

const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s);

const emailValue = (email: string) => [{ value: email, type: 'work', primary: true }];

/** Identity Store attribute operations for the fields that changed; no value removes one. */
function userOperations(before: UserSpec, after: UserSpec, fields: readonly string[]) {
  const changed = fields.length > 0 ? fields : (['displayName', 'givenName', 'familyName', 'email', 'title'] as const).filter((f) => opt(before[f]) !== opt(after[f]));
  return changed.map((field) => {
    switch (field) {
      // A rename or a case-only change: UpdateUser renames in place and keeps the id.
      case 'userName':
        return { AttributePath: 'userName', AttributeValue: after.userName };
      case 'displayName':
        return { AttributePath: 'displayName', AttributeValue: after.displayName };
      case 'givenName':
        return opt(after.givenName) ? { AttributePath: 'name.givenName', AttributeValue: after.givenName } : { AttributePath: 'name.givenName' };
      case 'familyName':
        return opt(after.familyName) ? { AttributePath: 'name.familyName', AttributeValue: after.familyName } : { AttributePath: 'name.familyName' };
      case 'email':
        return opt(after.email) ? { AttributePath: 'emails', AttributeValue: emailValue(after.email!) } : { AttributePath: 'emails' };
      case 'title':
        return opt(after.title) ? { AttributePath: 'title', AttributeValue: after.title } : { AttributePath: 'title' };
      default:
        throw new Error(`unknown user field ${field}`);
    }
  });
}

/**
 * Runs a create; when its outcome is unknown (every answer lost), reads whether the object is
 * there. Found, the create is done (its output is the id); not found or unreadable, it stays unknown.
 */
async function settleByReading(existing: () => Promise<string>, create: () => Promise<AwsOutput | undefined>): Promise<AwsOutput | undefined | { readonly id: string }> {
  try {
    return await create();
  } catch (e) {
    if (!(e instanceof OutcomeUnknownError)) throw e;
    const id = await existing().catch(() => undefined);
    if (id === undefined) throw e;
    return { id };
  }
}

const principalId = (s: PerformSession, type: PrincipalType, name: string): Promise<string> =>
  requireId(type === 'USER' ? s.ids.findUserId(name) : s.ids.findGroupId(name), `${type === 'USER' ? 'user' : 'group'} ${name}`);

const PERFORMERS: { readonly [K in ChangeKind]: Performer<K> } = {
  'user.create': async (s, { after }) => {
    const out = await settleByReading(() => existingUser(s, after), () => s.write(
      'identitystore',
      'CreateUser',
      {
        IdentityStoreId: s.identityStoreId,
        UserName: after.userName,
        DisplayName: after.displayName,
        Name: { GivenName: after.givenName, FamilyName: after.familyName },
        ...(opt(after.email) ? { Emails: [{ Value: after.email, Type: 'work', Primary: true }] } : {}),
        ...(opt(after.title) ? { Title: after.title } : {}),
      },
      isAlreadyExists,
    ));
    // "Already exists": an earlier attempt whose answer was lost created it, or someone did.
    s.ids.remember('user', after.userName, out === undefined ? await existingUser(s, after) : 'id' in out ? String(out.id) : String(out.UserId));
  },
  'user.update': async (s, { before, after, fields }) => {
    const renamed = before.userName !== after.userName;
    // A rename repeated after a crash finds the user under its new name already.
    const id = await requireId(
      s.ids.findUserId(before.userName).then((found) => found ?? (renamed ? s.ids.findUserId(after.userName) : undefined)),
      `user ${before.userName}`,
    );
    const operations = userOperations(before, after, fields);
    if (operations.length > 0) await s.write('identitystore', 'UpdateUser', { IdentityStoreId: s.identityStoreId, UserId: id, Operations: operations });
    if (renamed) {
      s.ids.forget('user', before.userName);
      s.ids.remember('user', after.userName, id);
    }
  },
  'user.delete': async (s, { before }) => {
    const id = await s.ids.findUserId(before.userName);
    if (id !== undefined) await s.write('identitystore', 'DeleteUser', { IdentityStoreId: s.identityStoreId, UserId: id }, isNotFound);
    s.ids.forget('user', before.userName);
  },
  'group.create': async (s, { after }) => {
    const out = await settleByReading(() => existingGroup(s, after), () => s.write(
      'identitystore',
      'CreateGroup',
      {
        IdentityStoreId: s.identityStoreId,
        DisplayName: after.displayName,
        ...(opt(after.description) ? { Description: after.description } : {}),
      },
      isAlreadyExists,
    ));
    s.ids.remember('group', after.displayName, out === undefined ? await existingGroup(s, after) : 'id' in out ? String(out.id) : String(out.GroupId));
  },
  'group.update': async (s, { before, after }) => {
    const renamed = before.displayName !== after.displayName;
    const id = await requireId(
      s.ids.findGroupId(before.displayName).then((found) => found ?? (renamed ? s.ids.findGroupId(after.displayName) : undefined)),
      `group ${before.displayName}`,
    );
    const operations = [];
    // A rename or a case-only change: UpdateGroup renames in place and keeps the id and members.
    if (renamed) operations.push({ AttributePath: 'displayName', AttributeValue: after.displayName });
    if (opt(before.description) !== opt(after.description)) {
      operations.push(opt(after.description) ? { AttributePath: 'description', AttributeValue: after.description } : { AttributePath: 'description' });
    }
    if (operations.length > 0) await s.write('identitystore', 'UpdateGroup', { IdentityStoreId: s.identityStoreId, GroupId: id, Operations: operations });
    if (renamed) {
      s.ids.forget('group', before.displayName);
      s.ids.remember('group', after.displayName, id);
    }
  },
  'group.delete': async (s, { before }) => {
    const id = await s.ids.findGroupId(before.displayName);
    if (id !== undefined) await s.write('identitystore', 'DeleteGroup', { IdentityStoreId: s.identityStoreId, GroupId: id }, isNotFound);
    s.ids.forget('group', before.displayName);
  },
  'membership.add': async (s, { groupName, userName }) => {
    const groupId = await requireId(s.ids.findGroupId(groupName), `group ${groupName}`);
    const userId = await requireId(s.ids.findUserId(userName), `user ${userName}`);
    // A ConflictException here is only fine when the very membership exists (a retried add).
    const isTrueDuplicate = (e: unknown) => e instanceof AwsServiceError && e.errorName === 'ConflictException';
    let duplicate = false;
    await s.write('identitystore', 'CreateGroupMembership', { IdentityStoreId: s.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } }, (e) => {
      duplicate = isTrueDuplicate(e);
      return duplicate;
    });
    if (duplicate) {
      await s.read('identitystore', 'GetGroupMembershipId', { IdentityStoreId: s.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } });
    }
  },
  'membership.remove': async (s, { groupName, userName, membershipId }) => {
    let id = membershipId;
    if (id === undefined) {
      const groupId = await s.ids.findGroupId(groupName);
      const userId = await s.ids.findUserId(userName);
      if (groupId === undefined || userId === undefined) return; // with its group or user gone, so is the membership
      try {
        id = String((await s.caller.call('identitystore', 'GetGroupMembershipId', { IdentityStoreId: s.identityStoreId, GroupId: groupId, MemberId: { UserId: userId } })).MembershipId);
      } catch (e) {
        if (isNotFound(e)) return;
        throw classifyAwsError(e, 'GetGroupMembershipId');
      }
    }
    await s.write('identitystore', 'DeleteGroupMembership', { IdentityStoreId: s.identityStoreId, MembershipId: id }, isNotFound);
  },
  'permissionSet.create': createPermissionSet,
  'permissionSet.update': updatePermissionSet,
  'permissionSet.provision': provisionPermissionSet,
  'permissionSet.delete': deletePermissionSet,
  'assignment.create': async (s, { assignment: a }) => {
    const id = await principalId(s, a.principalType, a.principalName);
    const arn = await requireId(s.ids.findPermissionSetArn(a.permissionSetName), `permission set ${a.permissionSetName}`);
    await s.request(
      'CreateAccountAssignment',
      { InstanceArn: s.instanceArn, TargetId: a.accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: arn, PrincipalType: a.principalType, PrincipalId: id },
      'AccountAssignmentCreationStatus',
      {
        operation: 'DescribeAccountAssignmentCreationStatus',
        idMember: 'AccountAssignmentCreationRequestId',
        describe: `assigning ${a.permissionSetName} in ${a.accountId} to ${a.principalType.toLowerCase()} ${a.principalName}`,
      },
      async () => hasAssignment(s, a.accountId, arn, a.principalType, id),
    );
  },
  'assignment.delete': async (s, { assignment: a, principalId: knownId }) => {
    const id = knownId ?? (await principalId(s, a.principalType, a.principalName));
    const arn = await requireId(s.ids.findPermissionSetArn(a.permissionSetName), `permission set ${a.permissionSetName}`);
    await s.request(
      'DeleteAccountAssignment',
      { InstanceArn: s.instanceArn, TargetId: a.accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: arn, PrincipalType: a.principalType, PrincipalId: id },
      'AccountAssignmentDeletionStatus',
      {
        operation: 'DescribeAccountAssignmentDeletionStatus',
        idMember: 'AccountAssignmentDeletionRequestId',
        describe: `removing ${a.permissionSetName} in ${a.accountId} from ${a.principalType.toLowerCase()} ${a.principalName}`,
      },
      async () => !(await hasAssignment(s, a.accountId, arn, a.principalType, id)),
    );
  },
};

export async function performChange(caller: AwsCaller, ids: IdResolver, change: Change, options: PerformOptions, hooks: PerformHooks = {}): Promise<PerformResult> {
  const session = new PerformSession(caller, ids, options, hooks.beforeRequest);
  const perform = PERFORMERS[change.kind] as Performer<ChangeKind>;
  await perform(session, change as ChangeOf<ChangeKind>);
  return { requestIds: session.requestIds, writes: session.writes };
}
