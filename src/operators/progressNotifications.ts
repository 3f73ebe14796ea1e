import { Observable, type OperatorFunction } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { isProgressMessage } from '../internal/jsonRpc.js';
import {
  explainProgressNotification,
  readProgressNotification,
} from '../wire/decodeProgressNotification.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';

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
 * @param onError Called with each malformed progress notification's diagnostic (`INVALID_TOKEN` or
 * `INVALID_PROGRESS`). If not provided, defaults to dropping them silently.
 * @return A function that returns an Observable of decoded updates.
 */
export function progressNotifications(
  onError?: (problem: ProgressErrorResult) => void,
): OperatorFunction<unknown, ProgressUpdate> {
  return (source) =>
    new Observable<ProgressUpdate>((subscriber) =>
      source.subscribe({
        next: (message) => {
          if (!isProgressMessage(message)) return;
          const update = readProgressNotification(message);
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
