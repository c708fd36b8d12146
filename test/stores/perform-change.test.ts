import { afterEach, describe, expect, it } from 'vitest';
import { OutcomeUnknownError, RetryableError, TerminalError } from '../../src/diagnostics/errors.js';
import type { PermissionSetSpec } from '../../src/model/entities.js';
import { AwsServiceError, type AwsCaller } from '../../src/stores/aws-caller.js';
import { classifyAwsError, isAlreadyExists, kindOfAwsError, transientNetworkCode } from '../../src/stores/classify-aws-error.js';
import { createIdResolver } from '../../src/stores/id-resolver.js';
import { engineCaller } from '../../src/stores/identity-center/engine.js';
import { performChange } from '../../src/stores/perform-change.js';
import { readPermissionSetSpec } from '../../src/stores/read-permission-set.js';
import { engineFixture, type EngineFixture } from './identity-center/engine-fixture.js';
import { CONTRACT_ORGANIZATION } from './store-contract.js';

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

  it('polls an unfinished request until its deadline, then reports its outcome as unknown (issue 13: accepted, status unknown)', async () => {
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
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as OutcomeUnknownError).requestIds).toEqual(['11111111-2222-4333-8444-555555555555']);
    expect((error as Error).message).toMatch(/was accepted but its outcome is unknown/);
    expect(slept).toEqual([1000, 1000, 1000, 1000, 1000]);
    expect(statuses.filter((s) => s === 'DescribePermissionSetProvisioningStatus')).toHaveLength(5);
  });
});

describe('classifyAwsError', () => {
  const classify = (name: string, message: string, status?: number, operation?: string, details: ConstructorParameters<typeof AwsServiceError>[4] = {}) =>
    classifyAwsError(new AwsServiceError(name, message, status, undefined, details), 'X', operation);
  it('retries throttling, server faults, conflicts in progress and outstanding-request quotas', () => {
    expect(classify('ThrottlingException', 'Rate exceeded')).toBeInstanceOf(RetryableError);
    expect(classify('InternalServerException', 'oops', 500)).toBeInstanceOf(RetryableError);
    expect(classify('ConflictException', 'Another operation is in progress for this permission set', 400, 'ProvisionPermissionSet')).toBeInstanceOf(RetryableError);
    expect(classify('ServiceQuotaExceededException', 'Too many outstanding requests', 400, 'CreateAccountAssignment')).toBeInstanceOf(RetryableError);
  });
  it('does not retry "already exists", validation, not found, access denied or object quotas', () => {
    expect(classify('ConflictException', 'PermissionSet with name Admin already exists', 400, 'CreatePermissionSet')).toBeInstanceOf(TerminalError);
    expect(classify('ValidationException', 'bad')).toBeInstanceOf(TerminalError);
    expect(classify('ResourceNotFoundException', 'gone')).toBeInstanceOf(TerminalError);
    expect(classify('AccessDeniedException', 'no', 403)).toBeInstanceOf(TerminalError);
    expect(classify('ServiceQuotaExceededException', 'A permission set can have at most 20 managed and customer managed policies', 400, 'AttachManagedPolicyToPermissionSet')).toBeInstanceOf(TerminalError);
  });
  // identitystore.service.json, ConflictException: "Reason": "Indicates the reason for a
  // conflict error" (UNIQUENESS_CONSTRAINT_VIOLATION | CONCURRENT_MODIFICATION).
  it('reads Identity Store\'s Reason, not the message: uniqueness is final, concurrent modification is retried', () => {
    expect(classify('ConflictException', 'whatever the text says', 400, undefined, { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' })).toBeInstanceOf(TerminalError);
    expect(isAlreadyExists(new AwsServiceError('ConflictException', 'no telling text', 400, undefined, { reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' }))).toBe(true);
    expect(classify('ConflictException', 'Duplicate UserName already exists', 400, 'CreateUser', { reason: 'CONCURRENT_MODIFICATION' })).toBeInstanceOf(RetryableError);
  });
  it('treats the SDK\'s $retryable and $fault as retryable, whatever the name', () => {
    expect(classify('SomeNewException', 'x', 400, undefined, { retryable: { throttling: true } })).toBeInstanceOf(RetryableError);
    expect(classify('SomeNewException', 'x', 400, undefined, { fault: 'server' })).toBeInstanceOf(RetryableError);
    expect(classify('SomeNewException', 'x', 400)).toBeInstanceOf(TerminalError);
  });
  it('counts AWS\'s "already has a typed link attachment to a manged policy" (sic) on an attach as already done, not a retry', () => {
    const e = new AwsServiceError('ConflictException', 'Permission set arn:aws:sso:::permissionSet/ssoins-1/ps-1 already has a typed link attachment to a manged policy arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(kindOfAwsError(e, 'AttachManagedPolicyToPermissionSet')).toBe('already-exists');
    expect(isAlreadyExists(e, 'AttachManagedPolicyToPermissionSet')).toBe(true);
    // The same ConflictException from a provisioning is one still in progress.
    expect(kindOfAwsError(e, 'ProvisionPermissionSet')).toBe('in-progress');
  });
  it('retries network failures and names the operation', () => {
    const e = classifyAwsError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'ListUsers');
    expect(e).toBeInstanceOf(RetryableError);
    expect(e.message).toBe('ListUsers: socket hang up');
  });
  it('knows every transient network failure from one list, for status polls too (issue 13: ECONNREFUSED)', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']) {
      expect(transientNetworkCode(Object.assign(new Error('x'), { code }))).toBe(code);
      expect(classifyAwsError(Object.assign(new Error('x'), { code }), 'DescribeAccountAssignmentCreationStatus')).toBeInstanceOf(RetryableError);
    }
    expect(transientNetworkCode(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }))).toBe('TimeoutError');
    expect(transientNetworkCode(Object.assign(new Error('wrapped'), { cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toBe('ECONNREFUSED');
    expect(transientNetworkCode(Object.assign(new Error('getaddrinfo ENOTFOUND nope'), { code: 'ENOTFOUND' }))).toBeUndefined();
  });
});

describe('deleting a permission set (issue 9)', () => {
  const withPolicies: PermissionSetSpec = {
    name: 'Leaving',
    sessionDuration: 'PT1H',
    managedPolicies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    customerManagedPolicies: [{ name: 'guard', path: '/' }],
    inlinePolicy: '{"Version":"2012-10-17","Statement":[]}',
    tags: {},
  };
  const assignment = (accountId: string) => ({ principalType: 'USER', principalName: 'alice', permissionSetName: 'Leaving', accountId }) as const;
  /** Polls that pause by moving the engine's clock, as time passes between real polls. */
  const polling = (fx: EngineFixture, deadlineMs: number) => {
    const slept: number[] = [];
    return { slept, options: { pollIntervalMs: 500, deadlineMs, sleep: async (ms: number) => void (slept.push(ms), fx.advance(ms)) } };
  };
  const writesOf = (log: readonly string[]) => log.filter((o) => /^(Detach|Delete|Put|Attach|Untag)/.test(o));

  // "Delete permission sets" (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html):
  // remove it from every account first; AWS deprovisions an account some time after its last
  // assignment there, and refuses DeletePermissionSet (ConflictException) until then. Nothing on that
  // page or in DeletePermissionSet's reference asks for its policies to be detached first.
  it('waits until ListAccountsForProvisionedPermissionSet is empty, then deletes it whole, policies attached', async () => {
    fx = engineFixture({ limits: { deprovisionAfterMs: 3000 } });
    const { caller, log } = instrumented(fx);
    const ids = createIdResolver(caller, fx.engine.instance);
    fx.createUser('alice');
    await performChange(caller, ids, { kind: 'permissionSet.create', after: withPolicies }, NO_WAIT);
    await performChange(caller, ids, { kind: 'assignment.create', assignment: assignment('222222222222') }, NO_WAIT);
    await performChange(caller, ids, { kind: 'assignment.delete', assignment: assignment('222222222222') }, NO_WAIT);
    log.length = 0;
    const { slept, options } = polling(fx, 60_000);
    await performChange(caller, ids, { kind: 'permissionSet.delete', before: withPolicies }, options);
    expect(writesOf(log)).toEqual(['DeletePermissionSet']);
    expect(slept.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(log.filter((o) => o === 'ListAccountsForProvisionedPermissionSet')).toHaveLength(7);
    expect(fx.sso('ListPermissionSets').PermissionSets).toEqual([]);
  });

  it('gives up after its deadline, retryably, having changed nothing', async () => {
    fx = engineFixture({ limits: { deprovisionAfterMs: 60_000 } });
    const { caller, log } = instrumented(fx);
    const ids = createIdResolver(caller, fx.engine.instance);
    fx.createUser('alice');
    await performChange(caller, ids, { kind: 'permissionSet.create', after: withPolicies }, NO_WAIT);
    await performChange(caller, ids, { kind: 'assignment.create', assignment: assignment('222222222222') }, NO_WAIT);
    await performChange(caller, ids, { kind: 'assignment.delete', assignment: assignment('222222222222') }, NO_WAIT);
    log.length = 0;
    const error = await performChange(caller, ids, { kind: 'permissionSet.delete', before: withPolicies }, polling(fx, 2000).options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/permission set Leaving is still provisioned to 1 account\(s\) \(222222222222\) after 2000 ms/);
    expect(writesOf(log)).toEqual([]);
    const arn = (fx.sso('ListPermissionSets').PermissionSets as string[])[0]!;
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arn)).toEqual(withPolicies);
  });

  // sso-admin.paginators.json: ListAccountsForProvisionedPermissionSet pages (MaxResults 1..100).
  it('reads every page of provisioned accounts: assignments left on the second page stop it before any write', async () => {
    fx = engineFixture({ limits: { deprovisionAfterMs: 60_000 } });
    const extra = Array.from({ length: 120 }, (_, i) => `5${String(i).padStart(11, '0')}`);
    fx.engine.loadOrganization({ ...CONTRACT_ORGANIZATION, accounts: [...CONTRACT_ORGANIZATION.accounts, ...extra.map((id) => ({ id, name: id, ouPath: '/Root', tags: {} }))] });
    const user = fx.createUser('alice');
    const ids = createIdResolver(engineCaller(fx.engine), fx.engine.instance);
    await performChange(engineCaller(fx.engine), ids, { kind: 'permissionSet.create', after: withPolicies }, NO_WAIT);
    const arn = (fx.sso('ListPermissionSets').PermissionSets as string[])[0]!;
    const wire = (accountId: string) => ({ TargetId: accountId, TargetType: 'AWS_ACCOUNT', PermissionSetArn: arn, PrincipalType: 'USER', PrincipalId: user });
    for (const id of extra) {
      const request = (fx.sso('CreateAccountAssignment', wire(id)).AccountAssignmentCreationStatus as { RequestId: string }).RequestId;
      fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: request });
    }
    // The first 100 lose their assignment (deprovisioning, still listed); the last 20 keep theirs.
    for (const id of extra.slice(0, 100)) fx.sso('DeleteAccountAssignment', wire(id));
    const { caller, log } = instrumented(fx);
    const error = await performChange(caller, createIdResolver(caller, fx.engine.instance), { kind: 'permissionSet.delete', before: withPolicies }, NO_WAIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/still has account assignments \(in account 500000000100\)/);
    expect(log.filter((o) => o === 'ListAccountsForProvisionedPermissionSet')).toHaveLength(2);
    expect(writesOf(log)).toEqual([]);
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arn)).toEqual(withPolicies);
  });
});

describe('attaching a policy AWS says is attached (issue 9)', () => {
  // On AWS the answer is ConflictException "… already has a typed link attachment to a manged
  // policy …" (sic); sso-admin's ConflictException has no Reason, and the model's text for it is
  // "a conflict with a previous successful write". So the performer checks the condition, not the text.
  it('counts the conflict as done when the policy is attached (a hand-made attachment since the plan)', async () => {
    fx = engineFixture();
    const { caller, log } = instrumented(fx);
    const ids = createIdResolver(caller, fx.engine.instance);
    const before: PermissionSetSpec = { ...admin, managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] };
    await performChange(caller, ids, { kind: 'permissionSet.create', after: before }, NO_WAIT);
    const arn = (fx.sso('ListPermissionSets').PermissionSets as string[])[0]!;
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: arn, ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    await performChange(caller, ids, { kind: 'permissionSet.update', before, after: admin, fields: ['managedPolicies'] }, NO_WAIT);
    expect(log.slice(-2)).toEqual(['AttachManagedPolicyToPermissionSet', 'ListManagedPoliciesInPermissionSet']);
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arn)).toEqual(admin);
  });

  it('retries a ConflictException when the policy is not attached: another write was in progress, nothing is done yet', async () => {
    fx = engineFixture();
    const { caller } = instrumented(fx, (operation, n) =>
      operation === 'AttachManagedPolicyToPermissionSet' && n === 1 ? new AwsServiceError('ConflictException', 'Another operation is in progress on this permission set') : undefined,
    );
    const ids = createIdResolver(caller, fx.engine.instance);
    const error = await performChange(caller, ids, { kind: 'permissionSet.create', after: admin }, NO_WAIT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/AttachManagedPolicyToPermissionSet: ConflictException: Another operation is in progress .*the policy is not attached/);
    // Retried (as the applier does), it converges.
    await performChange(caller, ids, { kind: 'permissionSet.create', after: admin }, NO_WAIT);
    const arn = (fx.sso('ListPermissionSets').PermissionSets as string[])[0]!;
    expect(await readPermissionSetSpec(caller, fx.instanceArn, arn)).toEqual(admin);
  });
});
