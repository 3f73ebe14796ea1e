/**
 * withProgress across a process boundary: the fixture server (spec/sdk/fixtures/stdioReporterServer.ts),
 * whose tools use withProgress, runs as a child process reached with the SDK's StdioClientTransport,
 * and is called with callToolWithProgress. Real time; every wait is on an event, except one poll of
 * the child's counters (every 10 ms, until its tool has returned).
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom, take, toArray } from 'rxjs';
import { callToolWithProgress } from '../../src/sdk/index.js';
import { eventShape } from './support/events.js';
import { stdioFixture } from './support/stdio.js';
import { WireRecorder } from './support/wire.js';

interface ReporterStats {
  readonly cancelled: readonly { readonly beat: number; readonly closed: boolean }[];
  readonly finished: number;
}

describe('withProgress over stdio, with the server in a child process', () => {
  const fixture = stdioFixture('stdioReporterServer.ts', 'stdio-with-progress-spec');
  const { clientErrors } = fixture;

  afterEach(() => {
    expect(clientErrors).toEqual([]);
  });

  const textOf = (result: unknown): string | undefined => {
    const text = (result as { content?: { text?: unknown }[] } | undefined)?.content?.[0]?.text;
    return typeof text === 'string' ? text : undefined;
  };

  const stats = async (): Promise<ReporterStats> => {
    const result: unknown = await fixture.client.callTool(
      { name: 'reporter_stats' },
      CallToolResultSchema,
    );
    return JSON.parse(textOf(result) ?? '{}') as ReporterStats;
  };

  it('callToolWithProgress receives every step, the final one, then the result', async () => {
    for (let i = 0; i < 3; i++) {
      const events = await lastValueFrom(
        callToolWithProgress(
          fixture.client,
          { name: 'reporter_steps', arguments: { steps: 5 } },
          { maxUpdatesPerSecond: Infinity },
        ).pipe(toArray()),
      );
      expect(eventShape(events)).toEqual([1, 2, 3, 4, 5, 'result']);
      expect(events[4]).toMatchObject({
        type: 'progress',
        update: { progress: 5, total: 5, message: 'step 5' },
      });
      expect(events[5]).toEqual({
        type: 'result',
        result: { content: [{ type: 'text', text: 'reported 5' }] },
      });
    }
  });

  it('a synchronous burst: the first, then the final one (never after the response)', async () => {
    const events = await lastValueFrom(
      callToolWithProgress(
        fixture.client,
        { name: 'reporter_burst', arguments: { steps: 1000 } },
        { maxUpdatesPerSecond: Infinity },
      ).pipe(toArray()),
    );
    expect(eventShape(events)).toEqual([1, 1000, 'result']);
  });

  it('unsubscribing cancels: the tool’s reporter closes, and nothing after the abort reaches the client', async () => {
    const progressToken = 'stdio-wait-1';
    const wire = new WireRecorder(fixture.transport);
    const events = await lastValueFrom(
      callToolWithProgress(
        fixture.client,
        { name: 'reporter_wait' },
        { progressToken, maxUpdatesPerSecond: Infinity },
      ).pipe(take(2), toArray()),
    );
    expect(eventShape(events)).toEqual([1, 2]);
    // The tool goes on for five more beats (50 ms), then returns (the SDK drops its result).
    let now = await stats();
    while (now.finished < 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      now = await stats();
    }
    // A round trip: whatever the child wrote before its pong has been read once the pong is back.
    await fixture.client.ping();
    wire.stop();
    expect(now.cancelled).toHaveLength(1);
    const [{ beat, closed }] = now.cancelled;
    expect(closed).toBe(true);
    // What arrived: a heartbeat or two already on its way when the cancellation went out, at most.
    const arrived = wire.progress(progressToken).map((p) => p.progress);
    expect(arrived).toEqual(Array.from({ length: arrived.length }, (_, i) => i + 1));
    expect(arrived.length).toBeGreaterThanOrEqual(2);
    expect(arrived.length).toBeLessThanOrEqual(beat);
    // No response to the cancelled call (the SDK drops it).
    const texts = wire.messages.map((m) => ('result' in m ? textOf(m.result) : undefined));
    expect(texts).not.toContain('finished');
  });
});
