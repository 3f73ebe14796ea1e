import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CallToolResultSchema,
  type CallToolRequest,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { Observable } from 'rxjs';
import { progressRequest, readRequestOptions } from './internal/progressRequest.js';
import type { RequestEvent } from './RequestEvent.js';
import type { RequestWithProgressOptions } from './RequestWithProgressOptions.js';
import { argumentError, hasMethod } from '../internal/options.js';

/** What {@link callToolWithProgress} needs of its client: an SDK `Client`'s `callTool` and `transport`. */
export type ToolCaller = Pick<Client, 'callTool' | 'transport'>;

/**
 * Calls a tool through an SDK `Client` and emits its progress, then its result.
 *
 * In plain words: {@link requestWithProgress} for `tools/call`, through the SDK's own `callTool`, so
 * that a tool with an `outputSchema` has its structured content validated as the SDK does.
 *
 * ```
 * server tool:  --p1-p2-p3------p4(R)            pN: progress, R: response
 *                callToolWithProgress(client, { name: 'build' })
 * result:       --p1-----p3-----p4(r|)           r: { type: 'result', result: CallToolResult }
 * ```
 *
 * A tool that throws does not error the Observable: the SDK's `McpServer` answers with a result whose
 * `isError` is `true`, which comes out as the `result` event. Everything else — cancellation by
 * unsubscribing or by `options.signal`, the timeouts, string tokens, no progress lost before the
 * response, none delivered after it — is as for {@link requestWithProgress}.
 *
 * ## Examples
 * ```ts
 * import { callToolWithProgress } from 'rx-mcp-progress/sdk';
 *
 * callToolWithProgress(client, { name: 'build', arguments: { target: 'docs' } }, { timeoutMs: 30_000 })
 *   .subscribe({
 *     next: (event) =>
 *       event.type === 'progress'
 *         ? console.log(`${event.update.progress}/${event.update.total ?? '?'} ${event.update.message ?? ''}`)
 *         : console.log(event.result.isError === true ? 'tool failed' : 'done'),
 *     error: (err: unknown) => console.error('request failed', err),
 *   });
 * ```
 *
 * @see {@link requestWithProgress} for any request, and the details.
 * @param client An SDK `Client`, connected (its `transport` is read at subscription).
 * @param params The `tools/call` params: `{ name, arguments? }` (`_meta.progressToken` is set).
 * @param options See {@link RequestWithProgressOptions}. If not provided, defaults to `{}`.
 * @return A cold Observable of `progress` events, then one `result` event.
 * @throws RangeError at call time when an option is out of range.
 * @throws TypeError at call time when `client` has no `callTool` method.
 */
export function callToolWithProgress(
  client: ToolCaller,
  params: CallToolRequest['params'],
  options: RequestWithProgressOptions = {},
): Observable<RequestEvent<CallToolResult>> {
  if (!hasMethod(client, 'callTool')) {
    throw argumentError('callToolWithProgress', 'an SDK Client (with `callTool`)', client);
  }
  const settings = readRequestOptions('callToolWithProgress', options);
  return progressRequest(
    client,
    async (progressToken, sdkOptions) => {
      const withToken = { ...params, _meta: { ...params._meta, progressToken } };
      // callTool is typed for the compatibility schema too; with CallToolResultSchema it parsed this.
      const result = await client.callTool(withToken, CallToolResultSchema, sdkOptions);
      if (!isCallToolResult(result)) {
        throw new TypeError(`callToolWithProgress: ${params.name} returned no content array`);
      }
      return result;
    },
    settings,
  );
}

const isCallToolResult = (result: object): result is CallToolResult =>
  Array.isArray((result as { content?: unknown }).content);
