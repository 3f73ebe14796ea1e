import type { ProgressError } from './ProgressError.js';
import type { ProgressErrorResult } from './ProgressErrorResult.js';

/**
 * The `Error` that terminates an Observable (a timeout, a token already in use, a failed send). It is
 * also a {@link ProgressErrorResult}, so code that handles diagnostics handles failures the same way.
 *
 * ## Examples
 * ```ts
 * import { ProgressError, ProgressFailure } from 'rx-mcp-progress';
 *
 * manager.track(token).subscribe({
 *   error: (err: unknown) => {
 *     if (err instanceof ProgressFailure && err.error === ProgressError.STATE_ERROR) retry();
 *   },
 * });
 * ```
 */
export class ProgressFailure extends Error implements ProgressErrorResult {
  override readonly name = 'ProgressFailure';

  /**
   * @param error The kind of failure.
   * @param message A human message.
   * @param details Structured details, such as the cause or the token. If not provided, defaults to
   * `undefined`.
   */
  constructor(
    readonly error: ProgressError,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Turns a diagnostic into a failure, keeping its kind, message and details. */
  static from(result: ProgressErrorResult): ProgressFailure {
    return new ProgressFailure(result.error, result.message, result.details);
  }
}
