import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { Observable } from 'rxjs';
import { forgetObserverLink, observerLinkOf, type LinkListener } from './internal/TransportLink.js';
import { argumentError, hasMethod } from '../internal/options.js';

/**
 * Every JSON-RPC message an SDK transport receives, as an Observable, without taking the transport
 * away from the SDK `Client` or `Server` connected to it.
 *
 * In plain words: subscribing chains a handler in front of the transport's `onmessage`, `onclose`
 * and `onerror` (the handlers already set keep being called, after ours); each received message is
 * emitted; the transport closing completes the stream; a transport error errors it. Unsubscribing
 * takes the handlers out again.
 *
 * ```
 * transport:    --m1--m2----m3--close
 *                fromTransport(transport)
 * result:       --m1--m2----m3--|
 * SDK client:   --m1--m2----m3--close     (still receives everything)
 * ```
 *
 * Cold: nothing is chained until subscription. All subscriptions to one transport share one link
 * into its handlers, so any number of them stack and leave in any order. When the last one leaves,
 * the handlers are put back exactly as they were (an own property is restored, an inherited one shows
 * through again), unless someone chained a handler after ours in the meantime — `client.connect`
 * does, when you subscribe before connecting: then ours stays as a transparent pass-through, because
 * removing it would cut the SDK's handler off; a later subscription reuses it.
 *
 * The SDK treats `onerror` as out-of-band and not always fatal (a stdio transport reports one
 * unparsable line there and keeps reading); this stream still errors on it, so re-subscribe (for
 * example with `retry`) if you want to keep observing after such an error.
 *
 * With {@link ProgressManager} from the root entry this gives an Rx-native client on any transport.
 *
 * ## Examples
 * ```ts
 * import { ProgressManager } from 'rx-mcp-progress';
 * import { fromTransport } from 'rx-mcp-progress/sdk';
 *
 * await client.connect(transport);
 * fromTransport(transport).subscribe((message) => console.log('received', message));
 * const manager = new ProgressManager(fromTransport(transport));
 * ```
 *
 * @see {@link requestWithProgress} for a request with its progress, built on the same link.
 * @param transport An SDK `Transport`, connected or not.
 * @return A cold Observable of the received messages that completes when the transport closes.
 * @throws TypeError at once when `transport` has no `send` method.
 */
export function fromTransport(transport: Transport): Observable<JSONRPCMessage> {
  if (!hasMethod(transport, 'send')) {
    throw argumentError('fromTransport', 'an SDK Transport (with `send`)', transport);
  }
  return new Observable<JSONRPCMessage>((subscriber) => {
    const link = observerLinkOf(transport);
    const listener: LinkListener = {
      message: (message) => {
        subscriber.next(message);
      },
      close: () => {
        subscriber.complete();
      },
      error: (error) => {
        subscriber.error(error);
      },
    };
    link.add(listener);
    return () => {
      link.remove(listener);
      forgetObserverLink(link);
    };
  });
}
