import { UserError } from '../diagnostics/errors.js';
import type { Organization } from '../model/entities.js';
import type { LiveStore } from './live-store.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

// `--store URL`: `sqlite:PATH` (relative to the working directory) or `aws`.

export const DEFAULT_STORE_URL = 'sqlite:.gatehouse/live.db';

export interface OpenStoreOptions {
  /** The organisation from the organisation file (embedded store only). */
  readonly organization?: Organization;
  readonly readOnly?: boolean;
  /** `--endpoint-url` for the aws store (e.g. the emulator). */
  readonly endpointUrl?: string;
  readonly region?: string;
  readonly profile?: string;
  /** Connection, answer and per-call timeout for the aws store (`--timeout`). */
  readonly httpTimeoutMs?: number;
  /** The aws store discovers these with ListInstances when absent. */
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<LiveStore> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new UserError(`--store ${url}: give a file after sqlite:, e.g. ${DEFAULT_STORE_URL}`);
    if (file === ':memory:') {
      // Each command would see a new, empty store, and the audit trail and lock (kept in the
      // store's file) would go to a file named ":memory:".
      throw new UserError(`--store ${url}: an in-memory store is gone when the command ends; give a file, e.g. ${DEFAULT_STORE_URL}`);
    }
    return openSqliteStore(file, { organization: options.organization, readOnly: options.readOnly });
  }
  if (url === 'aws' || url.startsWith('aws:')) {
    // `aws:REGION` is a shorthand for --region.
    const region = options.region ?? (url.length > 'aws:'.length ? url.slice('aws:'.length) : undefined);
    // Loaded on demand: the AWS SDK takes longer to import than the rest of the CLI together.
    const { openAwsStore } = await import('./aws/aws-store.js');
    return openAwsStore({
      ...(region !== undefined ? { region } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.httpTimeoutMs !== undefined ? { httpTimeoutMs: options.httpTimeoutMs } : {}),
      ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
      ...(options.instanceArn !== undefined ? { instanceArn: options.instanceArn } : {}),
      ...(options.identityStoreId !== undefined ? { identityStoreId: options.identityStoreId } : {}),
      readOnly: options.readOnly === true,
    });
  }
  throw new UserError(`--store ${url}: unknown store; use sqlite:PATH or aws`);
}
