import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import type { AwsCaller, AwsInput, AwsOutput } from '../../../src/stores/aws-caller.js';
import { readOrganization } from '../../../src/stores/aws/read-organization.js';

// A canned Organizations: one root with an OU whose name holds a `/`, and accounts whose
// `State` and `Status` disagree the way they can while AWS retires `Status`.
function organizations(accounts: readonly Record<string, string>[]): AwsCaller {
  const answers: Record<string, (input: AwsInput) => AwsOutput> = {
    DescribeOrganization: () => ({ Organization: { MasterAccountId: '111111111111' } }),
    ListRoots: () => ({ Roots: [{ Id: 'r-root', Name: 'Root' }] }),
    ListOrganizationalUnitsForParent: (input) =>
      input.ParentId === 'r-root' ? { OrganizationalUnits: [{ Id: 'ou-root-slashed1', Name: 'Prod/EU' }] } : { OrganizationalUnits: [] },
    ListAccountsForParent: (input) => ({ Accounts: input.ParentId === 'ou-root-slashed1' ? accounts : [] }),
    ListTagsForResource: () => ({ Tags: [] }),
  };
  return { call: async (_service, operation, input) => answers[operation]!(input) };
}

describe('readOrganization', () => {
  it('reads Account.State first and Status only when State is absent (the model: Status "will be retired on September 9, 2026")', async () => {
    const org = await readOrganization(
      organizations([
        { Id: '222222222222', Name: 'closed', Status: 'SUSPENDED', State: 'CLOSED' },
        { Id: '333333333333', Name: 'pending', State: 'PENDING_ACTIVATION' },
        { Id: '444444444444', Name: 'old-endpoint', Status: 'SUSPENDED' },
        { Id: '555555555555', Name: 'active', Status: 'ACTIVE', State: 'ACTIVE' },
      ]),
      pLimit(2),
    );
    expect(org.accounts.map((a) => [a.name, a.status])).toEqual([
      ['closed', 'CLOSED'],
      ['pending', 'PENDING_ACTIVATION'],
      ['old-endpoint', 'SUSPENDED'],
      ['active', 'ACTIVE'],
    ]);
  });

  it('escapes a / in an OU name (OrganizationalUnitName allows any character), so the path names one OU', async () => {
    const org = await readOrganization(organizations([{ Id: '222222222222', Name: 'eu', State: 'ACTIVE' }]), pLimit(2));
    expect(org.ous.map((o) => o.path)).toEqual(['/Root/Prod\\/EU']);
    expect(org.accounts[0]!.ouPath).toBe('/Root/Prod\\/EU');
  });
});
