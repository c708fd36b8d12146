import { backoffDelay, sleep as realSleep, type RetryPolicy } from '../../apply/retry.js';
import { OutcomeUnknownError, TerminalError } from '../../diagnostics/errors.js';
import { AwsServiceError, type AwsCaller, type AwsInput, type AwsOutput, type AwsService } from '../aws-caller.js';
import { isRetryableAwsKind, kindOfAwsError, transientNetworkCode, type AwsErrorKind } from '../classify-aws-error.js';
import { accessDeniedMessage, iamAction } from './iam-action.js';
import { rateLimiter, type RateLimiter } from './rate-limiter.js';
import { commandFor, DEFAULT_HTTP_TIMEOUT_MS, SdkClients, type SdkClientOptions } from './sdk-clients.js';

// AwsCaller over the SDK v3 clients: the same calls the engine answers in process, sent to AWS
// (or any endpoint speaking its protocol). Every attempt is paced by the shared rate limit and
// counted. This is the AWS store's one retry layer (issue 8: a throttled change used to send
// ~80 requests, 10 attempts here times 8 in the applier): throttling, server faults, conflicts
// still in progress and dropped connections are retried here, with full-jitter backoff, within
// a time budget; what is still failing then is final (TerminalError), so nothing above retries
// it again. A write whose answer was lost and could not be had again is OutcomeUnknownError:
// it may have taken effect, and only a read can tell.

export interface SdkCallerOptions extends SdkClientOptions {
  /** Requests per second shared by SSO Admin and Identity Store (AWS's quota is about 20). */
  readonly maxRps?: number;
  /** Refuse writes before sending them (plan, drift, access, import). */
  readonly readOnly?: boolean;
  readonly retry?: RetryPolicy;
  /** Attempts for retryable ConflictExceptions (an operation still in progress). */
  readonly conflictAttempts?: number;
  /**
   * Time one call may take, retries and backoff included (waiting for the client-side rate
   * limit is not counted: that wait is ours, not the endpoint's). Default: the HTTP timeout.
   */
  readonly callBudgetMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

export const DEFAULT_MAX_RPS = 20;
/** Throttling backs off from a longer base than other errors, as the AWS SDKs do (500 ms vs 100 ms). */
export const SDK_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 5_000, throttledBaseDelayMs: 500 };

const READ_OPERATION = /^(List|Describe|Get|IsMemberInGroups)/;
export const isReadOperation = (operation: string): boolean => READ_OPERATION.test(operation);

/** Per call: an instant (the caller's clock) by which the whole change must be done. */
export interface CallBudget {
  readonly deadline?: number;
  /** Before every attempt of a write, right before it is sent (after any backoff or rate-limit wait); a throw stops the call. */
  readonly beforeWrite?: (operation: string) => void | Promise<void>;
}

export class SdkCaller implements AwsCaller {
  private readonly clients: SdkClients;
  private readonly identityCenterLimit: RateLimiter;
  private readonly organizationsLimit: RateLimiter;
  private readonly counts = new Map<string, number>();
  private readonly retry: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;
  readonly httpTimeoutMs: number;
  private readonly callBudgetMs: number;

  constructor(private readonly options: SdkCallerOptions = {}) {
    this.clients = new SdkClients(options);
    const rps = options.maxRps ?? DEFAULT_MAX_RPS;
    this.identityCenterLimit = rateLimiter(rps);
    this.organizationsLimit = rateLimiter(rps);
    this.retry = options.retry ?? SDK_RETRY;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? (() => performance.now());
    this.httpTimeoutMs = options.httpTimeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.callBudgetMs = options.callBudgetMs ?? this.httpTimeoutMs;
  }

  get readOnly(): boolean {
    return this.options.readOnly === true;
  }

  /** Where requests go, for messages: the endpoint given, or AWS itself. */
  get endpoint(): string {
    return this.options.endpointUrl ?? process.env.AWS_ENDPOINT_URL ?? 'AWS';
  }

  get clock(): () => number {
    return this.now;
  }

  /** Attempts sent per `service:Operation` (the emulator counts with the same keys). */
  callCounts(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** The same caller with every call bounded by one change's deadline. */
  within(budget: CallBudget): AwsCaller {
    return { call: (service, operation, input) => this.call(service, operation, input, budget) };
  }

  /** The caller's AWS account (sts:GetCallerIdentity), under the same timeout as every call. */
  async callerAccount(): Promise<string | undefined> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.httpTimeoutMs);
    try {
      return await this.clients.callerAccount({ abortSignal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
  }

  region(): Promise<string | undefined> {
    return this.clients.region();
  }

  async call(service: AwsService, operation: string, input: AwsInput, budget: CallBudget = {}): Promise<AwsOutput> {
    if (this.readOnly && !isReadOperation(operation)) {
      throw new TerminalError(
        `refusing ${iamAction(service, operation)}: the AWS store was opened read-only`,
        'ReadOnlyStore',
      );
    }
    const Command = commandFor(service, operation);
    if (!Command) throw new TerminalError(`the AWS SDK has no ${service} operation ${operation}`, 'UnknownOperation');
    const key = `${service}:${operation}`;
    const write = !isReadOperation(operation);
    const limiter = service === 'organizations' ? this.organizationsLimit : this.identityCenterLimit;
    const started = this.now();
    let limiterWait = 0;
    // A write attempt that may have reached AWS without its answer reaching us.
    let maybeApplied = false;
    let conflicts = 0;
    for (let attempt = 0; ; attempt++) {
      const queued = this.now();
      await limiter.acquire();
      limiterWait += this.now() - queued;
      const deadline = Math.min(started + limiterWait + this.callBudgetMs, budget.deadline ?? Infinity);
      const remaining = deadline - this.now();
      if (remaining <= 0) throw this.giveUp(service, operation, { attempts: attempt, started, maybeApplied, last: undefined });
      // The applier's lease check: after a backoff or a rate-limit wait the lease may be gone.
      // Outside the try below, so a lost lease is never taken for a network error.
      if (write && budget.beforeWrite) await budget.beforeWrite(operation);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(), remaining);
      try {
        const output = await this.clients.client(service).send(new Command(input), { abortSignal: abort.signal });
        limiter.succeeded();
        return fromSdkOutput(output);
      } catch (err) {
        const error = toAwsError(service, operation, err, abort.signal.aborted, this.endpoint);
        const kind = kindOf(error, operation);
        if (kind === 'throttled') limiter.throttled();
        if (!isRetryableKind(kind)) throw error;
        if (kind === 'network' && write) maybeApplied = true;
        if (kind === 'in-progress' && ++conflicts >= (this.options.conflictAttempts ?? 5)) {
          throw this.giveUp(service, operation, { attempts: attempt + 1, started, maybeApplied, last: error });
        }
        const policy = kind === 'throttled' ? { ...this.retry, baseDelayMs: Math.max(this.retry.baseDelayMs, this.retry.throttledBaseDelayMs ?? 0) } : this.retry;
        const delay = backoffDelay(policy, attempt, this.random);
        if (attempt + 1 >= this.retry.maxAttempts || this.now() + delay >= deadline) {
          throw this.giveUp(service, operation, { attempts: attempt + 1, started, maybeApplied, last: error });
        }
        await this.sleep(delay);
      } finally {
        clearTimeout(timer);
      }
    }
  }

  close(): void {
    this.clients.destroy();
  }

  /** The final error once retries are spent: nothing above retries it again. */
  private giveUp(
    service: AwsService,
    operation: string,
    tried: { attempts: number; started: number; maybeApplied: boolean; last: Error | undefined },
  ): Error {
    const action = iamAction(service, operation);
    const seconds = ((this.now() - tried.started) / 1000).toFixed(1);
    const what = tried.last === undefined ? 'out of time' : tried.last instanceof AwsServiceError ? `${tried.last.errorName}: ${tried.last.message}` : tried.last.message;
    const after = `after ${tried.attempts} attempt${tried.attempts === 1 ? '' : 's'} in ${seconds} s`;
    const code = tried.last instanceof AwsServiceError ? tried.last.errorName : 'Timeout';
    if (tried.maybeApplied) {
      return new OutcomeUnknownError(`${action} to ${this.endpoint}: ${what} (${after}); the request may have taken effect: the next plan will show whether it did`, code);
    }
    return new TerminalError(`${action} to ${this.endpoint}: ${what} (gave up ${after})`, code);
  }
}

/** Retryable network trouble gets its own kind: for a write it means the outcome is unknown. */
type CallErrorKind = AwsErrorKind | 'network';

function kindOf(error: Error, operation: string): CallErrorKind {
  if (error instanceof NetworkError) return 'network';
  if (error instanceof AwsServiceError) return kindOfAwsError(error, operation);
  return 'final';
}

const isRetryableKind = (kind: CallErrorKind): boolean => kind === 'network' || isRetryableAwsKind(kind);

/** A request that got no answer: refused, reset, timed out. */
class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly Reason?: string;
  readonly $fault?: 'client' | 'server';
  readonly $retryable?: { readonly throttling?: boolean };
  readonly $metadata?: { readonly httpStatusCode?: number; readonly requestId?: string };
}

/**
 * SDK exceptions become the wire's AwsServiceError (with their structured fields); a request
 * that got no answer becomes NetworkError; anything else (no region, no credentials) is terminal.
 */
function toAwsError(service: AwsService, operation: string, err: unknown, timedOut: boolean, endpoint: string): Error {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && e.name && !transientNetworkCode(err)) {
    const message = e.name === 'AccessDeniedException' || e.name === 'AccessDenied'
      ? accessDeniedMessage(service, operation, e.message ?? '')
      : (e.message ?? e.name);
    return new AwsServiceError(e.name, message, status, e.$metadata?.requestId, {
      ...(typeof e.Reason === 'string' ? { reason: e.Reason } : {}),
      ...(e.$retryable ? { retryable: e.$retryable } : {}),
      ...(e.$fault ? { fault: e.$fault } : {}),
    });
  }
  if (timedOut || e.name === 'AbortError') return new NetworkError('no answer in time', 'Timeout');
  const code = transientNetworkCode(err);
  if (code === 'TimeoutError' || code === 'ETIMEDOUT') return new NetworkError(`no answer in time (${e.message ?? code})`, code);
  if (code !== undefined) return new NetworkError(`${e.message ?? code}${e.message?.includes(code) ? '' : ` (${code})`}`, code);
  return new TerminalError(`${iamAction(service, operation)} could not be sent to ${endpoint}: ${e.message ?? String(err)}`, e.name ?? 'SdkError');
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
