import * as identityStore from '@aws-sdk/client-identitystore';
import * as organizations from '@aws-sdk/client-organizations';
import * as ssoAdmin from '@aws-sdk/client-sso-admin';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsService } from '../aws-caller.js';

// The three SDK v3 clients, and their commands looked up by operation name (`ListInstances` →
// `ListInstancesCommand`), so callers written against AwsCaller need no per-operation code.

export interface SdkClientOptions {
  readonly region?: string;
  readonly profile?: string;
  /** Any compatible endpoint (the emulator, LocalStack). Unset, the SDK also honours AWS_ENDPOINT_URL. */
  readonly endpointUrl?: string;
  /**
   * Longest wait for a TCP connection, and for a request's answer, in milliseconds. Without
   * them an endpoint that accepts TCP and never answers holds every command forever.
   */
  readonly httpTimeoutMs?: number;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

interface SendOptions {
  readonly abortSignal?: AbortSignal;
}

interface SendingClient {
  send(command: unknown, options?: SendOptions): Promise<Record<string, unknown>>;
  destroy(): void;
}

type CommandClass = new (input: unknown) => unknown;

const MODULES: Readonly<Record<AwsService, Readonly<Record<string, unknown>>>> = {
  'sso-admin': ssoAdmin,
  identitystore: identityStore,
  organizations,
};

export function commandFor(service: AwsService, operation: string): CommandClass | undefined {
  const candidate = MODULES[service][`${operation}Command`];
  return typeof candidate === 'function' ? (candidate as CommandClass) : undefined;
}

export class SdkClients {
  private readonly clients = new Map<AwsService, SendingClient>();
  private sts: STSClient | undefined;

  constructor(private readonly options: SdkClientOptions) {}

  client(service: AwsService): SendingClient {
    let client = this.clients.get(service);
    if (client) return client;
    const config = this.config();
    switch (service) {
      case 'sso-admin':
        client = new ssoAdmin.SSOAdminClient(config) as unknown as SendingClient;
        break;
      case 'identitystore':
        client = new identityStore.IdentitystoreClient(config) as unknown as SendingClient;
        break;
      case 'organizations':
        client = new organizations.OrganizationsClient(config) as unknown as SendingClient;
        break;
      default: {
        const never: never = service;
        throw new Error(`unknown service ${String(never)}`);
      }
    }
    this.clients.set(service, client);
    return client;
  }

  /** The account the credentials belong to (sts:GetCallerIdentity). */
  async callerAccount(options: SendOptions = {}): Promise<string | undefined> {
    this.sts ??= new STSClient(this.config());
    const out = await this.sts.send(new GetCallerIdentityCommand({}), options);
    return out.Account;
  }

  /** The region the clients resolved (flag, config, environment or profile), if any. */
  async region(): Promise<string | undefined> {
    try {
      return await (this.client('sso-admin') as unknown as { config: { region: () => Promise<string> } }).config.region();
    } catch {
      return undefined;
    }
  }

  private config() {
    const timeout = this.options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    return {
      ...(this.options.region ? { region: this.options.region } : {}),
      ...(this.options.profile ? { profile: this.options.profile } : {}),
      ...(this.options.endpointUrl ? { endpoint: this.options.endpointUrl } : {}),
      // Retries happen in SdkCaller, which knows which conflicts are worth retrying and paces
      // them under the shared rate limit; SDK retries on top would multiply attempts.
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({ connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true }),
    };
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.sts?.destroy();
    this.sts = undefined;
  }
}
