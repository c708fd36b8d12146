import { backoffDelay, sleep as realSleep, type RetryPolicy } from '../../apply/retry.js';
import { TerminalError } from '../../diagnostics/errors.js';
import { AwsServiceError, type AwsCaller, type AwsInput, type AwsOutput, type AwsService } from '../aws-caller.js';
import { accessDeniedMessage, iamAction } from './iam-action.js';
import { rateLimiter, type RateLimiter } from './rate-limiter.js';
import { commandFor, SdkClients, type SdkClientOptions } from './sdk-clients.js';

// AwsCaller over the SDK v3 clients: the same calls the engine answers in process, sent to AWS
// (or any endpoint speaking its protocol). Every attempt is paced by the shared rate limit,
// counted, and retried when AWS says to try again.

export interface SdkCallerOptions extends SdkClientOptions {
  /** Requests per second shared by SSO Admin and Identity Store (AWS's quota is about 20). */
  readonly maxRps?: number;
  /** Refuse writes before sending them (plan, drift, access, import). */
  readonly readOnly?: boolean;
  readonly retry?: RetryPolicy;
  /** Attempts for retryable ConflictExceptions (an operation still in progress). */
  readonly conflictAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const DEFAULT_MAX_RPS = 20;
export const SDK_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 200, maxDelayMs: 5_000 };

const READ_OPERATION = /^(List|Describe|Get|IsMemberInGroups)/;
export const isReadOperation = (operation: string): boolean => READ_OPERATION.test(operation);

/** "Already exists"-style conflicts are final: retrying would only repeat them. */
const PERMANENT_CONFLICT = /already exists|already attached|duplicate|uniqueness_constraint/i;
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'TimeoutError', 'RequestTimeout']);

type Verdict = 'retry' | 'retry-conflict' | 'final';

export class SdkCaller implements AwsCaller {
  private readonly clients: SdkClients;
  private readonly identityCenterLimit: RateLimiter;
  private readonly organizationsLimit: RateLimiter;
  private readonly counts = new Map<string, number>();
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: SdkCallerOptions = {}) {
    this.clients = new SdkClients(options);
    const rps = options.maxRps ?? DEFAULT_MAX_RPS;
    this.identityCenterLimit = rateLimiter(rps);
    this.organizationsLimit = rateLimiter(rps);
    this.retry = options.retry ?? SDK_RETRY;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  /** Attempts sent per `service:Operation` (the emulator counts with the same keys). */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  async call(service: AwsService, operation: string, input: AwsInput): Promise<AwsOutput> {
    if (this.readOnly && !isReadOperation(operation)) {
      throw new TerminalError(
        `refusing ${iamAction(service, operation)}: the AWS store was opened read-only`,
        'ReadOnlyStore',
      );
    }
    const Command = commandFor(service, operation);
    if (!Command) throw new TerminalError(`the AWS SDK has no ${service} operation ${operation}`, 'UnknownOperation');
    const key = `${service}:${operation}`;
    for (let attempt = 0; ; attempt++) {
      await (service === 'organizations' ? this.organizationsLimit : this.identityCenterLimit).acquire();
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      try {
        const output = await this.clients.client(service).send(new Command(input));
        return fromSdkOutput(output);
      } catch (err) {
        const error = toAwsError(service, operation, err);
        const verdict = classify(error);
        const limit = verdict === 'retry-conflict' ? (this.options.conflictAttempts ?? 5) : this.retry.maxAttempts;
        if (verdict === 'final' || attempt + 1 >= limit) throw error;
        await this.sleep(backoffDelay(this.retry, attempt, this.random));
      }
    }
  }

  close(): void {
    this.clients.destroy();
  }
}

function classify(error: Error): Verdict {
  if (!(error instanceof AwsServiceError)) return 'final';
  const name = error.errorName;
  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'Throttling') return 'retry';
  if (name === 'ConcurrentModificationException') return 'retry-conflict';
  if (name === 'ConflictException') return PERMANENT_CONFLICT.test(error.message) ? 'final' : 'retry-conflict';
  if (TRANSIENT_NETWORK.has(name) || error.httpStatus >= 500) return 'retry';
  return 'final';
}

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly Reason?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/** SDK exceptions become the wire's AwsServiceError; anything else (no region, no credentials) is terminal. */
function toAwsError(service: AwsService, operation: string, err: unknown): Error {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && e.name) {
    const message = e.name === 'AccessDeniedException' || e.name === 'AccessDenied'
      ? accessDeniedMessage(service, operation, e.message ?? '')
      : (e.message ?? e.name);
    return new AwsServiceError(e.name, message, status, e.$metadata?.requestId);
  }
  if (e.code && TRANSIENT_NETWORK.has(e.code)) return new AwsServiceError(e.code, e.message ?? e.code, 503);
  if (e.name && TRANSIENT_NETWORK.has(e.name)) return new AwsServiceError(e.name, e.message ?? e.name, 503);
  return new TerminalError(`${iamAction(service, operation)} could not be sent: ${e.message ?? String(err)}`, e.name ?? 'SdkError');
}

/** The SDK returns Dates and `$metadata`; AwsCaller speaks the wire (epoch seconds). */
function fromSdkOutput(output: Record<string, unknown>): AwsOutput {
  const { $metadata: _ignored, ...rest } = output;
  return toWire(rest) as AwsOutput;
}

function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}
