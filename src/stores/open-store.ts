import { UserError } from '../diagnostics/errors.js';
import type { Organization } from '../model/entities.js';
import type { LiveStore } from './live-store.js';
import { readAwsSharedFiles } from './aws/aws-profiles.js';
import { resolveConnection } from './aws/resolve-connection.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

// `--store URL`: `sqlite:PATH` (relative to the working directory), `aws`, or `aws:REGION`
// (the same as `aws` with `--region REGION`).

export const DEFAULT_STORE_URL = 'sqlite:.gatehouse/live.db';

export interface OpenStoreOptions {
  /** The organisation from the organisation file (embedded store only). */
  readonly organization?: Organization;
  readonly readOnly?: boolean;
  /** `--endpoint-url` for the aws store (e.g. the emulator). */
  readonly endpointUrl?: string;
  /** `--region`; `--store aws:REGION` says the same. */
  readonly region?: string;
  /** `instance.region` of the config: after --region, before the AWS environment. */
  readonly configRegion?: string;
  readonly profile?: string;
  /** Connection, answer and per-call timeout for the aws store (`--timeout`). */
  readonly httpTimeoutMs?: number;
  /** The aws store discovers these with ListInstances when absent. */
  readonly instanceArn?: string;
  readonly identityStoreId?: string;
}

export const isAwsStore = (url: string): boolean => url === 'aws' || url.startsWith('aws:');

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
  if (isAwsStore(url)) {
    const region = regionOfStoreUrl(url, options.region);
    const connection = resolveConnection(
      { ...(region !== undefined ? { region } : {}), ...(options.configRegion !== undefined ? { configRegion: options.configRegion } : {}), ...(options.profile !== undefined ? { profile: options.profile } : {}) },
      process.env,
      readAwsSharedFiles(),
    );
    // Loaded on demand: the AWS SDK takes longer to import than the rest of the CLI together.
    const { openAwsStore } = await import('./aws/aws-store.js');
    return openAwsStore({
      region: connection.region,
      regionSource: connection.regionSource,
      ...(connection.profile !== undefined ? { profile: connection.profile } : {}),
      ...(options.httpTimeoutMs !== undefined ? { httpTimeoutMs: options.httpTimeoutMs } : {}),
      ...(options.endpointUrl !== undefined ? { endpointUrl: options.endpointUrl } : {}),
      ...(options.instanceArn !== undefined ? { instanceArn: options.instanceArn } : {}),
      ...(options.identityStoreId !== undefined ? { identityStoreId: options.identityStoreId } : {}),
      readOnly: options.readOnly === true,
    });
  }
  throw new UserError(`--store ${url}: unknown store; use sqlite:PATH or aws`);
}

/**
 * `--store aws:REGION` is `--store aws --region REGION`; the two may not disagree. Every command
 * that takes --store splits it the same way (context.ts), so plans record the store as `aws`.
 */
export function regionOfStoreUrl(url: string, flag: string | undefined): string | undefined {
  if (!url.startsWith('aws:')) return flag;
  const fromUrl = url.slice('aws:'.length);
  if (fromUrl === '') throw new UserError(`--store ${url}: give a region after aws:, e.g. aws:eu-west-1, or use --store aws`);
  if (flag !== undefined && flag !== fromUrl) throw new UserError(`--store ${url} and --region ${flag} name different regions; give one`);
  return fromUrl;
}
