import type { AwsInput } from '../aws-caller.js';
import { invalid } from './wire.js';

// AWS's pagination: MaxResults bounds a page, NextToken is opaque. Ours is base64 of the offset
// into a stably ordered result plus the operation it belongs to, so a token from one listing
// is refused by another (as AWS refuses it).

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

export function pageRequest(input: AwsInput, operation: string, defaultSize: number, maxSize: number): PageRequest {
  const max = input.MaxResults;
  if (max !== undefined && max !== null && (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > maxSize)) {
    invalid(
      typeof max === 'number' && max > maxSize ? 'MAX_VALUE_EXCEEDED' : typeof max === 'number' && max < 1 ? 'MIN_VALUE_EXCEEDED' : undefined,
      `1 validation error detected: Value '${String(max)}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${maxSize}`,
    );
  }
  const limit = typeof max === 'number' ? max : defaultSize;
  const token = input.NextToken;
  if (token === undefined || token === null || token === '') return { offset: 0, limit };
  if (typeof token !== 'string') return invalid('INVALID_PAGINATION_TOKEN', 'NextToken must be a string');
  return { offset: decodeToken(token, operation), limit };
}

function decodeToken(token: string, operation: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { op?: unknown; o?: unknown };
    if (parsed.op === operation && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0) return parsed.o;
  } catch {
    // falls through to the error below
  }
  return invalid('INVALID_PAGINATION_TOKEN', 'The NextToken is invalid or has expired');
}

export const encodeToken = (operation: string, offset: number): string =>
  Buffer.from(JSON.stringify({ op: operation, o: offset }), 'utf8').toString('base64');

/**
 * Runs `fetch(offset, limit + 1)` and returns the page plus a NextToken when more follow.
 * Fetching one extra row tells whether another page exists without a COUNT.
 */
export function paginate<T>(
  request: PageRequest,
  operation: string,
  fetch: (offset: number, limit: number) => readonly T[],
): { items: T[]; nextToken?: string } {
  const rows = fetch(request.offset, request.limit + 1);
  const items = rows.slice(0, request.limit);
  return rows.length > request.limit
    ? { items, nextToken: encodeToken(operation, request.offset + request.limit) }
    : { items };
}

/** Same as paginate over an in-memory list. */
export function paginateList<T>(request: PageRequest, operation: string, all: readonly T[]): { items: T[]; nextToken?: string } {
  return paginate(request, operation, (offset, limit) => all.slice(offset, offset + limit));
}
