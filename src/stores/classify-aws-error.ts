import { GatehouseError, LeaseLostError, OutcomeUnknownError, RetryableError, TerminalError } from '../diagnostics/errors.js';
import { AwsServiceError } from './aws-caller.js';

// AWS errors are classified once, here at the store's edge (DESIGN.md "Identity Center
// behaviour"), from structured fields only: the error's name, Identity Store's `Reason`, the
// SDK's `$retryable` / `$fault`, the HTTP status, and the operation that answered. Message text
// is for people: AWS rewords it (and misspells it: "typed link attachment to a manged policy").
// Both the SDK caller's retry loop and the performers use this one classification.

export type AwsErrorKind =
  /** Slow down and try again (ThrottlingException and friends). */
  | 'throttled'
  /** A fault on AWS's side or in between (5xx, a dropped connection): try again. */
  | 'transient'
  /** A conflicting operation is still in progress: try again after it settles. */
  | 'in-progress'
  /** The object (or attachment) already exists: the write's goal may already hold. */
  | 'already-exists'
  | 'not-found'
  /** Retrying cannot help: validation, access denied, quota, ... */
  | 'final';

const THROTTLING_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException', 'Throttling', 'ThrottledException', 'RequestLimitExceeded']);

const SERVER_NAMES = new Set([
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceException',
  'RequestTimeout',
  'RequestTimeoutException',
]);

/**
 * Operations whose ConflictException means "the thing you are creating is already there":
 * CreateUser/CreateGroup/CreateGroupMembership (Identity Store's uniqueness constraint, Reason
 * UNIQUENESS_CONSTRAINT_VIOLATION when AWS sends it), CreatePermissionSet ("PermissionSet with
 * name … already exists") and the two policy attachments ("… already has a typed link
 * attachment to a manged policy …"). The caller confirms by reading before it counts it done.
 */
const CONFLICT_MEANS_EXISTS = new Set([
  'CreateUser',
  'CreateGroup',
  'CreateGroupMembership',
  'CreatePermissionSet',
  'AttachManagedPolicyToPermissionSet',
  'AttachCustomerManagedPolicyReferenceToPermissionSet',
]);

/** Asynchronous request APIs whose ServiceQuotaExceededException is the quota on requests in flight. */
const IN_FLIGHT_QUOTA = new Set(['CreateAccountAssignment', 'DeleteAccountAssignment', 'ProvisionPermissionSet']);

export function kindOfAwsError(e: AwsServiceError, operation?: string): AwsErrorKind {
  const name = e.errorName;
  if (e.retryable?.throttling === true || THROTTLING_NAMES.has(name)) return 'throttled';
  if (name === 'ResourceNotFoundException') return 'not-found';
  if (name === 'ConcurrentModificationException') return 'in-progress';
  if (name === 'ConflictException') {
    if (e.reason === 'UNIQUENESS_CONSTRAINT_VIOLATION') return 'already-exists';
    if (e.reason === 'CONCURRENT_MODIFICATION') return 'in-progress';
    // sso-admin's ConflictException carries no reason; the model's text: "a conflict with a
    // previous successful write … A retry (with appropriate backoff logic) is the recommended
    // response", except where the operation creates something that can already exist.
    return operation !== undefined && CONFLICT_MEANS_EXISTS.has(operation) ? 'already-exists' : 'in-progress';
  }
  if (name === 'ServiceQuotaExceededException') return operation !== undefined && IN_FLIGHT_QUOTA.has(operation) ? 'in-progress' : 'final';
  if (e.fault === 'server' || e.httpStatus >= 500 || SERVER_NAMES.has(name) || e.retryable !== undefined) return 'transient';
  return 'final';
}

/**
 * The one list of network failures worth retrying, for every call (reads, writes, status
 * polls): the connection was refused, reset, timed out or broke, or a DNS answer was
 * temporarily unavailable. ENOTFOUND is not here: a name that does not resolve is a typo.
 */
export const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  // The SDK's names for a request or connection timeout (@smithy/node-http-handler).
  'TimeoutError',
  'RequestTimeout',
]);

/** The transient network code of an error (its `code`, `name`, or its cause's), if it has one. */
export function transientNetworkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; typeof cur === 'object' && cur !== null && depth < 4; cur = (cur as { cause?: unknown }).cause, depth++) {
    const { code, name } = cur as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)) return code;
    if (typeof name === 'string' && TRANSIENT_NETWORK_CODES.has(name)) return name;
  }
  return undefined;
}

/** A ConflictException that says the object exists (`operation` says which call answered). */
export const isAlreadyExists = (e: unknown, operation?: string): boolean =>
  e instanceof AwsServiceError && kindOfAwsError(e, operation) === 'already-exists';

export const isNotFound = (e: unknown): boolean => e instanceof AwsServiceError && e.errorName === 'ResourceNotFoundException';

/** Worth another attempt of the same call. */
export const isRetryableAwsKind = (kind: AwsErrorKind): boolean => kind === 'throttled' || kind === 'transient' || kind === 'in-progress';

/**
 * Turns anything a caller threw into RetryableError or TerminalError (or passes on an
 * OutcomeUnknownError, or a LeaseLostError from the check before a write), with `context` in front.
 */
export function classifyAwsError(e: unknown, context: string, operation?: string): GatehouseError {
  if (e instanceof RetryableError || e instanceof TerminalError || e instanceof OutcomeUnknownError || e instanceof LeaseLostError) return e;
  if (e instanceof AwsServiceError) {
    const message = `${context}: ${e.errorName}: ${e.message}`;
    return isRetryableAwsKind(kindOfAwsError(e, operation ?? context)) ? new RetryableError(message, e.errorName) : new TerminalError(message, e.errorName);
  }
  const code = transientNetworkCode(e);
  const text = e instanceof Error ? e.message : String(e);
  if (code !== undefined) return new RetryableError(`${context}: ${text}`, code);
  const own = (e as { code?: unknown } | null)?.code;
  return new TerminalError(`${context}: ${text}`, typeof own === 'string' ? own : 'Error');
}
