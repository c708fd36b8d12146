import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/stores/emulator/start-emulator.js';
import { ORG } from '../emulator/fixture.js';
import { observingProxy } from '../stores/aws/loopback-proxy.js';
import { gatehouseAsync, tempDir } from '../helpers/cli.js';

// Assignments are found through the provisioning listings (ListAccountsForProvisionedPermissionSet
// / ListPermissionSetsProvisionedToAccount). AWS documents that a successful
// CreateAccountAssignment provisions the permission set to the account (sso-admin model), but
// not when those listings show it: no read-after-write consistency is documented for them.
// A proxy in front of the emulator plays the worst case: the listings never show a pair that
// was assigned through it. The read must still see every assignment (issue 9).

const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
let tmp: { dir: string; cleanup: () => void };

beforeAll(() => {
  tmp = tempDir('gatehouse-aws-lag-');
});
afterAll(() => tmp.cleanup());

/** A proxy whose provisioning listings leave out every pair assigned through it. */
async function laggingListings(upstream: string) {
  const fresh = new Set<string>();
  return observingProxy(upstream, (operation, request, answer) => {
    if (!/^(CreateAccountAssignment|ListAccountsForProvisionedPermissionSet|ListPermissionSetsProvisionedToAccount)$/.test(operation)) return answer;
    const input = JSON.parse(request) as Record<string, string>;
    if (operation === 'CreateAccountAssignment') fresh.add(`${input.TargetId}|${input.PermissionSetArn}`);
    if (operation === 'ListAccountsForProvisionedPermissionSet') {
      const out = JSON.parse(answer) as { AccountIds?: string[] };
      out.AccountIds = (out.AccountIds ?? []).filter((id) => !fresh.has(`${id}|${input.PermissionSetArn}`));
      return JSON.stringify(out);
    }
    if (operation === 'ListPermissionSetsProvisionedToAccount') {
      const out = JSON.parse(answer) as { PermissionSets?: string[] };
      out.PermissionSets = (out.PermissionSets ?? []).filter((arn) => !fresh.has(`${input.AccountId}|${arn}`));
      return JSON.stringify(out);
    }
    return answer;
  });
}

function writeConfig(name: string, users: number, assignments: string): string {
  const dir = path.join(tmp.dir, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'gatehouse.yaml'), 'version: 1\n');
  const names = Array.from({ length: users }, (_, i) => `u${i}@example.com`);
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `users:
${names.map((n) => `  - { userName: ${n}, displayName: ${n}, name: { given: U, family: X }, email: ${n} }`).join('\n')}
groups:
  - { name: admins, members: [${names.join(', ')}] }
permissionSets:
  - { name: Admin, managedPolicies: [AdministratorAccess] }
  - { name: ReadOnly, managedPolicies: [ReadOnlyAccess] }
assignments:
${assignments}`,
  );
  return dir;
}

async function scenario(name: string, config: string) {
  const emulator = await startEmulator({ dbPath: path.join(tmp.dir, `${name}.db`), organization: ORG });
  const proxy = await laggingListings(emulator.url);
  const cwd = path.join(tmp.dir, `${name}-cwd`);
  mkdirSync(cwd);
  const runAt = (url: string) => (args: string[]) => gatehouseAsync([...args, '--config', config, '--store', 'aws', '--endpoint-url', url], { cwd, env }).done;
  return {
    run: runAt(proxy.url),
    runDirect: runAt(emulator.url),
    close: async () => {
      await proxy.close();
      await emulator.close();
    },
  };
}

describe('gatehouse --store aws when the provisioning listings lag behind fresh assignments', () => {
  it('apply\'s verify confirms the pairs it wrote on the pair itself, and passes (was: "still differs", exit 1)', async () => {
    // More principals (3 users, 1 group) than pairs (2): the read lists assignments per pair.
    const config = writeConfig('by-pair', 3, '  - { groups: [admins], permissionSets: [Admin], accounts: [prod, sandbox] }\n');
    const s = await scenario('by-pair', config);
    try {
      const applied = await s.run(['apply', '--auto-approve', '--verify-timeout', '2s']);
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stdout, applied.stdout.slice(-600) + applied.stderr).toMatch(/Apply complete! Changes: 11 added/);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('the per-principal listing does not depend on the provisioning listings: apply and a later plan see a fresh pair (was: dropped, planned again)', async () => {
    // Fewer principals (1 user, 1 group) than listed pairs (4): the read lists per principal.
    const base = '  - { groups: [admins], permissionSets: [Admin], accounts: [management, prod, sandbox] }\n  - { users: [u0@example.com], permissionSets: [ReadOnly], accounts: [prod] }\n';
    const config = writeConfig('by-principal', 1, base);
    const s = await scenario('by-principal', config);
    try {
      // Set up without lag (straight to the emulator), so these four pairs are listed.
      const setup = await s.runDirect(['apply', '--auto-approve']);
      expect(setup.code, setup.stderr).toBe(0);
      // One more grant in a new pair, which the listings will not show.
      writeFileSync(path.join(config, 'config.yaml'), readFileSync(path.join(config, 'config.yaml'), 'utf8').replace('accounts: [prod] }', 'accounts: [prod, sandbox] }'));
      const applied = await s.run(['apply', '--auto-approve', '--verify-timeout', '2s']);
      expect(applied.code, applied.stdout.slice(-600) + applied.stderr).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete! Changes: 1 added/);
      const plan = await s.run(['plan', '--detailed-exitcode']);
      expect(plan.code, plan.stdout).toBe(0);
    } finally {
      await s.close();
    }
  }, 90_000);
});
