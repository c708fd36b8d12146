import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type QueryCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { UserError } from '../diagnostics/errors.js';
import type { Item } from './dynamodb-items.js';

// The five DynamoDB operations the state uses, and nothing else: docs/aws-setup.md's policies
// list exactly these (test/state/aws-setup-policies.test.ts checks). Every failure but a failed
// condition becomes one clear line naming the table, the operation and, for access denied, the
// IAM action to grant.

export interface DynamoDbCallsOptions {
  readonly table: string;
  readonly region?: string;
  /** The AWS profile whose credentials (and region) to use, as --profile gives it for the store. */
  readonly profile?: string;
  /** A DynamoDB-compatible endpoint (dynalite, DynamoDB Local). Unset, the SDK also honours AWS_ENDPOINT_URL_DYNAMODB. */
  readonly endpointUrl?: string;
  readonly httpTimeoutMs?: number;
}

/** A conditional write found its condition false: another writer got there first. */
export class ConditionFailed extends Error {
  constructor() {
    super('condition failed');
    this.name = 'ConditionFailed';
  }
}

export interface DynamoDbCalls {
  readonly table: string;
  /** `dynamodb:TABLE@REGION` once the region is known. */
  url(): string;
  getItem(input: Omit<GetItemCommandInput, 'TableName'>): Promise<Item | undefined>;
  /** Rejects with ConditionFailed when the condition is false. */
  putItem(input: Omit<PutItemCommandInput, 'TableName'>): Promise<void>;
  updateItem(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<void>;
  deleteItem(input: Omit<DeleteItemCommandInput, 'TableName'>): Promise<void>;
  /** Every page. */
  query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]>;
  /** At most one page of at most `Limit` items (tail reads). */
  queryPage(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]>;
  destroy(): void;
}

const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

export function dynamoDbCalls(options: DynamoDbCallsOptions): DynamoDbCalls {
  const timeout = options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  // As for the aws store: Node 20 is supported on purpose, the SDK's notice would print on
  // every command. Users who want it back set the variable to false.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
    // The SDK's standard retries (3 attempts, backoff) cover throttling and dropped
    // connections; a failure after them is final for this run, as the port asks.
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: timeout, requestTimeout: timeout, throwOnRequestTimeout: true }),
  });
  let region = options.region;
  const table = options.table;
  const url = () => `dynamodb:${table}${region ? `@${region}` : ''}`;
  const endpoint = () => options.endpointUrl ?? process.env.AWS_ENDPOINT_URL_DYNAMODB ?? process.env.AWS_ENDPOINT_URL;

  const send = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    if (region === undefined) {
      try {
        region = await client.config.region();
      } catch {
        // Reported below by the call itself, with the rest of the context.
      }
    }
    try {
      return await run();
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') throw new ConditionFailed();
      throw callError(url(), table, operation, endpoint(), err);
    }
  };

  return {
    table,
    url,
    getItem: (input) => send('GetItem', async () => (await client.send(new GetItemCommand({ ...input, TableName: table }))).Item),
    putItem: (input) => send('PutItem', async () => void (await client.send(new PutItemCommand({ ...input, TableName: table })))),
    updateItem: (input) => send('UpdateItem', async () => void (await client.send(new UpdateItemCommand({ ...input, TableName: table })))),
    deleteItem: (input) => send('DeleteItem', async () => void (await client.send(new DeleteItemCommand({ ...input, TableName: table })))),
    query: (input) =>
      send('Query', async () => {
        const items: Item[] = [];
        let start: Item | undefined;
        do {
          const out = await client.send(new QueryCommand({ ...input, TableName: table, ...(start ? { ExclusiveStartKey: start } : {}) }));
          items.push(...(out.Items ?? []));
          start = out.LastEvaluatedKey;
        } while (start);
        return items;
      }),
    queryPage: (input) => send('Query', async () => (await client.send(new QueryCommand({ ...input, TableName: table }))).Items ?? []),
    destroy: () => client.destroy(),
  };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH']);

function callError(url: string, table: string, operation: string, endpoint: string | undefined, err: unknown): UserError {
  const e = err as { name?: string; code?: string; message?: string };
  const name = e.name ?? 'Error';
  const message = (e.message ?? String(err)).split('\n')[0]!;
  const prefix = `shared state ${url}`;
  if (name === 'ResourceNotFoundException') {
    return new UserError(`${prefix}: table ${table} does not exist${endpoint ? ` at ${endpoint}` : ''}; create it as docs/aws-setup.md describes (key pk string, sort key sk number)`);
  }
  if (name === 'AccessDeniedException' || name === 'UnrecognizedClientException' || name === 'AccessDenied') {
    return new UserError(`${prefix}: access denied calling dynamodb:${operation}: the credentials in use need the IAM permission dynamodb:${operation} on table ${table} (AWS said: ${message})`);
  }
  if (/region is missing/i.test(message)) {
    return new UserError(`${prefix}: no AWS region; write dynamodb:${table}@REGION, or set instance.region in gatehouse.yaml, --region or AWS_REGION`);
  }
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new UserError(`${prefix}: no AWS credentials (${message})`);
  }
  const code = e.code ?? (err as { cause?: { code?: string } }).cause?.code;
  if ((code && NETWORK_CODES.has(code)) || name === 'TimeoutError' || name === 'RequestTimeout') {
    return new UserError(`${prefix}: cannot reach DynamoDB${endpoint ? ` at ${endpoint}` : ''} (${code ?? name}: ${message})`);
  }
  return new UserError(`${prefix}: dynamodb:${operation} failed: ${name}: ${message}`);
}
