import type { ProgressError } from './ProgressError.js';

/**
 * A diagnostic: what went wrong, a human message naming the field and the value, and optional
 * structured details (for decode failures a `DecodeFailureDetails`: `{ progressToken?, issues: [{
 * path, received, expected }] }`; for other diagnostics `{ progressToken, ... }`; coalesced
 * diagnostics also carry `count`).
 *
 * Diagnostics are values, never exceptions: operators hand them to an `onError` callback or to an
 * `errors$` stream and keep going.
 */
export interface ProgressErrorResult {
  readonly error: ProgressError;
  readonly message: string;
  readonly details?: unknown;
}
