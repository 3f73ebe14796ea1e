import type { ProgressUpdate } from '../wire/ProgressUpdate.js';

/**
 * What {@link requestWithProgress} and {@link callToolWithProgress} emit: `progress` events (strictly
 * increasing, rate-limited), then exactly one `result` event, then completion.
 *
 * ## Examples
 * ```ts
 * import type { RequestEvent } from 'rx-mcp-progress/sdk';
 *
 * const render = (event: RequestEvent<CallToolResult>): void => {
 *   if (event.type === 'progress') console.log(event.update.progress, event.update.total);
 *   else console.log(event.result.content);
 * };
 * ```
 */
export type RequestEvent<R> =
  | { readonly type: 'progress'; readonly update: ProgressUpdate }
  | { readonly type: 'result'; readonly result: R };

/**
 * Whether an event is a `progress` event: a type guard for `filter`.
 *
 * ## Examples
 * ```ts
 * import { filter, map } from 'rxjs';
 * import { callToolWithProgress, isProgressEvent } from 'rx-mcp-progress/sdk';
 *
 * callToolWithProgress(client, { name: 'build' })
 *   .pipe(filter(isProgressEvent), map((event) => event.update.progress))
 *   .subscribe(console.log);
 * ```
 *
 * @param event An event of a request.
 * @return `true` for a `progress` event.
 */
export const isProgressEvent = <R>(
  event: RequestEvent<R>,
): event is Extract<RequestEvent<R>, { type: 'progress' }> => event.type === 'progress';

/**
 * Whether an event is the `result` event: a type guard for `filter`.
 *
 * @param event An event of a request.
 * @return `true` for the `result` event.
 */
export const isResultEvent = <R>(
  event: RequestEvent<R>,
): event is Extract<RequestEvent<R>, { type: 'result' }> => event.type === 'result';
