import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { Observable, Subject, type SchedulerLike } from 'rxjs';
import { ProgressError } from '../../errors/ProgressError.js';
import type { ProgressErrorResult } from '../../errors/ProgressErrorResult.js';
import { ProgressFailure } from '../../errors/ProgressFailure.js';
import { DeadlineQueues, type Deadline } from '../../internal/Deadline.js';
import { MAX_TIMER_MS, optionalDuration, throttleIntervalOf } from '../../internal/options.js';
import { ProgressManager } from '../../manager/ProgressManager.js';
import { previewValue } from '../../wire/previewValue.js';
import { ProgressToken } from '../../wire/ProgressToken.js';
import type { RequestEvent } from '../RequestEvent.js';
import type { RequestWithProgressOptions } from '../RequestWithProgressOptions.js';
import { captureRequestId } from './captureRequestId.js';
import { ProgressRouter, type Route } from './ProgressRouter.js';
import { monotonicScheduler } from '../../internal/monotonicScheduler.js';

/** The default idle timeout: the SDK's `DEFAULT_REQUEST_TIMEOUT_MSEC`. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** {@link RequestWithProgressOptions}, checked, with defaults. @internal */
export interface RequestSettings {
  readonly caller: string;
  readonly progressToken: ProgressToken | undefined;
  readonly maxUpdatesPerSecond: number;
  readonly scheduler: SchedulerLike;
  readonly timeoutMs: number | undefined;
  readonly maxTotalTimeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onError: ((problem: ProgressErrorResult) => void) | undefined;
  readonly sendOptions: RequestWithProgressOptions['sendOptions'];
}

const timerLength = (value: number | undefined, name: string): number | undefined => {
  const ms = optionalDuration(value, name);
  if (ms !== undefined && ms > MAX_TIMER_MS) {
    throw new RangeError(
      `${name} must be at most ${String(MAX_TIMER_MS)} ms, got ${previewValue(ms)}`,
    );
  }
  return ms;
};

/**
 * Checks the options of a request (at call time, so that a mistake throws where it is made).
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const readRequestOptions = (
  caller: string,
  options: RequestWithProgressOptions,
): RequestSettings => {
  const { progressToken, timeoutMs = DEFAULT_TIMEOUT_MS, maxUpdatesPerSecond = 10 } = options;
  if (progressToken !== undefined && !ProgressToken.is(progressToken)) {
    throw new RangeError(
      `${caller}: progressToken must be a string or an integer, got ${previewValue(progressToken)}`,
    );
  }
  throttleIntervalOf(maxUpdatesPerSecond);
  return {
    caller,
    progressToken,
    maxUpdatesPerSecond,
    scheduler: options.scheduler ?? monotonicScheduler,
    timeoutMs: timeoutMs === Infinity ? undefined : timerLength(timeoutMs, 'timeoutMs'),
    maxTotalTimeoutMs: timerLength(options.maxTotalTimeoutMs, 'maxTotalTimeoutMs'),
    signal: options.signal,
    onError: options.onError,
    sendOptions: options.sendOptions,
  };
};

/** Anything with the SDK's `transport` getter (a `Client`, a `Server`). @internal */
export interface TransportHolder {
  readonly transport?: Transport | undefined;
}

/**
 * Sends a request through the SDK with a progress token and turns its progress and its result into
 * {@link RequestEvent}s. The shared body of `requestWithProgress` and `callToolWithProgress`.
 *
 * Per subscription: a {@link ProgressManager} fed only with this request's progress notifications
 * (by the transport's {@link ProgressRouter}) gives the monotonic, throttled `progress` events; the
 * response, seen by the router in arrival order, ends them (the held update first); the SDK's
 * promise gives the `result` event or the error. Our timers do the timeouts; the SDK gets the
 * longest timeout Node keeps, so that its own never fires first.
 *
 * @param holder Where the transport comes from (read at subscription).
 * @param send Sends the request carrying `token` with these SDK options, returning the SDK's promise.
 * @internal
 */
export const progressRequest = <R>(
  holder: TransportHolder,
  send: (token: ProgressToken, sdkOptions: RequestOptions) => Promise<R>,
  settings: RequestSettings,
): Observable<RequestEvent<R>> =>
  new Observable<RequestEvent<R>>((subscriber) => {
    const { scheduler, signal } = settings;
    const controller = new AbortController();
    const sdkOptions: RequestOptions = {
      ...settings.sendOptions,
      signal: controller.signal,
      timeout: MAX_TIMER_MS,
    };
    /** The response has been read: the request is answered, so nothing may cancel it any more. */
    let responded = false;
    /**
     * Cancels the request (the SDK sends notifications/cancelled), unless the response has already
     * been read: a consumer may leave, or abort `signal`, on the progress the response flushes, and a
     * cancellation then would only make the SDK report the response as one for an unknown id.
     */
    const cancel = (reason: unknown): void => {
      if (!responded) controller.abort(reason);
    };
    const onAbort = (): void => {
      cancel(signal?.reason);
    };
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort);

    const feed = new Subject<unknown>();
    const manager = new ProgressManager(feed, {
      maxUpdatesPerSecond: settings.maxUpdatesPerSecond,
      scheduler,
      // Incoming cancellations name the peer's request ids, not ours; our own end is handled here.
      completeOnCancelled: false,
    });
    const token = settings.progressToken ?? manager.createToken();
    let done = false;
    let route: Route | undefined = undefined;
    let idle: Deadline<undefined> | undefined = undefined;

    const deadlines = new DeadlineQueues<undefined>(scheduler, (_owner, deadline) => {
      const isIdle = deadline === idle;
      const ms = deadline.queue.length;
      const error = new McpError(
        ErrorCode.RequestTimeout,
        isIdle
          ? `Request timed out: no progress for ${String(ms)} ms`
          : `Maximum total timeout exceeded: ${String(ms)} ms`,
        { timeout: ms, reason: isIdle ? 'idleTimeout' : 'totalTimeout' },
      );
      // Cancels the request: the SDK sends notifications/cancelled and rejects (ignored: done).
      end(() => {
        controller.abort(error);
        subscriber.error(error);
      });
    });

    /** Ends the request once: held progress first, then `last` (result, error or cancellation). */
    const end = (last: () => void): void => {
      if (done) return;
      done = true;
      route?.end();
      deadlines.clear();
      manager.dispose();
      last();
    };

    const transport = holder.transport;
    if (transport !== undefined) {
      route = ProgressRouter.of(transport).claim(token, {
        progress: (message) => {
          idle?.restart();
          feed.next(message);
        },
        // The response or the close, in arrival order: emit the held update, end the progress (the
        // SDK settles its promise a few microtasks later; no timeout may fire in between).
        response: () => {
          responded = true;
          deadlines.clear();
          manager.dispose();
        },
        closed: () => {
          manager.dispose();
        },
      });
      if (route === undefined) {
        manager.dispose();
        subscriber.error(
          new ProgressFailure(
            ProgressError.STATE_ERROR,
            `${settings.caller}: progress token ${previewValue(token)} is already in use by another request on this transport`,
            { progressToken: token },
          ),
        );
        signal?.removeEventListener('abort', onAbort);
        return undefined;
      }
    }
    // Without a transport the SDK rejects ('Not connected'); a peer that has none runs without progress.

    const diagnostics =
      settings.onError === undefined ? undefined : manager.errors$.subscribe(settings.onError);
    const progress = manager.track(token).subscribe({
      next: (update) => {
        subscriber.next({ type: 'progress', update });
      },
      error: (error: unknown) => {
        end(() => {
          controller.abort(error);
          subscriber.error(error);
        });
      },
    });
    if (settings.timeoutMs !== undefined) idle = deadlines.start(undefined, settings.timeoutMs);
    if (settings.maxTotalTimeoutMs !== undefined) {
      deadlines.start(undefined, settings.maxTotalTimeoutMs);
    }
    const teardown = (): void => {
      signal?.removeEventListener('abort', onAbort);
      progress.unsubscribe();
      // Unsubscribed before the result: cancel.
      end(() => {
        cancel(`${settings.caller}: unsubscribed before the result`);
      });
      diagnostics?.unsubscribe();
    };
    if (subscriber.closed) return teardown;

    try {
      const call = (): Promise<R> => send(token, sdkOptions);
      const sent =
        transport === undefined
          ? { promise: call(), requestId: undefined }
          : captureRequestId(transport, token, call);
      if (sent.requestId !== undefined) route?.bind(sent.requestId);
      sent.promise.then(
        (result) => {
          end(() => {
            subscriber.next({ type: 'result', result });
            subscriber.complete();
          });
        },
        (error: unknown) => {
          end(() => {
            subscriber.error(error);
          });
        },
      );
    } catch (error) {
      end(() => {
        subscriber.error(error);
      });
    }
    return teardown;
  });
