import { Observable, type OperatorFunction } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { ProgressSender, senderSettingsOf } from '../internal/ProgressSender.js';
import type { ProgressNotification } from '../wire/ProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressInput } from './ProgressInput.js';
import type { ProgressReporterConfig } from './ProgressReporter.js';

/**
 * Options of {@link toProgressNotifications}: the rate options of a reporter, plus where diagnostics
 * go. Every field is optional.
 */
export interface ToProgressNotificationsConfig extends Pick<
  ProgressReporterConfig,
  'maxUpdatesPerSecond' | 'burst' | 'scheduler' | 'maxMessageLength'
> {
  /**
   * Called with each diagnostic, one call per rejected input, as the receiving operators do (a
   * callback is yours to debounce): `INVALID_PROGRESS` for a rejected input, `INVALID_TOKEN` (once)
   * for a malformed token. If it throws, the output errors with what it threw. If not provided,
   * defaults to dropping them silently (and then no diagnostic is even built).
   */
  readonly onError?: (problem: ProgressErrorResult) => void;
}

/**
 * Turns a stream of progress inputs into the `notifications/progress` messages a
 * {@link ProgressReporter} would send: validated, strictly increasing, rate-limited by a token
 * bucket, ending with the final update.
 *
 * In plain words: the sending side as an operator, for code that pipes its progress to a transport
 * as a stream.
 *
 * ```
 * burst: 2, maxUpdatesPerSecond: 250 (a token every 4 ms), one character per ms:
 * input:   -abxdef-F--g|     x: invalid (reported to onError); F: final (progress >= total)
 *           toProgressNotifications('job', { burst: 2, maxUpdatesPerSecond: 250, onError })
 * output:  -ab--e--(F|)      a, b: the burst; d waits for a token and is replaced by e (latest
 *                            wins); f waits and is replaced by F, which goes at once and completes
 * ```
 *
 * It is the same state machine as the reporter's (one implementation for both), with the
 * subscriber as a synchronous `send`:
 * - an input is emitted at once while the bucket (capacity `burst`, starting full, refilling at
 *   `maxUpdatesPerSecond`) has a token; otherwise it is kept as the one pending input (latest wins),
 *   emitted when a token comes back. One timer waits for it; none is left when nothing waits.
 * - an invalid input (non-finite, negative or non-increasing `progress`, bad `total` or `message`)
 *   is dropped and reported to `onError` as `INVALID_PROGRESS`.
 * - a final input (`total` defined, `progress >= total`) is emitted at once, bypassing the bucket,
 *   and the output completes (unsubscribing from the source: later inputs are not seen).
 * - when the source completes, the pending input is emitted at once and the output completes; when
 *   it errors, the pending input is dropped and the output errors; unsubscribing drops it and
 *   cancels the timer.
 * - with no token (`undefined`), nothing is emitted, but validation and the end are the same.
 *
 * ## Examples
 * ```ts
 * import { map, scan } from 'rxjs';
 * import { toProgressNotifications } from 'rx-mcp-progress';
 *
 * bytesRead$
 *   .pipe(
 *     scan((read, chunk) => read + chunk.length, 0),
 *     map((read) => ({ progress: read, total: fileSize })),
 *     toProgressNotifications(progressToken, { maxUpdatesPerSecond: 5, onError: console.warn }),
 *   )
 *   .subscribe((notification) => transport.send(notification));
 * ```
 *
 * @see {@link ProgressReporter} for an imperative sink with backpressure (a `send` that returns a
 * promise) and a `done` promise.
 * @param token The request's `params._meta.progressToken`; `undefined` when it has none.
 * @param config See {@link ToProgressNotificationsConfig}. If not provided, defaults to `{}` (10
 * per second, bursts of 10, `monotonicScheduler`, diagnostics dropped).
 * @throws RangeError naming the option when a config value is out of range (when called, not when
 * subscribed).
 * @return A function that returns an Observable of the notifications to send.
 */
export function toProgressNotifications(
  token: ProgressToken | undefined,
  config: ToProgressNotificationsConfig = {},
): OperatorFunction<ProgressInput, ProgressNotification> {
  const { maxUpdatesPerSecond, burst, scheduler, maxMessageLength, onError } = config;
  const settings = senderSettingsOf({ maxUpdatesPerSecond, burst, scheduler, maxMessageLength });

  return (source) =>
    new Observable<ProgressNotification>((subscriber) => {
      const sender: ProgressSender = new ProgressSender(token, settings, {
        deliver: (notification) => {
          subscriber.next(notification);
        },
        report:
          onError === undefined
            ? undefined
            : (problem) => {
                try {
                  onError(problem);
                } catch (err) {
                  sender.dispose();
                  subscriber.error(err);
                }
              },
        finished: (outcome) => {
          if (outcome.kind === 'completed') subscriber.complete();
          else subscriber.error(outcome.kind === 'errored' ? outcome.error : outcome.failure);
        },
      });
      const subscription = source.subscribe({
        // A synchronous source may go on emitting after the final input completed the output.
        next: (input) => {
          if (!subscriber.closed) sender.next(input);
        },
        error: (err: unknown) => {
          sender.error(err);
        },
        complete: () => {
          sender.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        sender.dispose();
      };
    });
}
