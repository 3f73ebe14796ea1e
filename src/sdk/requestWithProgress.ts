import type { AnySchema, SchemaOutput } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Request } from '@modelcontextprotocol/sdk/types.js';
import type { Observable } from 'rxjs';
import type { ProgressToken } from '../wire/ProgressToken.js';
import { progressRequest, readRequestOptions } from './internal/progressRequest.js';
import type { RequestEvent } from './RequestEvent.js';
import type { RequestWithProgressOptions } from './RequestWithProgressOptions.js';
import { argumentError, hasMethod } from '../internal/options.js';

/**
 * What {@link requestWithProgress} needs of its peer: the SDK's `request` and `transport`. An SDK
 * `Client` or `Server` (or `McpServer.server`) is one.
 */
export interface RequestPeer<Req extends Request> {
  request<T extends AnySchema>(
    request: Req,
    resultSchema: T,
    options?: RequestOptions,
  ): Promise<SchemaOutput<T>>;
  readonly transport?: Transport | undefined;
}

/**
 * Sends an MCP request through an SDK `Client` or `Server` and emits its progress, then its result.
 *
 * In plain words: on subscription the request goes out with a progress token in
 * `params._meta.progressToken`; every progress notification the peer sends for it comes out as a
 * `progress` event (strictly increasing, at most `maxUpdatesPerSecond`, the final one at once); the
 * response comes out as one `result` event after any held progress, then the Observable completes.
 *
 * ```
 * peer sends:   --p1-p2-p3------p4(R)            pN: progress, R: response, in one read
 *                requestWithProgress(peer, request, schema)
 * result:       --p1-----p3-----p4(r|)           p2 held then replaced by p3; r: the result event
 * ```
 *
 * Cold: nothing is sent until subscription, and each subscription sends its own request.
 * Unsubscribing before the result cancels the request (the SDK sends `notifications/cancelled`, and
 * the peer's handler sees its `extra.signal` abort), and so does aborting `options.signal`. An error
 * response, a failed send, a closed connection or a result that does not match `resultSchema` errors
 * the Observable with the SDK's error. `timeoutMs` is an idle timeout that every progress
 * notification restarts, `maxTotalTimeoutMs` a hard cap: either cancels the request and errors the
 * Observable with an `McpError` of code `ErrorCode.RequestTimeout`.
 *
 * Nothing the peer sent before its response is lost, even when the progress and the response arrive
 * in one read (where the SDK's own `onprogress` loses progress: see docs/sdk.md): the library reads
 * the peer's transport itself, in arrival order. Progress that arrives after the response never
 * reaches subscribers, and is kept from the SDK, which would report it to `onerror` as an unknown
 * token. String progress tokens work (the SDK's own routing cannot handle them).
 *
 * ## Examples
 * ```ts
 * import { Client } from '@modelcontextprotocol/sdk/client/index.js';
 * import { ReadResourceResultSchema } from '@modelcontextprotocol/sdk/types.js';
 * import { requestWithProgress } from 'rx-mcp-progress/sdk';
 *
 * requestWithProgress(
 *   client,
 *   { method: 'resources/read', params: { uri: 'file:///big.csv' } },
 *   ReadResourceResultSchema,
 *   { timeoutMs: 10_000 },
 * ).subscribe((event) => {
 *   if (event.type === 'progress') console.log(`${event.update.progress}/${event.update.total ?? '?'}`);
 *   else console.log(event.result.contents.length, 'contents');
 * });
 * ```
 *
 * @see {@link callToolWithProgress} for `tools/call`.
 * @see {@link fromTransport} for every message of a transport.
 * @param peer An SDK `Client` or `Server`, connected (its `transport` is read at subscription).
 * @param request The request, `{ method, params? }`; its `params._meta.progressToken` is set.
 * @param resultSchema The SDK (zod) schema of the result, as for the SDK's own `request`.
 * @param options See {@link RequestWithProgressOptions}. If not provided, defaults to `{}`.
 * @return A cold Observable of `progress` events, then one `result` event.
 * @throws RangeError at call time when an option is out of range.
 * @throws TypeError at call time when `peer` has no `request` method.
 */
export function requestWithProgress<Req extends Request, S extends AnySchema>(
  peer: RequestPeer<Req>,
  request: NoInfer<Req>,
  resultSchema: S,
  options: RequestWithProgressOptions = {},
): Observable<RequestEvent<SchemaOutput<S>>> {
  if (!hasMethod(peer, 'request')) {
    throw argumentError('requestWithProgress', 'an SDK Client or Server (with `request`)', peer);
  }
  const settings = readRequestOptions('requestWithProgress', options);
  return progressRequest(
    peer,
    (token, sdkOptions) =>
      peer.request(withProgressToken(request, token), resultSchema, sdkOptions),
    settings,
  );
}

const withProgressToken = <Req extends Request>(
  request: Req,
  progressToken: ProgressToken,
): Req => ({
  ...request,
  params: { ...request.params, _meta: { ...request.params?._meta, progressToken } },
});
