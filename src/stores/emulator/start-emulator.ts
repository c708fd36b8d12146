import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Organization } from '../../model/entities.js';
import { IdentityCenterEngine } from '../identity-center/engine.js';
import { serveAwsJson, type AwsJsonServer } from './aws-json-server.js';

// The embedded Identity Center (SQLite) served on loopback over the AWS wire protocol, so the
// AWS store, the AWS CLI and any SDK can run against it without AWS.

export interface EmulatorOptions {
  readonly port?: number;
  readonly dbPath: string;
  /** Loaded into the database before serving (replaces the organisation it held). */
  readonly organization?: Organization;
  readonly tps?: number;
  readonly latencyMs?: number;
  readonly failRate?: number;
  readonly seed?: number;
  /**
   * The account the caller's credentials belong to (sts:GetCallerIdentity); unset, the
   * management account of the organisation. Any other account calls as a delegated
   * administrator, with AWS's restrictions.
   */
  readonly callerAccountId?: string;
}

export interface Emulator extends AwsJsonServer {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  /** Calls from now on come from `accountId` (undefined: the management account). */
  setCallerAccountId(accountId: string | undefined): void;
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  mkdirSync(path.dirname(path.resolve(options.dbPath)), { recursive: true });
  const engine = IdentityCenterEngine.open(options.dbPath, options.callerAccountId !== undefined ? { callerAccountId: options.callerAccountId } : {});
  try {
    if (options.organization) engine.loadOrganization(options.organization);
    const instances = (await engine.call('sso-admin', 'ListInstances', {})).Instances as
      | readonly { InstanceArn: string; IdentityStoreId: string }[]
      | undefined;
    const instance = instances?.[0];
    if (!instance) throw new Error(`the database ${options.dbPath} holds no Identity Center instance`);
    const server = await serveAwsJson({
      backend: engine,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.tps !== undefined ? { tps: options.tps } : {}),
      ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}),
      ...(options.failRate !== undefined ? { failRate: options.failRate } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      callerAccountId: () => engine.callerAccountId(),
      setCallerAccountId: (accountId) => engine.setCallerAccountId(accountId),
      onClose: () => engine.close(),
    });
    return {
      ...server,
      instanceArn: instance.InstanceArn,
      identityStoreId: instance.IdentityStoreId,
      setCallerAccountId: (accountId) => engine.setCallerAccountId(accountId),
    };
  } catch (err) {
    engine.close();
    throw err;
  }
}
