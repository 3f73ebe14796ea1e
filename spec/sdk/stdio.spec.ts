/**
 * Across a process boundary: the fixture server (spec/sdk/fixtures/stdioServer.ts) runs as a child
 * process, reached with the SDK's StdioClientTransport. Real time here; every wait is on an event.
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { filter, firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { callToolWithProgress, fromTransport } from '../../src/sdk/index.js';
import { eventShape } from './support/events.js';
import { stdioFixture } from './support/stdio.js';

const isUnknownToken = (error: Error): boolean =>
  error.message.includes('Received a progress notification for an unknown token');

describe('over stdio, with the server in a child process', () => {
  const fixture = stdioFixture('stdioServer.ts', 'stdio-spec');
  const { clientErrors } = fixture;

  beforeEach(() => {
    clientErrors.length = 0;
  });

  /** Waits until `n` progress notifications with `token` have been read from the child. */
  const arrivals = (token: string, n: number): Promise<unknown> =>
    firstValueFrom(
      fromTransport(fixture.transport).pipe(
        filter(
          (m) =>
            'method' in m &&
            m.method === 'notifications/progress' &&
            m.params?.progressToken === token,
        ),
        take(n),
        toArray(),
      ),
    );

  describe('the race: progress 1..4 of 4 back to back, then the response', () => {
    it.each(['race', 'race_batched'])(
      '%s: callToolWithProgress delivers all four, in order, before the result, in each of 5 calls',
      async (name) => {
        for (let i = 0; i < 5; i++) {
          const events = await lastValueFrom(
            callToolWithProgress(fixture.client, { name }, { maxUpdatesPerSecond: Infinity }).pipe(
              toArray(),
            ),
          );
          expect(eventShape(events)).toEqual([1, 2, 3, 4, 'result']);
        }
        expect(clientErrors).toEqual([]);
      },
    );

    it('with the default rate, the first and the final one (the final update is never held)', async () => {
      const events = await lastValueFrom(
        callToolWithProgress(fixture.client, { name: 'race_batched' }).pipe(toArray()),
      );
      expect(eventShape(events)).toEqual([1, 4, 'result']);
    });

    it('(the SDK’s own onprogress loses what arrives in the same read as the response)', async () => {
      // race_batched writes the four notifications and the response in one write: one read.
      const seen: number[] = [];
      await fixture.client.callTool({ name: 'race_batched' }, CallToolResultSchema, {
        onprogress: (p) => seen.push(p.progress),
      });
      // A round trip: the child writes its pong after everything it wrote before, and the client
      // reads in order, so whatever the call wrote has been handled once the pong is back.
      await fixture.client.ping();
      expect(seen).toEqual([]);
      expect(clientErrors.filter(isUnknownToken)).toHaveLength(4);

      // race (separate writes) loses some, depending on how reads split; measured, not asserted.
      const measured: string[] = [];
      for (let i = 0; i < 5; i++) {
        clientErrors.length = 0;
        const got: number[] = [];
        await fixture.client.callTool({ name: 'race' }, CallToolResultSchema, {
          onprogress: (p) => got.push(p.progress),
        });
        await fixture.client.ping();
        measured.push(
          `[${got.join(',')}] onerror x${String(clientErrors.filter(isUnknownToken).length)}`,
        );
      }
      process.stdout.write(`SDK onprogress over stdio, tool "race": ${measured.join('; ')}\n`);
    });
  });

  describe('late progress', () => {
    it('after the response (20 ms later): not delivered, no error, nothing reported to the client’s onerror', async () => {
      const arrived = arrivals('late-1', 1);
      const events = await lastValueFrom(
        callToolWithProgress(fixture.client, { name: 'late' }, { progressToken: 'late-1' }).pipe(
          toArray(),
        ),
      );
      expect(eventShape(events)).toEqual(['result']);
      await arrived;
      await new Promise((resolve) => setImmediate(resolve));
      expect(clientErrors).toEqual([]);
    });

    it('after the response in the same read: ended by the response, not by the SDK’s result', async () => {
      const arrived = arrivals('late-2', 2);
      const events = await lastValueFrom(
        callToolWithProgress(
          fixture.client,
          { name: 'late_batched' },
          { progressToken: 'late-2', maxUpdatesPerSecond: Infinity },
        ).pipe(toArray()),
      );
      expect(eventShape(events)).toEqual([1, 'result']);
      await arrived;
      await new Promise((resolve) => setImmediate(resolve));
      expect(clientErrors).toEqual([]);
    });
  });

  it('unsubscribing cancels the tool in the other process', async () => {
    const first = await firstValueFrom(callToolWithProgress(fixture.client, { name: 'wait' }));
    expect(first).toMatchObject({ type: 'progress', update: { progress: 1, total: 2 } });
    // firstValueFrom unsubscribed: notifications/cancelled went out before this next request.
    const stats = await fixture.client.callTool({ name: 'stats' }, CallToolResultSchema);
    expect(stats.content).toEqual([{ type: 'text', text: JSON.stringify({ aborted: 1 }) }]);
    expect(clientErrors).toEqual([]);
  });
});
