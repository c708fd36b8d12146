import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateUserCommand, DescribeUserCommand, IdentitystoreClient, ResourceNotFoundException, ConflictException } from '@aws-sdk/client-identitystore';
import { afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '../../../src/stores/aws-caller.js';
import { IdentityCenterEngine } from '../../../src/stores/identity-center/engine.js';
import { withTempEmulator } from '../../emulator/fixture.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

// Identity Store as the model (reference/identitystore.service.json) describes it.

let fx: EngineFixture | undefined;
afterEach(() => {
  fx?.engine.close();
  fx = undefined;
});

function errorOf(run: () => unknown): AwsServiceError {
  try {
    run();
  } catch (e) {
    if (e instanceof AwsServiceError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('identity store names', () => {
  // ConflictException: "Performing the requested operation would violate an existing uniqueness
  // claim in the identity store"; ConflictExceptionReason UNIQUENESS_CONSTRAINT_VIOLATION.
  it('group display names are unique regardless of case (ConflictException, Reason UNIQUENESS_CONSTRAINT_VIOLATION)', () => {
    const f = (fx = engineFixture());
    const admins = f.createGroup('admins');
    const e = errorOf(() => f.ids('CreateGroup', { DisplayName: 'Admins' }));
    expect(e.errorName).toBe('ConflictException');
    expect(e.reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
    // GetGroupId and the ListGroups filter find the group whatever the case.
    expect(f.ids('GetGroupId', { AlternateIdentifier: { UniqueAttribute: { AttributePath: 'displayName', AttributeValue: 'ADMINS' } } }).GroupId).toBe(admins);
    const other = f.createGroup('others');
    const rename = errorOf(() => f.ids('UpdateGroup', { GroupId: other, Operations: [{ AttributePath: 'displayName', AttributeValue: 'ADMINS' }] }));
    expect(rename.reason).toBe('UNIQUENESS_CONSTRAINT_VIOLATION');
  });

  it('user names are unique regardless of case, with Reason UNIQUENESS_CONSTRAINT_VIOLATION', () => {
    const f = (fx = engineFixture());
    f.createUser('alice@x');
    const e = errorOf(() => f.ids('CreateUser', { UserName: 'Alice@X', DisplayName: 'A' }));
    expect([e.errorName, e.reason]).toEqual(['ConflictException', 'UNIQUENESS_CONSTRAINT_VIOLATION']);
  });

  // UpdateUser / UpdateGroup: "For the specified user/group in the specified identity store,
  // updates the user/group metadata and attributes." The id stays; so do memberships.
  it('UpdateUser (userName) and UpdateGroup (displayName) rename in place, a case-only change included, keeping ids and memberships', () => {
    const f = (fx = engineFixture());
    const user = f.createUser('alice@x');
    const group = f.createGroup('admins');
    f.ids('CreateGroupMembership', { GroupId: group, MemberId: { UserId: user } });
    f.ids('UpdateUser', { UserId: user, Operations: [{ AttributePath: 'userName', AttributeValue: 'Alice@x' }] });
    f.ids('UpdateGroup', { GroupId: group, Operations: [{ AttributePath: 'displayName', AttributeValue: 'Admins' }] });
    expect(f.ids('DescribeUser', { UserId: user }).UserName).toBe('Alice@x');
    expect(f.ids('DescribeGroup', { GroupId: group }).DisplayName).toBe('Admins');
    expect(f.ids('ListGroupMemberships', { GroupId: group }).GroupMemberships).toEqual([expect.objectContaining({ MemberId: { UserId: user } })]);
    f.ids('UpdateUser', { UserId: user, Operations: [{ AttributePath: 'userName', AttributeValue: 'alice@y' }] });
    expect(f.ids('GetUserId', { AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'ALICE@Y' } } }).UserId).toBe(user);
  });
});

describe('identity store errors', () => {
  // ResourceNotFoundException members: ResourceType ("USER, GROUP, and IDENTITY_STORE"), ResourceId.
  it('ResourceNotFoundException carries ResourceType and ResourceId', () => {
    const f = (fx = engineFixture());
    const missing = '0123456789-01234567-0123-4123-8123-0123456789ab';
    const user = errorOf(() => f.ids('DescribeUser', { UserId: missing }));
    expect([user.errorName, user.resourceType, user.resourceId]).toEqual(['ResourceNotFoundException', 'USER', missing]);
    const group = errorOf(() => f.ids('DescribeGroup', { GroupId: missing }));
    expect([group.resourceType, group.resourceId]).toEqual(['GROUP', missing]);
    const store = errorOf(() => f.engine.call('identitystore', 'ListUsers', { IdentityStoreId: 'd-0000000000' }));
    expect([store.resourceType, store.resourceId]).toEqual(['IDENTITY_STORE', 'd-0000000000']);
  });

  // ConflictException: "The requested resource was being concurrently modified by another
  // request" — ConflictExceptionReason CONCURRENT_MODIFICATION.
  it('a write blocked by another writer is ConflictException with Reason CONCURRENT_MODIFICATION', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-ids-'));
    const file = path.join(dir, 'live.db');
    const holder = IdentityCenterEngine.open(file);
    const blocked = IdentityCenterEngine.open(file, { busyTimeoutMs: 20 });
    try {
      holder.db.prepare('BEGIN IMMEDIATE').run();
      const e = errorOf(() => blocked.call('identitystore', 'CreateGroup', { IdentityStoreId: blocked.instance.identityStoreId, DisplayName: 'g' }));
      expect([e.errorName, e.reason]).toEqual(['ConflictException', 'CONCURRENT_MODIFICATION']);
      holder.db.prepare('ROLLBACK').run();
    } finally {
      blocked.close();
      holder.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the emulator sends Reason, ResourceType, ResourceId and RequestId as the SDK reads them', async () => {
    const { emulator, cleanup } = await withTempEmulator();
    try {
      const client = new IdentitystoreClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
      const missing = '0123456789-01234567-0123-4123-8123-0123456789ab';
      const nf = await client.send(new DescribeUserCommand({ IdentityStoreId: emulator.identityStoreId, UserId: missing })).catch((e: unknown) => e);
      expect(nf).toBeInstanceOf(ResourceNotFoundException);
      expect(nf).toMatchObject({ ResourceType: 'USER', ResourceId: missing, RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      await client.send(new CreateUserCommand({ IdentityStoreId: emulator.identityStoreId, UserName: 'bob', DisplayName: 'Bob' }));
      const dup = await client.send(new CreateUserCommand({ IdentityStoreId: emulator.identityStoreId, UserName: 'BOB', DisplayName: 'Bob' })).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(ConflictException);
      expect(dup).toMatchObject({ Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });
    } finally {
      await cleanup();
    }
  });
});

describe('identity store user attributes', () => {
  // CreateUserRequest accepts NickName, ProfileUrl, Emails, Addresses, PhoneNumbers, UserType,
  // Title, PreferredLanguage, Locale, Timezone, Photos, Website, Birthdate, Roles; the
  // DescribeUserResponse answers each of them.
  it('CreateUser keeps every attribute it accepts and DescribeUser returns them; UpdateUser changes and removes them by path', () => {
    const f = (fx = engineFixture());
    const attributes = {
      NickName: 'Al',
      ProfileUrl: 'https://example.com/al',
      Emails: [{ Value: 'al@example.com', Type: 'work', Primary: false }],
      Addresses: [{ StreetAddress: '1 Main St', Locality: 'Springfield', Country: 'US', Primary: true }],
      PhoneNumbers: [{ Value: '+1 555 0100', Type: 'mobile', Primary: true }],
      UserType: 'Employee',
      Title: 'Engineer',
      PreferredLanguage: 'en-GB',
      Locale: 'en_GB',
      Timezone: 'Europe/London',
      Website: 'https://al.example',
      Birthdate: '1990-01-01',
      Roles: [{ Value: 'dev', Type: 'work', Primary: true }],
    };
    const id = String(f.ids('CreateUser', { UserName: 'al', DisplayName: 'Al B', Name: { GivenName: 'Al', FamilyName: 'B', MiddleName: 'C' }, ...attributes }).UserId);
    const described = f.ids('DescribeUser', { UserId: id });
    expect(described).toMatchObject({ ...attributes, Name: { GivenName: 'Al', FamilyName: 'B', MiddleName: 'C' } });
    f.ids('UpdateUser', { UserId: id, Operations: [{ AttributePath: 'locale', AttributeValue: 'fr_FR' }, { AttributePath: 'nickName' }] });
    const updated = f.ids('DescribeUser', { UserId: id });
    expect(updated.Locale).toBe('fr_FR');
    expect(updated).not.toHaveProperty('NickName');
    expect(updated.Timezone).toBe('Europe/London');
  });
});
