import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListAccountAssignmentsForPrincipalCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { afterEach, describe, expect, it } from 'vitest';
import { ORG, withTempEmulator } from './fixture.js';

// sts:GetCallerIdentity over the awsQuery protocol (form-encoded POST, XML answer), as the SDK
// speaks it; the account it answers decides whether the caller is the management account or a
// delegated administrator (sso-admin model on ListAccountAssignmentsForPrincipal: "This action
// must be called from the management account containing your organization instance").

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('emulator: sts:GetCallerIdentity', () => {
  it('answers the management account by default, through the SDK', async () => {
    const started = await withTempEmulator();
    cleanup = started.cleanup;
    const sts = new STSClient({ endpoint: started.emulator.url, region: 'us-east-1', credentials });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(ORG.managementAccountId);
    expect(identity.Arn).toBe(`arn:aws:sts::${ORG.managementAccountId}:assumed-role/GatehouseEmulator/gatehouse`);
    expect(identity.UserId).toBeTruthy();
    expect(started.emulator.callCounts()['sts:GetCallerIdentity']).toBe(1);
  });

  it('answers the configured caller account, and the delegated administrator is refused management-only calls', async () => {
    const started = await withTempEmulator({ callerAccountId: '333333333333' });
    cleanup = started.cleanup;
    const { emulator } = started;
    const sts = new STSClient({ endpoint: emulator.url, region: 'us-east-1', credentials });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe('333333333333');
    const sso = new SSOAdminClient({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const denied = await sso
      .send(new ListAccountAssignmentsForPrincipalCommand({ InstanceArn: emulator.instanceArn, PrincipalId: '0123456789-01234567-0123-4123-8123-0123456789ab', PrincipalType: 'USER' }))
      .catch((e: unknown) => e as Error);
    expect((denied as Error).name).toBe('AccessDeniedException');

    // Switching back at run time (POST /_emulator/caller) restores the management account.
    const res = await fetch(`${emulator.url}/_emulator/caller`, { method: 'POST', body: JSON.stringify({ Account: null }) });
    expect(await res.json()).toEqual({ Account: ORG.managementAccountId });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(ORG.managementAccountId);
  });

  it('answers another STS action with an awsQuery error the SDK understands', async () => {
    const started = await withTempEmulator();
    cleanup = started.cleanup;
    const res = await fetch(started.emulator.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=AssumeRole&Version=2011-06-15',
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/<Code>InvalidAction<\/Code>/);
  });
});
