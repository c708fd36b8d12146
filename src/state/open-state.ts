import path from 'node:path';
import { UserError } from '../diagnostics/errors.js';
import type { SharedState } from './shared-state.js';
import { parseDynamoDbStateUrl } from './dynamodb-url.js';
import { openSqliteState } from './sqlite-state.js';

// `--state URL`: where the lock, the audit chain and the applied plans live.
// - `sqlite:PATH` (relative to the working directory);
// - `dynamodb:TABLE` or `dynamodb:TABLE@REGION` (teams, CI): see shared-state.ts for the contract.
// Without --state: `state:` in gatehouse.yaml, else the store's own file for `sqlite:` stores,
// `.gatehouse/audit.db` for aws.

export interface OpenStateOptions {
  readonly readOnly?: boolean;
  /** The region of the instance, for `dynamodb:TABLE` without `@REGION`. */
  readonly region?: string;
  /** The AWS profile of a dynamodb: state (the command's --profile): the same credentials as the store. */
  readonly profile?: string;
  /** A DynamoDB-compatible endpoint (e.g. dynalite); unset, the SDK honours AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpointUrl?: string;
  readonly cwd?: string;
}

/** The state URL used when --state is absent. */
export function defaultStateUrl(storeUrl: string, cwd: string = process.cwd()): string {
  if (storeUrl.startsWith('sqlite:')) {
    const file = storeUrl.slice('sqlite:'.length);
    if (file === ':memory:' || file === '') throw new UserError(`--store ${storeUrl}: give a file, e.g. sqlite:.gatehouse/live.db (an in-memory store is gone when the command ends)`);
    return `sqlite:${path.resolve(cwd, file)}`;
  }
  if (storeUrl === 'aws' || storeUrl.startsWith('aws:')) return `sqlite:${path.resolve(cwd, '.gatehouse', 'audit.db')}`;
  throw new UserError(`unknown store "${storeUrl}": use sqlite:PATH or aws`);
}

export interface StateChoice {
  /** --state, as given (relative to the working directory). */
  readonly flag?: string;
  /** `state:` of gatehouse.yaml (a sqlite: path relative to the config directory). */
  readonly configured?: string;
  readonly configDir?: string;
  readonly storeUrl: string;
  readonly cwd?: string;
}

/** --state, else the config's `state:`, else the store's default: the one state a command uses. */
export function chooseStateUrl(choice: StateChoice): string {
  const cwd = choice.cwd ?? process.cwd();
  if (choice.flag !== undefined) return choice.flag;
  const configured = choice.configured;
  if (configured === undefined) return defaultStateUrl(choice.storeUrl, cwd);
  const file = configured.startsWith('sqlite:') ? configured.slice('sqlite:'.length) : undefined;
  // ':memory:' and '' stay as written, for openState to refuse with its own message.
  if (file === undefined || file === '' || file === ':memory:') return configured;
  return `sqlite:${path.resolve(cwd, choice.configDir ?? '.', file)}`;
}

export async function openState(url: string, options: OpenStateOptions = {}): Promise<SharedState> {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === '') throw new UserError(`--state ${url}: give a file after sqlite:, e.g. sqlite:.gatehouse/state.db`);
    if (file === ':memory:') {
      throw new UserError(`--state ${url}: an in-memory state would forget the lock and the audit trail when the command ends; give a file`);
    }
    return openSqliteState(path.resolve(options.cwd ?? process.cwd(), file), { readOnly: options.readOnly === true });
  }
  if (url.startsWith('dynamodb:')) {
    const { table, region } = parseDynamoDbStateUrl(url);
    const resolved = region ?? options.region;
    // Loaded on use: the DynamoDB client is most of the AWS SDK's start-up cost, which every
    // command paid for a backend few of them use.
    const { openDynamoDbState } = await import('./dynamodb-state.js');
    return openDynamoDbState({
      table,
      ...(resolved ? { region: resolved } : {}),
      ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      readOnly: options.readOnly === true,
    });
  }
  throw new UserError(`--state ${url}: unknown state backend; use sqlite:PATH or dynamodb:TABLE`);
}
