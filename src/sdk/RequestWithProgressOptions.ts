import type { TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { SchedulerLike } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import type { ProgressToken } from '../wire/ProgressToken.js';

/**
 * Options of {@link requestWithProgress} and {@link callToolWithProgress}. Every field is optional.
 */
export interface RequestWithProgressOptions {
  /**
   * The progress token put in the request's `params._meta.progressToken` (replacing any there). It
   * must not be in use by another request of this library on the same transport. An integer token
   * can collide with the SDK's own tokens (it uses its message ids, 0, 1, 2, ...) when plain SDK
   * requests with `onprogress` run at the same time: prefer the default. If not provided, defaults
   * to a fresh string token, unique in the process (such as `"rxmp-1k3j9x-1"`).
   */
  readonly progressToken?: ProgressToken;
  /**
   * The most `progress` events per second (leading and trailing throttle: the newest update is never
   * lost, and the final one is never delayed). `Infinity` turns throttling off. If not provided,
   * defaults to `10`.
   */
  readonly maxUpdatesPerSecond?: number;
  /**
   * The scheduler of the throttle windows and of both timeouts. If not provided, defaults to
   * `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`).
   */
  readonly scheduler?: SchedulerLike;
  /**
   * An idle timeout in milliseconds, from subscription and restarted by every progress notification
   * received for the request; when it runs out, the request is cancelled and the Observable errors
   * with an SDK `McpError` (`ErrorCode.RequestTimeout`, `data.reason: 'idleTimeout'`). `Infinity`
   * turns it off. At most 2147483647 (the longest timer Node keeps). If not provided, defaults to
   * `60000` (the SDK's default request timeout).
   */
  readonly timeoutMs?: number;
  /**
   * A hard cap in milliseconds on the whole request, on its own timer from subscription: progress
   * does not extend it. When it runs out, the request is cancelled and the Observable errors with an
   * `McpError` (`ErrorCode.RequestTimeout`, `data.reason: 'totalTimeout'`). At most 2147483647. If
   * not provided, defaults to no cap.
   */
  readonly maxTotalTimeoutMs?: number;
  /**
   * Aborting it cancels the request like unsubscribing does (the peer receives
   * `notifications/cancelled`), and the Observable errors with the SDK's error for an aborted
   * request; once the response has been read (e.g. aborting on the progress it flushes) it is too
   * late to cancel, and the result still comes. If not provided, defaults to none.
   */
  readonly signal?: AbortSignal;
  /**
   * Receives the diagnostics of this request's progress: malformed or non-increasing notifications
   * (dropped), a peer over the rate (`RATE_LIMIT`, coalesced), progress after the final update. They
   * never error the Observable. If not provided, defaults to ignoring them.
   */
  readonly onError?: (problem: ProgressErrorResult) => void;
  /**
   * Passed to the SDK with the request as they are: `relatedRequestId` (a request sent from a
   * server's request handler, for transports that route by it), `resumptionToken`,
   * `onresumptiontoken`. If not provided, defaults to none.
   */
  readonly sendOptions?: TransportSendOptions;
}
