import { Observable, type OperatorFunction } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { isProgressMessage } from '../internal/jsonRpc.js';
import { messageLimitOf } from '../internal/options.js';
import {
  explainProgressNotification,
  readProgressNotification,
} from '../wire/decodeProgressNotification.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';

/** Options of {@link progressNotifications}. */
export interface ProgressNotificationsOptions {
  /**
   * Called with each malformed progress notification's diagnostic (`INVALID_TOKEN` or
   * `INVALID_PROGRESS`). If not provided, defaults to dropping them silently.
   */
  readonly onError?: (problem: ProgressErrorResult) => void;
  /**
   * The longest `message` passed on, in UTF-16 code units; a longer one is cut to this length,
   * ending in `…` (the update itself is kept). An integer >= 1, or `Infinity`. If not provided,
   * defaults to `1024`.
   */
  readonly maxMessageLength?: number;
}

/**
 * Picks the progress notifications out of a stream of JSON-RPC messages and decodes them.
 *
 * In plain words: every message whose `method` is `notifications/progress` becomes a
 * {@link ProgressUpdate}; requests, responses and other notifications pass by silently; a malformed
 * progress notification is reported to `onError` and dropped.
 *
 * ```
 * messages: --r--P1--n--Px--P2--|      r: request, n: other notification
 *            progressNotifications(onError)
 * updates:  -----u1---------u2--|      Px (malformed) goes to onError
 * ```
 *
 * Nothing a peer sends can error or complete the result: only the source's own `error` and
 * `complete` pass through. A callback that throws errors the result, as a throwing projection does in
 * any RxJS operator.
 *
 * ## Examples
 * ```ts
 * import { progressNotifications } from 'rx-mcp-progress';
 *
 * messages$
 *   .pipe(progressNotifications((problem) => console.warn(problem.message)))
 *   .subscribe((u) => console.log(u.progressToken, u.progress, u.total));
 * ```
 *
 * @see {@link decodeProgressNotification} for one message.
 * @see {@link trackProgress} for per-token streams.
 * @param onErrorOrOptions Either the `onError` callback, or {@link ProgressNotificationsOptions}
 * (`onError`, `maxMessageLength`). If not provided, defaults to dropping malformed notifications
 * silently and cutting messages at 1024 characters.
 * @return A function that returns an Observable of decoded updates.
 */
export function progressNotifications(
  onErrorOrOptions?: ((problem: ProgressErrorResult) => void) | ProgressNotificationsOptions,
): OperatorFunction<unknown, ProgressUpdate> {
  const options: ProgressNotificationsOptions =
    typeof onErrorOrOptions === 'function'
      ? { onError: onErrorOrOptions }
      : (onErrorOrOptions ?? {});
  const { onError } = options;
  const maxMessageLength = messageLimitOf(options.maxMessageLength);
  return (source) =>
    new Observable<ProgressUpdate>((subscriber) =>
      source.subscribe({
        next: (message) => {
          if (!isProgressMessage(message)) return;
          const update = readProgressNotification(message, maxMessageLength);
          if (update !== undefined) {
            subscriber.next(update);
          } else if (onError !== undefined) {
            try {
              onError(explainProgressNotification(message));
            } catch (err) {
              subscriber.error(err);
            }
          }
        },
        error: (err: unknown) => {
          subscriber.error(err);
        },
        complete: () => {
          subscriber.complete();
        },
      }),
    );
}
