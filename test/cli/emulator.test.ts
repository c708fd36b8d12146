import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsJson } from '../emulator/fixture.js';
import { gatehouse, gatehouseAsync, repoRoot, tempDir } from '../helpers/cli.js';

// `gatehouse emulator` as a user runs it: one line with the URL and instance, then it serves
// the AWS JSON protocol until SIGTERM/SIGINT.

const { dir, cleanup } = tempDir('gatehouse-emulator-cli-');
afterAll(cleanup);
const organization = path.join(repoRoot, 'examples', 'acme', 'organization.yaml');

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  while (!text.includes('\n')) {
    const [chunk] = (await once(stream, 'data')) as [Buffer];
    text += chunk.toString();
  }
  return text.split('\n')[0]!;
}

describe('gatehouse emulator', () => {
  it('announces its URL and instance, serves the organisation file, and stops cleanly on SIGTERM', async () => {
    const { child, done } = gatehouseAsync(['emulator', '--port', '0', '--db', path.join(dir, 'emulator.db'), '--organization', organization, '--tps', '100']);
    try {
      const line = await firstLine(child.stdout);
      const match = /^Emulator listening on (http:\/\/127\.0\.0\.1:\d+) \(instance (arn:aws:sso:::instance\/ssoins-[0-9a-f]{16})\)$/.exec(line);
      expect(match, line).not.toBeNull();
      const [, url, instanceArn] = match!;
      const instances = await awsJson(url!, 'sso-admin', 'ListInstances');
      expect(instances.body.Instances).toEqual([expect.objectContaining({ InstanceArn: instanceArn })]);
      const accounts = await awsJson(url!, 'organizations', 'ListAccounts');
      expect((accounts.body.Accounts as { Name: string }[]).map((a) => a.Name)).toContain('prod-core');
      const counts = (await (await fetch(`${url}/_emulator/calls`)).json()) as Record<string, number>;
      expect(counts).toEqual({ 'organizations:ListAccounts': 1, 'sso-admin:ListInstances': 1 });
    } finally {
      child.kill('SIGTERM');
    }
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('keeps what was written in its database across restarts', async () => {
    const db = path.join(dir, 'restart.db');
    const start = async () => {
      const run = gatehouseAsync(['emulator', '--db', db, '--organization', organization]);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(run.child.stdout))![1]!;
      return { ...run, url };
    };
    const first = await start();
    const store = ((await awsJson(first.url, 'sso-admin', 'ListInstances')).body.Instances as { IdentityStoreId: string }[])[0]!.IdentityStoreId;
    const created = await awsJson(first.url, 'identitystore', 'CreateGroup', { IdentityStoreId: store, DisplayName: 'persisted' });
    expect(created.status).toBe(200);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(0);
    const second = await start();
    try {
      const groups = await awsJson(second.url, 'identitystore', 'ListGroups', { IdentityStoreId: store });
      expect((groups.body.Groups as { DisplayName: string }[]).map((g) => g.DisplayName)).toEqual(['persisted']);
    } finally {
      second.child.kill('SIGTERM');
      await second.done;
    }
  });

  it('is a target for apply and plan with --store aws --endpoint-url: apply converges, plan then shows no changes', async () => {
    const work = path.join(dir, 'aws-e2e');
    // A fresh working directory: apply creates ./.gatehouse for the aws store's lock and audit trail.
    mkdirSync(work, { recursive: true });
    const { child, done } = gatehouseAsync(['emulator', '--db', path.join(work, 'emulator.db'), '--organization', organization]);
    try {
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(await firstLine(child.stdout))![1]!;
      const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
      const common = ['--config', path.join(repoRoot, 'examples', 'acme'), '--store', 'aws', '--endpoint-url', url];
      const applied = await gatehouseAsync(['apply', ...common, '--auto-approve'], { cwd: work, env }).done;
      expect(applied.stderr).not.toMatch(/error|warning/i);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/Apply complete! Changes: \d+ added, 0 changed, 0 destroyed\./);
      const planned = await gatehouseAsync(['plan', ...common, '--detailed-exitcode'], { cwd: work, env }).done;
      expect(planned.stdout).toContain('No changes.');
      expect(planned.code).toBe(0);
      const counts = (await (await fetch(`${url}/_emulator/calls`)).json()) as Record<string, number>;
      expect(counts['sso-admin:CreateAccountAssignment']).toBeGreaterThan(0);
      expect(counts['sso-admin:DescribeAccountAssignmentCreationStatus']).toBe(counts['sso-admin:CreateAccountAssignment']);
    } finally {
      child.kill('SIGTERM');
      await done;
    }
  });

  it('rejects a bad flag value with exit 1 and a one-line message', () => {
    const result = gatehouse(['emulator', '--db', path.join(dir, 'x.db'), '--fail-rate', '2']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: --fail-rate must be a number between 0 and 1, got "2"\n');
  });

  it('reports an invalid organisation file with file:line:col and exit 1', async () => {
    const { writeFileSync } = await import('node:fs');
    const bad = path.join(dir, 'bad-org.yaml');
    writeFileSync(bad, 'managementAccountId: 111111111111\naccounts: nope\n');
    const result = gatehouse(['emulator', '--db', path.join(dir, 'y.db'), '--organization', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad-org\.yaml:\d+:\d+: error/);
  });
});
