import { GatehouseError, RetryableError, TerminalError } from '../diagnostics/errors.js';
import { AwsServiceError } from './aws-caller.js';

// AWS errors are classified once, here at the store's edge (DESIGN.md "Identity Center
// behaviour"): throttling, server faults and conflicts with an operation still in progress are
// retried with backoff; "already exists", validation, not found and access denied are not.

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  'ConcurrentModificationException',
]);

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);

/** A ConflictException that says the object exists: retrying cannot help. */
export const isAlreadyExists = (e: unknown): boolean =>
  e instanceof AwsServiceError &&
  e.errorName === 'ConflictException' &&
  /already exists|already attached|duplicate|uniqueness/i.test(e.message);

/** A quota on requests in flight (not on objects): it frees up as they finish. */
const isOutstandingRequestsQuota = (e: AwsServiceError): boolean => /outstanding|in progress|too many requests|processing/i.test(e.message);

export const isNotFound = (e: unknown): boolean => e instanceof AwsServiceError && e.errorName === 'ResourceNotFoundException';

/** Turns anything a caller threw into RetryableError or TerminalError, with `context` in front. */
export function classifyAwsError(e: unknown, context: string): GatehouseError {
  if (e instanceof RetryableError || e instanceof TerminalError) return e;
  if (e instanceof AwsServiceError) {
    const message = `${context}: ${e.errorName}: ${e.message}`;
    if (RETRYABLE_NAMES.has(e.errorName) || e.httpStatus >= 500) return new RetryableError(message, e.errorName);
    if (e.errorName === 'ConflictException' && !isAlreadyExists(e)) return new RetryableError(message, e.errorName);
    if (e.errorName === 'ServiceQuotaExceededException' && isOutstandingRequestsQuota(e)) return new RetryableError(message, e.errorName);
    return new TerminalError(message, e.errorName);
  }
  const code = (e as { code?: unknown } | null)?.code;
  const text = e instanceof Error ? e.message : String(e);
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return new RetryableError(`${context}: ${text}`, code);
  return new TerminalError(`${context}: ${text}`, typeof code === 'string' ? code : 'Error');
}
