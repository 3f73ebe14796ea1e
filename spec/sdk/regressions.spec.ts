/** Bugs found in review, kept as tests. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { filter, lastValueFrom, take, toArray } from 'rxjs';
import { callToolWithProgress, isProgressEvent } from '../../src/sdk/index.js';
import { eventShape } from './support/events.js';

/**
 * A server whose tool `t` sends progress 1 and 2 of 3, then answers: with the default rate, 2 is
 * held by the throttle until the response flushes it. Records the cancellations the server
 * receives and the client's errors.
 */
const answeredRequest = async (): Promise<{
  client: Client;
  cancellations: unknown[];
  clientErrors: Error[];
}> => {
  const server = new McpServer({ name: 's', version: '1' });
  server.registerTool('t', {}, async (extra) => {
    const progressToken = extra._meta?.progressToken;
    if (progressToken === undefined) throw new Error('no token');
    for (const progress of [1, 2]) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, total: 3 },
      });
    }
    return { content: [{ type: 'text', text: 'ok' }] };
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const cancellations: unknown[] = [];
  const serverOnMessage = serverSide.onmessage;
  serverSide.onmessage = (message, extra) => {
    if ('method' in message && message.method === 'notifications/cancelled') {
      cancellations.push(message);
    }
    serverOnMessage?.(message, extra);
  };
  const client = new Client({ name: 'c', version: '1' });
  const clientErrors: Error[] = [];
  client.onerror = (error) => clientErrors.push(error);
  await client.connect(clientSide);
  return { client, cancellations, clientErrors };
};

describe('callToolWithProgress, a consumer that leaves on the progress the response flushes', () => {
  it('does not cancel an answered request (no notifications/cancelled, no client.onerror)', async () => {
    const { client, cancellations, clientErrors } = await answeredRequest();
    // take(2) leaves on progress 2, which the response flushes.
    const events = await lastValueFrom(
      callToolWithProgress(client, { name: 't' }).pipe(filter(isProgressEvent), take(2), toArray()),
    );
    // A round trip: a cancellation sent when take(2) left would reach the server before this ping
    // (the in-memory transport keeps order), and the pong comes back after it was handled.
    await client.ping();
    await client.close();

    expect(events.map((e) => e.update.progress)).toEqual([1, 2]);
    expect(cancellations).toEqual([]);
    expect(clientErrors).toEqual([]);
  });

  it('aborting `signal` on that progress does not cancel either: the result still comes', async () => {
    const { client, cancellations, clientErrors } = await answeredRequest();
    const controller = new AbortController();
    const events = await lastValueFrom(
      callToolWithProgress(client, { name: 't' }, { signal: controller.signal }).pipe(
        filter((e) => {
          if (e.type === 'progress' && e.update.progress === 2) controller.abort('enough');
          return true;
        }),
        toArray(),
      ),
    );
    await client.ping();
    await client.close();

    expect(eventShape(events)).toEqual([1, 2, 'result']);
    expect(cancellations).toEqual([]);
    expect(clientErrors).toEqual([]);
  });
});
