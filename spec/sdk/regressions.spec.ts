/** Bugs found in review, kept as tests. */
import { filter, lastValueFrom, take, tap, toArray } from 'rxjs';
import { callToolWithProgress, isProgressEvent } from '../../src/sdk/index.js';
import { eventShape } from './support/events.js';
import { connect, type Connection } from './support/inMemory.js';
import { WireRecorder } from './support/wire.js';

/**
 * A server whose tool `t` sends progress 1 and 2 of 3, then answers: with the default rate, 2 is
 * held by the throttle until the response flushes it. Records what the server receives (for its
 * cancellations) and the client's errors.
 */
const answeredRequest = async (): Promise<{
  connection: Connection;
  cancellations: () => string[];
}> => {
  const connection = await connect({
    setup: (server) => {
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
    },
  });
  const server = new WireRecorder(connection.serverTransport);
  return {
    connection,
    cancellations: () => server.shape().filter((m) => m === 'cancelled'),
  };
};

describe('callToolWithProgress, a consumer that leaves on the progress the response flushes', () => {
  it('does not cancel an answered request (no notifications/cancelled, no client.onerror)', async () => {
    const { connection, cancellations } = await answeredRequest();
    const { client, clientErrors } = connection;
    // take(2) leaves on progress 2, which the response flushes.
    const events = await lastValueFrom(
      callToolWithProgress(client, { name: 't' }).pipe(filter(isProgressEvent), take(2), toArray()),
    );
    // A round trip: a cancellation sent when take(2) left would reach the server before this ping
    // (the in-memory transport keeps order), and the pong comes back after it was handled.
    await client.ping();
    await connection.close();

    expect(events.map((e) => e.update.progress)).toEqual([1, 2]);
    expect(cancellations()).toEqual([]);
    expect(clientErrors).toEqual([]);
  });

  it('aborting `signal` on that progress does not cancel either: the result still comes', async () => {
    const { connection, cancellations } = await answeredRequest();
    const { client, clientErrors } = connection;
    const controller = new AbortController();
    const events = await lastValueFrom(
      callToolWithProgress(client, { name: 't' }, { signal: controller.signal }).pipe(
        tap((e) => {
          if (e.type === 'progress' && e.update.progress === 2) controller.abort('enough');
        }),
        toArray(),
      ),
    );
    await client.ping();
    await connection.close();

    expect(eventShape(events)).toEqual([1, 2, 'result']);
    expect(cancellations()).toEqual([]);
    expect(clientErrors).toEqual([]);
  });
});
