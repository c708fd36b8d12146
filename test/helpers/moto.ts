import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as organizations from '@aws-sdk/client-organizations';
import type { Account, Organization } from '../../src/model/entities.js';
import { compareStrings } from '../../src/model/keys.js';

// moto (a Python implementation of AWS, independent of ours) as a second endpoint for the AWS
// store: found on this machine's python3, started on 127.0.0.1 on a port of its own choosing,
// and set up only through the AWS APIs it implements (Organizations here; the Identity Center
// instance and identity store exist in moto from the first call).

/** What a moto server's credentials say: the account moto then acts as (MOTO_ACCOUNT_ID). */
export const MOTO_MANAGEMENT_ACCOUNT = '111111111111';
export const MOTO_REGION = 'us-east-1';

export type MotoAvailability = { readonly ok: true; readonly python: string; readonly version: string } | { readonly ok: false; readonly reason: string };

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** The Python to run moto with: GATEHOUSE_MOTO_PYTHON when set (a path, or one without moto to test the skip), else python3. */
const PYTHONS = process.env.GATEHOUSE_MOTO_PYTHON ? [process.env.GATEHOUSE_MOTO_PYTHON] : ['python3'];

/** Which python3 has moto, or why none does. */
export function findMoto(): MotoAvailability {
  const tried: string[] = [];
  for (const python of PYTHONS) {
    const r = spawnSync(python, ['-c', 'import moto.server, flask; print(moto.__version__)'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0) return { ok: true, python, version: r.stdout.trim() };
    tried.push(r.error ? `${python}: ${r.error.message}` : `${python}: ${(r.stderr.trim().split('\n').pop() ?? '').trim() || `exit ${r.status}`}`);
  }
  return { ok: false, reason: `no python3 with moto found (${tried.join('; ')})` };
}

export interface Operation {
  readonly service: 'sso-admin' | 'identitystore' | 'organizations';
  readonly operation: string;
}

const RESPONSE_CLASSES: Record<Operation['service'], string> = {
  'sso-admin': 'moto.ssoadmin.responses:SSOAdminResponse',
  identitystore: 'moto.identitystore.responses:IdentityStoreResponse',
  organizations: 'moto.organizations.responses:OrganizationsResponse',
};

/**
 * The operations this moto answers. moto dispatches `X-Amz-Target: …ListUsers` to the method
 * `list_users` of the service's response class and answers 500 "has not been implemented"
 * when there is none, so the methods are the list (asked of moto, not hard-coded, so a newer
 * moto runs more of the contract by itself).
 */
export function motoOperations(python: string): (op: Operation) => boolean {
  const script = `
import importlib, json, sys
out = []
for service, spec in json.loads(sys.argv[1]).items():
    module, name = spec.split(':')
    cls = getattr(importlib.import_module(module), name)
    out += [service + ':' + m for m in dir(cls) if not m.startswith('_') and callable(getattr(cls, m))]
print(json.dumps(out))
`;
  const r = spawnSync(python, ['-c', script, JSON.stringify(RESPONSE_CLASSES)], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`could not list moto's operations: ${r.stderr}`);
  const methods = new Set(JSON.parse(r.stdout) as string[]);
  const snake = (operation: string) => operation.replace(/(?<!^)(?=[A-Z])/g, '_').toLowerCase();
  return (op) => methods.has(`${op.service}:${snake(op.operation)}`);
}

export interface MotoServer {
  readonly url: string;
  readonly python: string;
  /** Forgets everything (POST /moto-api/reset): a new, empty AWS. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `python3 -m moto.server` on 127.0.0.1, port 0 (moto prints the one it got). The
 * server reads its standard input and exits when it closes, so it ends with this process
 * even when that is killed without running any hook.
 */
export async function startMoto(python: string, options: { accountId?: string } = {}): Promise<MotoServer> {
  const script = `
import os, sys, threading
threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
from moto.server import main
main(['-H', '127.0.0.1', '-p', '0'])
`;
  const child = spawn(python, ['-c', script], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ACCOUNT_ID: options.accountId ?? MOTO_MANAGEMENT_ACCOUNT, PYTHONUNBUFFERED: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', kill);
  try {
    const url = await serverUrl(child, 30_000);
    const server: MotoServer = {
      url,
      python,
      reset: async () => {
        const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
        if (!res.ok) throw new Error(`moto reset answered ${res.status}`);
      },
      close: async () => {
        process.removeListener('exit', kill);
        child.stdin?.end();
        kill();
        await exited;
      },
    };
    return server;
  } catch (err) {
    process.removeListener('exit', kill);
    kill();
    throw err;
  }
}

function serverUrl(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => done(new Error(`moto did not start within ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) done(undefined, m[1]);
    };
    const onExit = (code: number | null) => done(new Error(`moto exited (${code}) before serving:\n${log}`));
    const done = (err: Error | undefined, url?: string) => {
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      // Keep draining moto's request log so its pipe never fills.
      child.stderr?.resume();
      if (err) reject(err);
      else resolve(url!);
    };
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** SDK client settings for moto (any credentials; moto does not check signatures). */
export const motoClientConfig = (url: string) => ({
  endpoint: url,
  region: MOTO_REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

/**
 * Creates `template`'s organisation in moto through the Organizations API: the organisation
 * (whose management account is the caller's), its OUs by path, and each member account with
 * its name, email and tags, moved into its OU. moto picks the ids, so the organisation the
 * store should then read is returned: the template with moto's ids, and the management account
 * as moto describes it (CreateOrganization names it itself).
 */
export async function createOrganization(url: string, template: Organization): Promise<Organization> {
  const client = new organizations.OrganizationsClient(motoClientConfig(url));
  try {
    const created = await client.send(new organizations.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const managementAccountId = created.Organization!.MasterAccountId!;
    const rootId = (await client.send(new organizations.ListRootsCommand({}))).Roots![0]!.Id!;
    const ouIds = new Map<string, string>([['/Root', rootId]]);
    const ous = [];
    for (const ou of [...template.ous].sort((a, b) => a.path.split('/').length - b.path.split('/').length || compareStrings(a.path, b.path))) {
      const parent = ou.path.slice(0, ou.path.lastIndexOf('/'));
      const out = await client.send(new organizations.CreateOrganizationalUnitCommand({ ParentId: ouIds.get(parent)!, Name: ou.name }));
      ouIds.set(ou.path, out.OrganizationalUnit!.Id!);
      ous.push({ ...ou, id: out.OrganizationalUnit!.Id! });
    }
    const accounts: Account[] = [];
    for (const account of template.accounts) {
      if (account.id === template.managementAccountId) {
        const described = (await client.send(new organizations.DescribeAccountCommand({ AccountId: managementAccountId }))).Account!;
        accounts.push({ id: managementAccountId, name: described.Name!, ouPath: '/Root', email: described.Email!, status: 'ACTIVE', tags: {} });
        continue;
      }
      const tags = Object.entries(account.tags).map(([Key, Value]) => ({ Key, Value }));
      const status = await client.send(
        new organizations.CreateAccountCommand({ AccountName: account.name, Email: account.email!, ...(tags.length > 0 ? { Tags: tags } : {}) }),
      );
      const id = status.CreateAccountStatus!.AccountId!;
      if (account.ouPath !== '/Root') {
        await client.send(new organizations.MoveAccountCommand({ AccountId: id, SourceParentId: rootId, DestinationParentId: ouIds.get(account.ouPath)! }));
      }
      accounts.push({ ...account, id });
    }
    return { managementAccountId, ous, accounts };
  } finally {
    client.destroy();
  }
}
