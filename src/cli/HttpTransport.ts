import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { settlesWithin } from './settlesWithin.js';

/** How long `close()` waits for sends still in flight, and for the session's DELETE. */
const FLUSH_MS = 1000;

/**
 * The SDK's Streamable HTTP client transport, closed gently: `close()` first lets the sends still in
 * flight finish (at most 1 s) — the SDK's own `close()` aborts them, and the one in flight at
 * Ctrl-C is the `notifications/cancelled` that the server must receive — then ends the session
 * (`DELETE`, at most 1 s; a server may refuse with 405), then closes.
 */
export class HttpTransport extends StreamableHTTPClientTransport {
  private readonly inFlight = new Set<Promise<void>>();

  override send(
    message: JSONRPCMessage | JSONRPCMessage[],
    options?: Parameters<StreamableHTTPClientTransport['send']>[1],
  ): Promise<void> {
    const sending = super.send(message, options);
    const settled = sending.then(forget, forget);
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return sending;
  }

  override async close(): Promise<void> {
    await settlesWithin(Promise.all(this.inFlight), FLUSH_MS);
    if (this.sessionId !== undefined) {
      await settlesWithin(this.terminateSession().catch(forget), FLUSH_MS);
    }
    await super.close();
  }
}

const forget = (): void => undefined;
