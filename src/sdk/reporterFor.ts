import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ProgressNotification, Request } from '@modelcontextprotocol/sdk/types.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { ProgressReporter, type ProgressReporterConfig } from '../reporter/ProgressReporter.js';
import { argumentError, hasMethod } from '../internal/options.js';

/**
 * What {@link reporterFor} needs of an SDK request handler's `extra`: its `_meta` (for the progress
 * token), its `signal` and its `sendNotification`.
 *
 * Every `RequestHandlerExtra` the SDK passes fits: a tool callback's of `McpServer.registerTool`, a
 * handler's of `Server.setRequestHandler`, and a client's request handler's (sampling, elicitation),
 * since both sides may send `notifications/progress`.
 */
export type ProgressHandlerExtra = Pick<
  RequestHandlerExtra<Request, ProgressNotification>,
  '_meta' | 'signal' | 'sendNotification'
>;

/**
 * Whether `value` is what {@link ProgressHandlerExtra} needs at run time: a `sendNotification`
 * method and a `signal` that takes listeners. (The common slip it catches: the tool's arguments
 * passed where the handler's `extra` belongs.)
 *
 * @internal
 */
export const isHandlerExtra = (value: unknown): value is ProgressHandlerExtra =>
  hasMethod(value, 'sendNotification') &&
  hasMethod((value as { readonly signal?: unknown }).signal, 'addEventListener');

/** Configuration of {@link reporterFor} (`WithProgressConfig` extends it). Every field is optional. */
export interface ReporterForConfig extends ProgressReporterConfig {
  /**
   * Receives the reporter's diagnostics (`errors$`) from the start: rejected inputs, input after the
   * reporter closed (for example after the client cancelled), a failed send. If not provided,
   * defaults to ignoring them (you can still subscribe to `reporter.errors$`).
   */
  readonly onError?: (problem: ProgressErrorResult) => void;
}

/**
 * A {@link ProgressReporter} for the request an SDK request handler is serving.
 *
 * In plain words: the reporter sends with the request's own progress token and
 * `extra.sendNotification`, sends nothing when the client asked for no progress, and goes quiet
 * for good when the client cancels.
 *
 * ```
 * next:    -a-b-c-d--------e-       (the handler's inputs)
 * signal:  ---------X               X: the client cancelled (extra.signal aborts)
 * sent:    -a-b-c-d-|               nothing after it; e is reported on errors$ (STATE_ERROR)
 * ```
 *
 * - Token: `extra._meta?.progressToken`. None (the request carried no `_meta.progressToken`): the
 *   inert reporter, which validates and closes the same but never sends, so handler code never
 *   branches on it.
 * - Sending: each notification goes to `extra.sendNotification`, whose promise is the reporter's
 *   backpressure (one send in flight at a time). The SDK routes it with the request
 *   (`relatedRequestId`), as Streamable HTTP needs.
 * - Cancellation: when `extra.signal` aborts (the client sent `notifications/cancelled`, or the
 *   connection closed), the reporter is closed with `error(signal.reason)`: the pending input is
 *   dropped and nothing more is sent (`complete()` would send it). `done` resolves (after a send in
 *   flight, if any, settles): the reporter did its job, and the SDK will not send the handler's
 *   response anyway. Input after that is reported on `errors$` as `STATE_ERROR`. A signal that is
 *   already aborted gives a reporter that is closed from the start.
 * - The rest is {@link ProgressReporter}'s: validation, the token bucket (`burst`, then
 *   `maxUpdatesPerSecond`), the final input sent at once, `done`.
 *
 * Before the handler returns, do `reporter.complete(); await reporter.done;` so that no progress
 * follows the response, then wait 10 ms for clients built on the SDK's own `Client` (docs/sdk.md,
 * the `withProgress` reference); {@link withProgress} does both for you.
 *
 * ## Examples
 * ```ts
 * import { reporterFor } from 'rx-mcp-progress/sdk';
 *
 * server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
 *   const reporter = reporterFor(extra, { maxUpdatesPerSecond: 5 });
 *   for (let i = 1; i <= 10; i++) {
 *     await step(i);
 *     reporter.next({ progress: i, total: 10 });
 *   }
 *   reporter.complete();
 *   await reporter.done.catch(() => undefined); // progress is best effort
 *   return { content: [{ type: 'text', text: 'done' }] };
 * });
 * ```
 *
 * @see {@link withProgress} to wrap a tool callback, completing the reporter for you.
 * @see {@link ProgressReporter} for the reporter itself.
 * @param extra The handler's `extra` (see {@link ProgressHandlerExtra}).
 * @param config See {@link ReporterForConfig}. If not provided, defaults to `{}` (10 per second,
 * bursts of 10, `monotonicScheduler`, diagnostics ignored).
 * @return A reporter bound to the request, open unless `extra.signal` has already aborted.
 * @throws RangeError naming the option when a config value is out of range.
 * @throws TypeError when `extra` is not a request handler's `extra` (no `sendNotification` or
 * `signal`), say the tool's arguments passed by mistake.
 */
export function reporterFor(
  extra: ProgressHandlerExtra,
  config: ReporterForConfig = {},
): ProgressReporter {
  if (!isHandlerExtra(extra)) {
    throw argumentError(
      'reporterFor',
      "the request handler's `extra` (its last argument, with `signal` and `sendNotification`)",
      extra,
    );
  }
  // The reporter reads only its own options; `onError` is ours.
  const reporter = new ProgressReporter(
    extra._meta?.progressToken,
    (notification) => extra.sendNotification(notification),
    config,
  );
  if (config.onError !== undefined) reporter.errors$.subscribe(config.onError);
  const { signal } = extra;
  if (signal.aborted) {
    reporter.error(signal.reason);
    return reporter;
  }
  const onAbort = (): void => {
    reporter.error(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  const forget = (): void => {
    signal.removeEventListener('abort', onAbort);
  };
  reporter.done.then(forget, forget);
  return reporter;
}
