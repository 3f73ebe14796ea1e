/**
 * The official TypeScript SDK's `Client` as a receiving contender: a connected client with requests in
 * flight, fed server-to-client messages over the SDK's own `InMemoryTransport`.
 *
 * The "server" is a fake that answers `initialize` and ignores everything else, so the client pays
 * only for what the benchmark feeds it: the transport hop, `JSONRPCMessage` classification (zod), the
 * notification handler map, `ProgressNotificationSchema` parsing (zod), the `Number(token)` lookup of
 * the progress handler, and the `onprogress` callback; for responses, the response handler map and the
 * result schema (zod).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { CallToolResultSchema, LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { drainMicrotasks } from './measure.js';
import type { BenchMessage } from './workload.js';

/** What an SDK client received during a pass. */
export interface SdkTally {
  /** `onprogress` calls. */
  progress: number;
  /** Sum of `progress` values seen by `onprogress`. */
  sum: number;
  /** Requests resolved by a response. */
  resolved: number;
  /** Errors reported through `client.onerror` (none are expected). */
  errors: number;
}

/** A connected client and the server end of its transport. */
export interface SdkSession {
  readonly client: Client;
  readonly server: InMemoryTransport;
  readonly tally: SdkTally;
  /** Closes the client (rejecting whatever is still pending, silently). */
  close(): Promise<void>;
}

const noop = (): void => undefined;

/** Connects a fresh client to a fake server that answers `initialize`. */
export const connectSdkClient = async (): Promise<SdkSession> => {
  const [clientSide, server] = InMemoryTransport.createLinkedPair();
  server.onmessage = (message: JSONRPCMessage): void => {
    if ('method' in message && message.method === 'initialize' && 'id' in message) {
      void server.send({
        jsonrpc: '2.0',
        id: message.id,
        result: {
          protocolVersion: LATEST_PROTOCOL_VERSION,
          capabilities: { tools: {} },
          serverInfo: { name: 'bench-fake-server', version: '0.0.0' },
        },
      });
    }
  };
  const client = new Client({ name: 'bench', version: '0.0.0' }, { capabilities: {} });
  const tally: SdkTally = { progress: 0, sum: 0, resolved: 0, errors: 0 };
  client.onerror = () => {
    tally.errors++;
  };
  await client.connect(clientSide);
  return {
    client,
    server,
    tally,
    close: async () => {
      await client.close();
      await drainMicrotasks();
    },
  };
};

/**
 * Sends `count` `tools/call` requests. The SDK gives them the next message ids (1, 2, ... on a fresh
 * client, whose `initialize` was id 0). With `progress`, each carries its id as progress token and an
 * `onprogress` callback counting into the tally. `catchRejections` attaches a no-op rejection handler
 * (so that closing the client with them pending is silent); leave it off to measure the bare request.
 *
 * @return The ids given to the requests.
 */
export const sendSdkRequests = (
  session: SdkSession,
  count: number,
  progress: boolean,
  catchRejections: boolean,
): number[] => {
  const { client, tally } = session;
  const onprogress = progress
    ? (p: { progress: number }): void => {
        tally.progress++;
        tally.sum += p.progress;
      }
    : undefined;
  const onResult = (): void => {
    tally.resolved++;
  };
  const ids: number[] = [];
  const internals = client as unknown as { _requestMessageId: number };
  for (let i = 0; i < count; i++) {
    ids.push(internals._requestMessageId);
    const pending = client.request(
      { method: 'tools/call', params: { name: 'work', arguments: {} } },
      CallToolResultSchema,
      onprogress === undefined ? { timeout: 3_600_000 } : { onprogress, timeout: 3_600_000 },
    );
    if (catchRejections) pending.then(onResult, noop);
    else void pending.then(onResult);
  }
  return ids;
};

/**
 * Feeds messages to the client as the server would send them, in chunks of `chunk` messages with a
 * macrotask turn between chunks (the SDK handles each notification in a microtask chain; a transport
 * delivers data in chunks too), and waits until every handler has run.
 */
export const feedSdk = async (
  session: SdkSession,
  messages: readonly BenchMessage[],
  chunk = 1024,
): Promise<void> => {
  const { server } = session;
  for (let start = 0; start < messages.length; start += chunk) {
    const end = Math.min(messages.length, start + chunk);
    for (let i = start; i < end; i++) void server.send(messages[i]);
    await drainMicrotasks();
  }
};
