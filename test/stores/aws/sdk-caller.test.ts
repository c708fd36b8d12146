import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError, TerminalError } from '../../../src/diagnostics/errors.js';
import { AwsServiceError } from '../../../src/stores/aws-caller.js';
import { SdkCaller } from '../../../src/stores/aws/sdk-caller.js';
import { serveAwsJson, type AwsJsonServer } from '../../../src/stores/emulator/aws-json-server.js';

// The SDK caller against a scripted AWS JSON endpoint (the emulator's HTTP layer with a
// backend that answers what each test needs): which errors it retries, what it refuses.

const INSTANCE = 'arn:aws:sso:::instance/ssoins-0123456789abcdef';
const PS = 'arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-0123456789abcdef';
const STORE = 'd-1234567890';

let server: AwsJsonServer;
let provisionConflicts = 0;
const fast = { retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 2 } };
const credentials = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

beforeAll(async () => {
  Object.assign(process.env, credentials);
  server = await serveAwsJson({
    backend: {
      call: (_service, operation) => {
        switch (operation) {
          case 'CreateGroup':
            throw new AwsServiceError('ConflictException', 'Duplicate GroupDisplayName: a group named x already exists');
          case 'ProvisionPermissionSet':
            if (provisionConflicts-- > 0) throw new AwsServiceError('ConflictException', 'A provisioning is already in progress for this target');
            return { PermissionSetProvisioningStatus: { Status: 'SUCCEEDED', RequestId: 'r-1', CreatedDate: 1700000000.5 } };
          case 'ListInstances':
            throw new AwsServiceError('ThrottlingException', 'Rate exceeded');
          default:
            throw new AwsServiceError('ValidationException', `unexpected ${operation}`);
        }
      },
    },
  });
});
afterAll(async () => server.close());

describe('SdkCaller', () => {
  it('does not retry an "already exists" conflict', async () => {
    const caller = new SdkCaller({ endpointUrl: server.url, region: 'us-east-1', ...fast });
    const err = await caller.call('identitystore', 'CreateGroup', { IdentityStoreId: STORE, DisplayName: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsServiceError);
    expect((err as AwsServiceError).errorName).toBe('ConflictException');
    expect(caller.callCounts()).toEqual({ 'identitystore:CreateGroup': 1 });
    caller.close();
  });

  it('retries a conflict with an operation in progress, and answers timestamps as epoch seconds', async () => {
    provisionConflicts = 2;
    const caller = new SdkCaller({ endpointUrl: server.url, region: 'us-east-1', ...fast });
    const out = await caller.call('sso-admin', 'ProvisionPermissionSet', { InstanceArn: INSTANCE, PermissionSetArn: PS, TargetType: 'AWS_ACCOUNT', TargetId: '111111111111' });
    expect(out).toEqual({ PermissionSetProvisioningStatus: { Status: 'SUCCEEDED', RequestId: 'r-1', CreatedDate: 1700000000.5 } });
    expect(caller.callCounts()).toEqual({ 'sso-admin:ProvisionPermissionSet': 3 });
    caller.close();
  });

  it('checks the lease before every attempt of a write: a retry after the lease is lost is not sent (issue 8, no fencing on AWS)', async () => {
    provisionConflicts = 2;
    const caller = new SdkCaller({ endpointUrl: server.url, region: 'us-east-1', ...fast });
    const checked: string[] = [];
    const guarded = caller.within({
      beforeWrite: (operation) => {
        checked.push(operation);
        // The first attempt goes out; the lease is gone by the retry (e.g. a freeze in the backoff).
        if (checked.length > 1) throw new LeaseLostError('lost the apply lock');
      },
    });
    const err = await guarded.call('sso-admin', 'ProvisionPermissionSet', { InstanceArn: INSTANCE, PermissionSetArn: PS, TargetType: 'AWS_ACCOUNT', TargetId: '111111111111' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect(checked).toEqual(['ProvisionPermissionSet', 'ProvisionPermissionSet']);
    expect(caller.callCounts()).toEqual({ 'sso-admin:ProvisionPermissionSet': 1 });
    expect(provisionConflicts).toBe(1); // the endpoint saw one request
    // Reads are not checked: a paused holder may still look.
    await guarded.call('sso-admin', 'ListInstances', {}).catch(() => {});
    expect(checked).toHaveLength(2);
    caller.close();
  });

  it('retries throttling up to its attempt limit, then reports it as final (nothing above retries it again)', async () => {
    const caller = new SdkCaller({ endpointUrl: server.url, region: 'us-east-1', ...fast });
    const err = await caller.call('sso-admin', 'ListInstances', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as Error).message).toMatch(/^sso:ListInstances to http:\/\/127\.0\.0\.1:\d+: ThrottlingException: Rate exceeded \(gave up after 6 attempts in [\d.]+ s\)$/);
    expect(caller.callCounts()).toEqual({ 'sso-admin:ListInstances': 6 });
    caller.close();
  });

  it('read-only: refuses writes before sending, names the IAM action, still reads', async () => {
    const caller = new SdkCaller({ endpointUrl: server.url, region: 'us-east-1', readOnly: true, ...fast });
    const err = await caller.call('sso-admin', 'CreateAccountAssignment', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect((err as Error).message).toBe('refusing sso:CreateAccountAssignment: the AWS store was opened read-only');
    expect(caller.callCounts()).toEqual({});
    await expect(caller.call('sso-admin', 'ListInstances', {})).rejects.toThrow(/ThrottlingException: Rate exceeded/);
    caller.close();
  });
});
