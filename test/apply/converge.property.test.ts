import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/apply-plan.js';
import type { DesiredState } from '../../src/model/desired.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { liveFingerprint } from '../../src/plan/fingerprints.js';
import { isEmptyPlan } from '../../src/plan/plan.js';
import { openSqliteStore, type SqliteStore } from '../../src/stores/sqlite/sqlite-store.js';
import { desiredStateArb, propertyNow, propertyOrganization } from '../plan/arbitraries.js';

// The reconcile loop's central promise, on the real embedded store: whatever the live store
// holds — another config's objects, then hand-made edits behind Gatehouse's back — apply
// converges it to the config, a converged store plans to nothing, and is not written again.

const now = propertyNow;
const runs = Number(process.env.GATEHOUSE_PROPERTY_RUNS ?? 300);

type HandEdit = 'delete-a-user' | 'delete-a-group' | 'change-a-policy' | 'add-unmanaged-user' | 'grant-by-hand' | 'remove-a-membership';
const handEditsArb = fc.array(
  fc.constantFrom<HandEdit>('delete-a-user', 'delete-a-group', 'change-a-policy', 'add-unmanaged-user', 'grant-by-hand', 'remove-a-membership'),
  { maxLength: 4 },
);

async function converge(store: SqliteStore, desired: DesiredState): Promise<void> {
  const plan = buildPlan({ desired, live: await store.snapshot(), now });
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await applyPlan({ store, plan, sleep: async () => {}, random: () => 0.5 });
  expect(result.outcomes.filter((o) => o.status !== 'applied').map((o) => `${o.target}: ${o.error}`)).toEqual([]);
}

/** What people do in the console: edits straight through the Identity Center API. */
async function editByHand(store: SqliteStore, edits: readonly HandEdit[]): Promise<void> {
  for (const edit of edits) {
    const live = await store.snapshot();
    const call = (service: 'sso-admin' | 'identitystore', op: string, input: Record<string, unknown>) =>
      store.engine.call(service, op, input);
    const ps = live.permissionSets[0];
    switch (edit) {
      case 'delete-a-user':
        if (live.users[0]) call('identitystore', 'DeleteUser', { IdentityStoreId: live.identityStoreId, UserId: live.users[0].id });
        break;
      case 'delete-a-group':
        if (live.groups[0]) call('identitystore', 'DeleteGroup', { IdentityStoreId: live.identityStoreId, GroupId: live.groups[0].id });
        break;
      case 'change-a-policy':
        if (ps) {
          call('sso-admin', 'PutInlinePolicyToPermissionSet', {
            InstanceArn: live.instanceArn,
            PermissionSetArn: ps.arn,
            InlinePolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
          });
        }
        break;
      case 'add-unmanaged-user':
        if (!live.users.some((u) => u.userName === 'ext-erin')) {
          call('identitystore', 'CreateUser', {
            IdentityStoreId: live.identityStoreId,
            UserName: 'ext-erin',
            DisplayName: 'Erin (SCIM)',
            Name: { GivenName: 'Erin', FamilyName: 'Ext' },
          });
        }
        break;
      case 'grant-by-hand': {
        const user = live.users[live.users.length - 1];
        if (user && ps) {
          call('sso-admin', 'CreateAccountAssignment', {
            InstanceArn: live.instanceArn,
            TargetId: '200000000001',
            TargetType: 'AWS_ACCOUNT',
            PermissionSetArn: ps.arn,
            PrincipalType: 'USER',
            PrincipalId: user.id,
          });
        }
        break;
      }
      case 'remove-a-membership':
        if (live.memberships[0]) {
          call('identitystore', 'DeleteGroupMembership', { IdentityStoreId: live.identityStoreId, MembershipId: live.memberships[0].membershipId });
        }
        break;
      default: {
        const never: never = edit;
        throw new Error(`unknown edit ${String(never)}`);
      }
    }
  }
}

describe('apply converges', () => {
  it(`from any starting live state to any desired state (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(desiredStateArb, handEditsArb, desiredStateArb, async (start, edits, desired) => {
        const store = await openSqliteStore(':memory:', { organization: propertyOrganization });
        try {
          await converge(store, start);
          await editByHand(store, edits);
          await converge(store, desired);
          const converged = await store.snapshot();
          const after = buildPlan({ desired, live: converged, now });
          expect(isEmptyPlan(after), JSON.stringify(after.waves, null, 1)).toBe(true);
          // A second apply writes nothing: no change performed, the live state byte-identical.
          let writes = 0;
          const counting = { ...store, perform: (c: Parameters<SqliteStore['perform']>[0]) => (writes++, store.perform(c)) };
          await applyPlan({ store: counting, plan: after });
          expect(writes).toBe(0);
          expect(liveFingerprint(await store.snapshot())).toBe(liveFingerprint(converged));
        } finally {
          await store.close();
        }
      }),
      { numRuns: runs },
    );
  });
});
