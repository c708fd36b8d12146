import { GatehouseError } from '../diagnostics/errors.js';

/**
 * The store could not tell whether a write happened (a lost response, a timeout after the
 * request was sent). Such a change is recorded as unknown, never as applied, and resolved by
 * reading. Matched by code so that any store's error of this kind counts.
 */
export function isOutcomeUnknown(err: unknown): boolean {
  return err instanceof GatehouseError && (err.code === 'OutcomeUnknown' || err.name === 'OutcomeUnknownError');
}
