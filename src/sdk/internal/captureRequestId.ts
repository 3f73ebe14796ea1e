import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { requestIdCarrying, type RequestId } from '../../internal/jsonRpc.js';
import type { ProgressToken } from '../../wire/ProgressToken.js';

/** What {@link captureRequestId} returns. @internal */
export interface Sent<R> {
  readonly promise: Promise<R>;
  /** The id the SDK gave the request, or `undefined` when it was not sent during the call. */
  readonly requestId: RequestId | undefined;
}

/**
 * Calls `call` (an SDK `request`) with `transport.send` wrapped for the duration of the call, and
 * returns the id of the request it sent carrying `token` in `params._meta.progressToken`.
 *
 * The SDK picks the id inside `Protocol.request` (`const messageId = this._requestMessageId++`) and
 * sends the request synchronously, inside the Promise executor (`this._transport.send(jsonrpcRequest,
 * ...)`), and `Client.callTool` calls `this.request` before its first `await`; so the request goes
 * through the wrapped `send` before `call` returns. The wrapper is taken out in `finally`: the
 * transport's own `send` (an own property is restored as it was, an inherited one shows through
 * again). A transport whose `send` cannot be replaced (frozen) gives no id.
 *
 * @internal
 */
export const captureRequestId = <R>(
  transport: Transport,
  token: ProgressToken,
  call: () => Promise<R>,
): Sent<R> => {
  let requestId: RequestId | undefined = undefined;
  const own = Object.getOwnPropertyDescriptor(transport, 'send');
  const send = transport.send.bind(transport);
  let wrapped = false;
  try {
    transport.send = (message, options) => {
      requestId ??= requestIdCarrying(message, token);
      return send(message, options);
    };
    wrapped = true;
  } catch {
    // A frozen transport: the request ends on its result instead of on its response.
  }
  try {
    const promise = call();
    return { promise, requestId };
  } finally {
    if (wrapped) {
      if (own !== undefined) Object.defineProperty(transport, 'send', own);
      else Reflect.deleteProperty(transport, 'send');
    }
  }
};
