import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom, timer } from 'rxjs';
import { monotonicScheduler } from '../internal/monotonicScheduler.js';
import { argumentError, delayOf } from '../internal/options.js';
import { senderSettingsOf } from '../internal/ProgressSender.js';
import type { ProgressReporter } from '../reporter/ProgressReporter.js';
import {
  isHandlerExtra,
  reporterFor,
  type ProgressHandlerExtra,
  type ReporterForConfig,
} from './reporterFor.js';

/** Configuration of {@link withProgress}: the reporter's, and when the response may follow it. */
export interface WithProgressConfig extends ReporterForConfig {
  /**
   * The least time, in milliseconds, between the last progress notification going out and the
   * response: a callback that returns sooner after it waits for the rest. Clients built on the
   * official SDK's `Client` handle a notification a microtask after a response that came in the
   * same read, by which time the request's `onprogress` is gone, so the notification (usually the
   * final one) is lost (docs/sdk.md, "What the SDK does"); the pause lets the client read the
   * notification on its own. It costs nothing when no notification went out within that time (or
   * none at all), and is skipped when the request was cancelled. `0` turns it off. Timed on
   * `scheduler`: with a virtual one (`TestScheduler`, `VirtualTimeScheduler`), the response comes
   * only once the clock has moved past the last send, so advance it, or pass `0`. From 0 to
   * 2147483647. If not provided, defaults to `10`.
   */
  readonly responseDelayMs?: number;
}

/** The `extra` the SDK's `McpServer` passes to a tool callback. */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * The arguments the SDK calls a tool callback with: `(args, extra)` for a tool registered with an
 * `inputSchema`, `(extra)` for one without. `extra` is always last.
 */
export type ToolCallbackArgs =
  readonly [extra: ProgressHandlerExtra] | readonly [args: unknown, extra: ProgressHandlerExtra];

/**
 * Wraps a tool callback that takes a {@link ProgressReporter} after the SDK's own arguments into one
 * that `McpServer.registerTool` accepts, and makes sure no progress follows the tool's response.
 *
 * In plain words: write `async (args, extra, reporter) => result` (or `async (extra, reporter) =>
 * result` for a tool without an `inputSchema`) and feed `reporter.next(...)` as often as you like;
 * when the callback returns, the reporter is completed and its last notification is on its way
 * before the SDK sends the result.
 *
 * ```
 *            burst: 3, 10 a second; one character: 5 ms
 * callback:  --a--b--c--d----R             R: the callback's result
 * sent:      --a--b--c-------d-R           d, held by the rate limit, goes out first; the response
 *                                          follows it by responseDelayMs (10 ms)
 * callback:  --a--b-#                      #: the callback throws
 * sent:      --a--b-#                      pending input dropped; the SDK answers isError: true
 * ```
 *
 * - The reporter is {@link reporterFor}`(extra, config)`: the request's progress token (none: an
 *   inert reporter that sends nothing), `extra.sendNotification`, closed when `extra.signal` aborts.
 * - Return: the reporter is completed (its pending input goes out at once; a reporter the callback
 *   already completed stays as it is), `reporter.done` is awaited, and only then is the result
 *   returned, so the SDK sends the response after the last progress notification, and at least
 *   `responseDelayMs` (10 ms) after it, so that a client built on the SDK's `Client` reads the
 *   notification before the response (it would drop one read together with the response).
 * - Throw: the reporter is closed with `error(err)` (the pending input is dropped), `done` is awaited
 *   all the same (and `responseDelayMs` after the last notification), and `err` is rethrown as it
 *   was; `McpServer` turns it into a tool result with `isError: true`.
 * - A failed send (`done` rejects) does not fail the tool: progress is best effort, and the result
 *   is what the client asked for. The failure is reported as `STATE_ERROR` on `reporter.errors$`
 *   (and to `config.onError`); the result (or the callback's error) is returned as usual.
 * - Nothing more: `withProgress` sends no made-up final `progress === total` notification when the
 *   callback returns early; the client learns that the call is over from the response.
 *
 * The wrapper puts the reporter after whatever the SDK passes, so one function serves both kinds of
 * tool, and its parameter types come from `registerTool`'s own callback type: in the common case
 * nothing needs annotating.
 *
 * ## Examples
 * ```ts
 * import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
 * import { withProgress } from 'rx-mcp-progress/sdk';
 * import * as z from 'zod';
 *
 * server.registerTool(
 *   'index',
 *   { inputSchema: { files: z.number().int() } },
 *   withProgress(async ({ files }, extra, reporter) => {
 *     for (let i = 1; i <= files; i++) {
 *       await indexOne(i);
 *       reporter.next({ progress: i, total: files, message: `file ${i}` });
 *     }
 *     return { content: [{ type: 'text', text: `indexed ${files} files` }] };
 *   }),
 * );
 *
 * server.registerTool('ping', {}, withProgress(async (extra, reporter) => {
 *   reporter.next({ progress: 1, total: 1 });
 *   return { content: [] };
 * }));
 * ```
 *
 * @see {@link reporterFor} for the reporter alone (any request handler).
 * @param handler The tool callback, called with the SDK's arguments and then the reporter.
 * @param config See {@link WithProgressConfig}. If not provided, defaults to `{}` (10 per second,
 * bursts of 10, `monotonicScheduler`, diagnostics ignored, a response 10 ms after the last
 * notification at the soonest).
 * @return A callback for `McpServer.registerTool` (or `McpServer.tool`) that returns the handler's
 * result once its progress is done.
 * @throws RangeError naming the option when a config value is out of range (at once, not when the
 * tool is called).
 * @throws TypeError at once when `handler` is not a function; the returned callback rejects with a
 * TypeError when called without the SDK's `extra`.
 */
export function withProgress<
  Args extends ToolCallbackArgs = [extra: ToolExtra],
  Result extends CallToolResult = CallToolResult,
>(
  handler: (...args: [...Args, ProgressReporter]) => Result | PromiseLike<Result>,
  config: WithProgressConfig = {},
): (...args: Args) => Promise<Result> {
  if (typeof handler !== 'function') {
    throw argumentError('withProgress', 'the tool handler, a function', handler);
  }
  senderSettingsOf(config); // a bad option fails the registration, not every call
  const responseDelayMs = delayOf(config.responseDelayMs ?? 10, 'responseDelayMs');
  const scheduler = config.scheduler ?? monotonicScheduler;
  return async (...args: Args): Promise<Result> => {
    const extra = extraOf(args);
    if (!isHandlerExtra(extra)) {
      throw argumentError(
        'withProgress',
        `the request handler's \`extra\` (with \`signal\` and \`sendNotification\`) as argument ${String(args.length === 1 ? 1 : 2)}, as McpServer passes a tool callback (args, extra) or (extra)`,
        extra,
      );
    }
    let lastSentAt: number | undefined;
    const reporter = reporterFor(
      {
        _meta: extra._meta,
        signal: extra.signal,
        sendNotification: async (notification) => {
          await extra.sendNotification(notification);
          lastSentAt = scheduler.now();
        },
      },
      config,
    );
    try {
      const result = await handler(...args, reporter);
      reporter.complete();
      return result;
    } catch (error: unknown) {
      reporter.error(error);
      throw error;
    } finally {
      // A failed send is on errors$ already; progress never fails the call.
      await reporter.done.catch(ignore);
      const wait =
        lastSentAt === undefined || extra.signal.aborted
          ? 0
          : lastSentAt + responseDelayMs - scheduler.now();
      if (wait > 0) await lastValueFrom(timer(wait, scheduler));
    }
  };
}

const extraOf = (args: ToolCallbackArgs): ProgressHandlerExtra =>
  args.length === 1 ? args[0] : args[1];

const ignore = (): void => undefined;
