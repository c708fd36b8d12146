import { afterEach, describe, expect, it } from 'vitest';
import { RetryableError, TerminalError } from '../../src/diagnostics/errors.js';
import type { PermissionSetSpec } from '../../src/model/entities.js';
import { AwsServiceError, type AwsCaller } from '../../src/stores/aws-caller.js';
import { classifyAwsError } from '../../src/stores/classify-aws-error.js';
import { createIdResolver } from '../../src/stores/id-resolver.js';
import { engineCaller } from '../../src/stores/identity-center/engine.js';
import { performChange } from '../../src/stores/perform-change.js';
import { readPermissionSetSpec } from '../../src/stores/read-permission-set.js';
import { engineFixture, type EngineFixture } from './identity-center/engine-fixture.js';

// performChange through the generic resolver (GetUserId, ListPermissionSets + Describe...), as
// the aws store uses it, over the engine as an AwsCaller.

const NO_WAIT = { pollIntervalMs: 0, deadlineMs: 0, sleep: async () => {} };

const admin: PermissionSetSpec = {
  name: 'Admin',
  description: 'Full access',
  sessionDuration: 'PT2H',
  managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
  customerManagedPolicies: [{ name: 'guard', path: '/' }],
  inlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
  permissionsBoundary: { managedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
  tags: { owner: 'platform' },
};

let fx: EngineFixture;
afterEach(() => fx?.engine.close());

/** The engine as a caller, with a hook to fail chosen calls and a log of every call. */
function instrumented(fx: EngineFixture, failWhen?: (operation: string, n: number) => AwsServiceError | undefined) {
  const inner = engineCaller(fx.engine);
  const log: string[] = [];
  const caller: AwsCaller = {
    call: async (service, operation, input) => {
      log.push(operation);
      const error = failWhen?.(operation, log.filter((o) => o === operation).length);
      if (error) throw error;
      return inner.call(service, operation, input);
    },
  };
  return { caller, log };
}

describe('performChange over the API', () => {
  it('resolves names through AWS lookups when nothing is seeded, and caches what it learns', async () => {
    fx = engineFixture();
    const { caller, log } = instrumented(fx);
    const ids = createIdResolver(caller, fx.engine.instance);
    const userId = fx.createUser('alice');
    fx.createPermissionSet('Other');
    fx.advance(1000); // ListPermissionSets answers in creation order: Other, then ReadOnly
    const psArn = fx.createPermissionSet('ReadOnly');
    await performChange(caller, ids, { kind: 'assignment.create', assignment: { principalType: 'USER', principalName: 'alice', permissionSetName: 'ReadOnly', accountId: '222222222222' } }, NO_WAIT);
    expect(log).toEqual([
      'GetUserId',
      'ListPermissionSets',
      'DescribePermissionSet',
      'DescribePermissionSet',
      'CreateAccountAssignment',
      'DescribeAccountAssignmentCreationStatus',
    ]);
    expect(await ids.findUserId('alice')).toBe(userId);
    expect(await ids.findPermissionSetArn('ReadOnly')).toBe(psArn);
    expect(await ids.findUserId('nobody')).toBeUndefined();
  });

  it('creates a permission set with all its parts, in a known number of writes', async () => {
    fx = engineFixture();
    const { caller } = instrumented(fx);
    const result = await performChange(caller, createIdResolver(caller, fx.engine.instance), { kind: 'permissionSet.create', after: admin }, NO_WAIT);
    // create (with tags) + 2 managed + 1 customer + inline + boundary
    expect(result).toEqual({ requestIds: [], writes: 6 });
    const arn = (fx.sso('ListPermissionSets').PermissionSets as string[])[0]!;
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arn)).toEqual(admin);
  });

  it('finishes a permission set creation retried after a throttled step, instead of failing on "already exists"', async () => {
    fx = engineFixture();
    const { caller } = instrumented(fx, (operation, n) =>
      operation === 'AttachManagedPolicyToPermissionSet' && n === 2 ? new AwsServiceError('ThrottlingException', 'Rate exceeded') : undefined,
    );
    const ids = createIdResolver(caller, fx.engine.instance);
    const change = { kind: 'permissionSet.create', after: admin } as const;
    await expect(performChange(caller, ids, change, NO_WAIT)).rejects.toBeInstanceOf(RetryableError);
    await performChange(caller, ids, change, NO_WAIT);
    const arns = fx.sso('ListPermissionSets').PermissionSets as string[];
    expect(arns).toHaveLength(1);
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arns[0]!)).toEqual(admin);
  });

  it('turns a FAILED request into a TerminalError carrying the reason', async () => {
    fx = engineFixture();
    const { caller } = instrumented(fx);
    fx.createUser('alice');
    fx.createPermissionSet('ReadOnly');
    const error = await performChange(
      caller,
      createIdResolver(caller, fx.engine.instance),
      { kind: 'assignment.create', assignment: { principalType: 'USER', principalName: 'alice', permissionSetName: 'ReadOnly', accountId: '999999999999' } },
      NO_WAIT,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as Error).message).toMatch(/999999999999 is not a member of the organization/);
  });

  it('polls an unfinished request until its deadline, then gives up retryably', async () => {
    const statuses: string[] = [];
    const caller: AwsCaller = {
      call: async (_service, operation) => {
        statuses.push(operation);
        const status = { Status: 'IN_PROGRESS', RequestId: '11111111-2222-4333-8444-555555555555' };
        return operation === 'ProvisionPermissionSet' ? { PermissionSetProvisioningStatus: status } : { PermissionSetProvisioningStatus: status };
      },
    };
    const slept: number[] = [];
    const ids = createIdResolver(caller, { instanceArn: 'arn:aws:sso:::instance/ssoins-0000000000000000', identityStoreId: 'd-0000000000' }, {
      permissionSets: [{ name: 'Admin', arn: 'arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-0000000000000000' }],
    });
    const error = await performChange(caller, ids, { kind: 'permissionSet.provision', permissionSetName: 'Admin', accountId: '222222222222', reason: 'content-changed' }, {
      pollIntervalMs: 1000,
      deadlineMs: 5000,
      sleep: async (ms) => void slept.push(ms),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(slept).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(statuses.filter((s) => s === 'DescribePermissionSetProvisioningStatus')).toHaveLength(5);
  });
});

describe('classifyAwsError', () => {
  const classify = (name: string, message: string, status?: number) => classifyAwsError(new AwsServiceError(name, message, status), 'X');
  it('retries throttling, server faults, conflicts in progress and outstanding-request quotas', () => {
    expect(classify('ThrottlingException', 'Rate exceeded')).toBeInstanceOf(RetryableError);
    expect(classify('InternalServerException', 'oops', 500)).toBeInstanceOf(RetryableError);
    expect(classify('ConflictException', 'Another operation is in progress for this permission set')).toBeInstanceOf(RetryableError);
    expect(classify('ServiceQuotaExceededException', 'Too many outstanding requests')).toBeInstanceOf(RetryableError);
  });
  it('does not retry "already exists", validation, not found, access denied or object quotas', () => {
    expect(classify('ConflictException', 'PermissionSet with name Admin already exists')).toBeInstanceOf(TerminalError);
    expect(classify('ValidationException', 'bad')).toBeInstanceOf(TerminalError);
    expect(classify('ResourceNotFoundException', 'gone')).toBeInstanceOf(TerminalError);
    expect(classify('AccessDeniedException', 'no', 403)).toBeInstanceOf(TerminalError);
    expect(classify('ServiceQuotaExceededException', 'A permission set can have at most 20 managed and customer managed policies')).toBeInstanceOf(TerminalError);
  });
  it('retries network failures and names the operation', () => {
    const e = classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ListUsers');
    expect(e).toBeInstanceOf(RetryableError);
    expect(e.message).toBe('ListUsers: socket hang up');
  });
});
