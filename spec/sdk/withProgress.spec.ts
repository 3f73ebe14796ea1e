/**
 * withProgress: tool callbacks that take a reporter, registered in an SDK McpServer and called by an
 * SDK Client over the SDK's InMemoryTransport. What reaches the client is read on its transport.
 */
import {
  CallToolResultSchema,
  type CallToolResult,
  type JSONRPCMessage,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import type { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { lastValueFrom, take, toArray, VirtualTimeScheduler } from 'rxjs';
import * as z from 'zod';
import { ProgressError, ProgressReporter, type ProgressErrorResult } from '../../src/index.js';
import {
  callToolWithProgress,
  isProgressEvent,
  reporterFor,
  withProgress,
  type ToolExtra,
  type WithProgressConfig,
} from '../../src/sdk/index.js';
import { settleTurns } from '../reporter/support.js';
import { eventShape } from './support/events.js';
import {
  connect,
  settle,
  VirtualClock,
  type Connection,
  type ConnectOptions,
} from './support/inMemory.js';
import { describeMessage, recordedConnections, WireRecorder } from './support/wire.js';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
const isProgress = (message: JSONRPCMessage): boolean =>
  'method' in message && message.method === 'notifications/progress';

/** A promise and its resolve, for "the tool got this far". */
const signalled = (): { promise: Promise<void>; resolve: () => void } => {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('withProgress (SDK McpServer and Client over InMemoryTransport)', () => {
  const session = recordedConnections();
  const open = session.open;

  /** `index`: reports `files` steps, one per macrotask (each send settles before the next). */
  const registerIndex: ConnectOptions['setup'] = (server) => {
    server.registerTool(
      'index',
      { inputSchema: { files: z.number().int().positive() } },
      withProgress(async ({ files }, _extra, reporter) => {
        for (let i = 1; i <= files; i++) {
          await settle();
          reporter.next({ progress: i, total: files, message: `file ${String(i)}` });
        }
        return text(`indexed ${String(files)}`);
      }),
    );
  };

  describe('a tool with an input schema: (args, extra, reporter)', () => {
    it('callToolWithProgress receives increasing updates, the final one, then the result', async () => {
      const { client } = await open({ setup: registerIndex });
      const events = await lastValueFrom(
        callToolWithProgress(
          client,
          { name: 'index', arguments: { files: 5 } },
          { maxUpdatesPerSecond: Infinity },
        ).pipe(toArray()),
      );
      expect(events.filter(isProgressEvent).map((e) => e.update.progress)).toEqual([1, 2, 3, 4, 5]);
      expect(events[4]).toEqual({
        type: 'progress',
        update: {
          progressToken: expect.any(String) as unknown,
          progress: 5,
          total: 5,
          message: 'file 5',
        },
      });
      expect(events[5]).toEqual({ type: 'result', result: text('indexed 5') });
      expect(events).toHaveLength(6);
      expect(session.wire.shape()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5', 'result']);
    });

    it('the SDK client’s own onprogress accepts the reporter’s output', async () => {
      const { client } = await open({ setup: registerIndex });
      const seen: Progress[] = [];
      let seenAtResult = -1;
      const result = await client
        .callTool({ name: 'index', arguments: { files: 4 } }, CallToolResultSchema, {
          onprogress: (p) => seen.push(p),
        })
        .then((r) => {
          seenAtResult = seen.length;
          return r;
        });
      expect(result).toEqual(text('indexed 4'));
      expect(seen).toEqual(
        [1, 2, 3, 4].map((i) => ({ progress: i, total: 4, message: `file ${String(i)}` })),
      );
      expect(seenAtResult).toBe(4);
    });

    it('passes the SDK’s own arguments through: the parsed args, the request’s extra, then the reporter', async () => {
      let got: unknown[] = [];
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'echo',
            { inputSchema: { word: z.string(), times: z.number().int().default(2) } },
            withProgress(async (args, extra, reporter) => {
              // Typed by registerTool itself: nothing above is annotated.
              const check: [{ word: string; times: number }, ToolExtra, ProgressReporter] = [
                args,
                extra,
                reporter,
              ];
              got = [
                args,
                typeof extra.requestId,
                extra.signal.aborted,
                reporter instanceof ProgressReporter,
              ];
              return Promise.resolve(text(check[0].word.repeat(check[0].times)));
            }),
          );
        },
      });
      const result = await client.callTool({ name: 'echo', arguments: { word: 'ab' } });
      expect(result).toEqual(text('abab'));
      expect(got).toEqual([{ word: 'ab', times: 2 }, 'number', false, true]);
    });
  });

  describe('a tool without an input schema: (extra, reporter)', () => {
    it('is called with the request’s extra and the reporter (the SDK passes extra alone)', async () => {
      let got: unknown[] = [];
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'ping',
            {},
            withProgress(async (extra, reporter) => {
              const check: [ToolExtra, ProgressReporter] = [extra, reporter];
              got = [typeof check[0].requestId, check[1] instanceof ProgressReporter];
              await settle();
              reporter.next({ progress: 1, total: 2 });
              await settle();
              reporter.next({ progress: 2, total: 2, message: 'pong' });
              return text('pong');
            }),
          );
        },
      });
      const events = await lastValueFrom(
        callToolWithProgress(client, { name: 'ping' }, { maxUpdatesPerSecond: Infinity }).pipe(
          toArray(),
        ),
      );
      expect(got).toEqual(['number', true]);
      expect(eventShape(events)).toEqual([1, 2, 'result']);
    });
  });

  describe('progress tokens', () => {
    it.each([
      ['a string', 'job-1'],
      ['an integer', 42],
      ['a numeric string', '7'],
    ])('sends with the request’s token, %s, unconverted', async (_kind, progressToken) => {
      const { client } = await open({ setup: registerIndex });
      await lastValueFrom(
        callToolWithProgress(
          client,
          { name: 'index', arguments: { files: 3 } },
          { progressToken, maxUpdatesPerSecond: Infinity },
        ),
      );
      expect(session.wire.progress().map((p) => p.progressToken)).toEqual([
        progressToken,
        progressToken,
        progressToken,
      ]);
    });

    it('none: the inert reporter sends nothing at all, and still validates', async () => {
      const problems: ProgressErrorResult[] = [];
      let sawToken: unknown = 'not yet';
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'quiet',
            {},
            withProgress(
              async (extra, reporter) => {
                sawToken = extra._meta?.progressToken;
                reporter.next({ progress: Number.NaN });
                for (let i = 1; i <= 3; i++) {
                  await settle();
                  reporter.next({ progress: i, total: 3 });
                }
                return text('quiet');
              },
              { onError: (p) => problems.push(p), scheduler: new VirtualTimeScheduler() },
            ),
          );
        },
      });
      // The SDK's callTool without onprogress sends no progress token.
      expect(await client.callTool({ name: 'quiet' })).toEqual(text('quiet'));
      expect(sawToken).toBeUndefined();
      expect(session.wire.shape()).toEqual(['result']);
      expect(problems.map((p) => p.error)).toEqual([ProgressError.INVALID_PROGRESS]);
    });
  });

  describe('before the result', () => {
    it('sends the input held by the rate limit, when the callback returns short of total', async () => {
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'partial',
            {},
            withProgress(
              async (_extra, reporter) => {
                for (let i = 1; i <= 5; i++) {
                  await settle();
                  reporter.next({ progress: i, total: 10 });
                }
                return text('stopped at 5 of 10');
              },
              // A clock that never advances: after the burst, the bucket never refills (and the
              // response may not wait for it).
              { burst: 2, scheduler: new VirtualTimeScheduler(), responseDelayMs: 0 },
            ),
          );
        },
      });
      const events = await lastValueFrom(
        callToolWithProgress(client, { name: 'partial' }, { maxUpdatesPerSecond: Infinity }).pipe(
          toArray(),
        ),
      );
      // 1 and 2 spend the bucket; 3 and 4 are replaced by 5, which goes out when the tool returns.
      expect(session.wire.shape()).toEqual(['p1', 'p2', 'p5', 'result']);
      expect(eventShape(events)).toEqual([1, 2, 5, 'result']);
    });

    it('leaves a reporter that the callback completed itself as it is', async () => {
      const problems: ProgressErrorResult[] = [];
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'tidy',
            {},
            withProgress(
              async (_extra, reporter) => {
                reporter.next({ progress: 1 });
                reporter.complete();
                await reporter.done;
                return text('tidy');
              },
              { onError: (p) => problems.push(p) },
            ),
          );
        },
      });
      await lastValueFrom(callToolWithProgress(client, { name: 'tidy' }));
      expect(session.wire.shape()).toEqual(['p1', 'result']);
      expect(problems).toEqual([]);
    });

    it('waits for the last send: on a slow transport the response still comes after the final progress', async () => {
      const { client } = await open({
        setup: (server) => {
          // Three inputs at once, the last one final; then the result at once.
          server.registerTool(
            'careful',
            {},
            withProgress(async (_extra, reporter) => {
              for (let i = 1; i <= 3; i++) reporter.next({ progress: i, total: 3 });
              return Promise.resolve(text('careful'));
            }),
          );
          // The same without withProgress, and without `complete(); await done`.
          server.registerTool('careless', {}, async (extra) => {
            const reporter = reporterFor(extra);
            for (let i = 1; i <= 3; i++) reporter.next({ progress: i, total: 3 });
            return Promise.resolve(text('careless'));
          });
        },
        beforeConnect: (_client, server) => {
          // Each progress notification takes 15 ms to go out.
          const send = server.send.bind(server);
          server.send = async (message, options) => {
            if (isProgress(message)) await sleep(15);
            return send(message, options);
          };
        },
      });
      await lastValueFrom(callToolWithProgress(client, { name: 'careful' }));
      // 1 goes out (15 ms); 2 is replaced by the final 3, sent after it; then the response.
      expect(session.wire.shape()).toEqual(['p1', 'p3', 'result']);

      session.wire.messages.length = 0;
      const careless = await lastValueFrom(
        callToolWithProgress(client, { name: 'careless' }).pipe(toArray()),
      );
      await session.wire.received(3);
      // The response overtakes the progress (which callToolWithProgress drops as late).
      expect(session.wire.shape()).toEqual(['result', 'p1', 'p3']);
      expect(careless).toEqual([{ type: 'result', result: text('careless') }]);
    });
  });

  describe('a callback that throws', () => {
    it('closes the reporter (its held input is dropped); the SDK answers with isError', async () => {
      let reporterSeen: ProgressReporter | undefined;
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'fails',
            { inputSchema: { at: z.number() } },
            withProgress(
              async ({ at }, _extra, reporter) => {
                reporterSeen = reporter;
                for (let i = 1; i <= at; i++) {
                  await settle();
                  reporter.next({ progress: i, total: 10 });
                }
                throw new Error(`index corrupt at ${String(at)}`);
              },
              { burst: 2, scheduler: new VirtualTimeScheduler(), responseDelayMs: 0 },
            ),
          );
        },
      });
      const events = await lastValueFrom(
        callToolWithProgress(
          client,
          { name: 'fails', arguments: { at: 5 } },
          { maxUpdatesPerSecond: Infinity },
        ).pipe(toArray()),
      );
      expect(session.wire.shape()).toEqual(['p1', 'p2', 'result']);
      expect(events.at(-1)).toEqual({
        type: 'result',
        result: { content: [{ type: 'text', text: 'index corrupt at 5' }], isError: true },
      });
      expect(reporterSeen?.closed).toBe(true);
      await expect(reporterSeen?.done).resolves.toBeUndefined();
    });

    it('rethrows the very error it caught (a synchronous throw too)', async () => {
      const thrown = new Error('nope');
      const caught: unknown[] = [];
      const failing = withProgress(
        (_args: { n: number }, _extra: ToolExtra, reporter: ProgressReporter) => {
          reporter.next({ progress: 1 });
          throw thrown;
        },
      );
      const { client } = await open({
        setup: (server) => {
          server.registerTool('outer', { inputSchema: { n: z.number() } }, async (args, extra) => {
            try {
              return await failing(args, extra);
            } catch (error) {
              caught.push(error);
              throw error;
            }
          });
        },
      });
      const result = await client.callTool({ name: 'outer', arguments: { n: 1 } });
      expect(result).toEqual({ content: [{ type: 'text', text: 'nope' }], isError: true });
      expect(caught).toEqual([thrown]);
      expect(caught[0]).toBe(thrown);
    });
  });

  it('a failed send does not fail the call: the result comes, onError hears STATE_ERROR, done rejects', async () => {
    const problems: ProgressErrorResult[] = [];
    let reporterSeen: ProgressReporter | undefined;
    const { client } = await open({
      setup: (server) => {
        server.registerTool(
          'unlucky',
          {},
          withProgress(
            async (_extra, reporter) => {
              reporterSeen = reporter;
              for (let i = 1; i <= 3; i++) {
                await settle();
                reporter.next({ progress: i, total: 3 });
              }
              return text('fine anyway');
            },
            { onError: (p) => problems.push(p), scheduler: new VirtualTimeScheduler() },
          ),
        );
      },
      beforeConnect: (_client, server) => {
        const send = server.send.bind(server);
        server.send = (message, options) =>
          isProgress(message)
            ? Promise.reject(new Error('progress pipe broken'))
            : send(message, options);
      },
    });
    const events = await lastValueFrom(
      callToolWithProgress(client, { name: 'unlucky' }).pipe(toArray()),
    );
    expect(events).toEqual([{ type: 'result', result: text('fine anyway') }]);
    expect(problems[0]).toMatchObject({ error: ProgressError.STATE_ERROR });
    expect((problems[0]?.details as { cause?: unknown }).cause).toEqual(
      new Error('progress pipe broken'),
    );
    await expect(reporterSeen?.done).rejects.toMatchObject({ error: ProgressError.STATE_ERROR });
  });

  it('a flooding tool (10,000 next calls) sends at most burst + rate × duration, plus the final', async () => {
    const clock = new VirtualClock();
    const burst = 5;
    const maxUpdatesPerSecond = 20;
    let duration = -1;
    const { client } = await open({
      setup: (server) => {
        server.registerTool(
          'flood',
          { inputSchema: { n: z.number().int() } },
          withProgress(
            async ({ n }, _extra, reporter) => {
              const start = clock.now;
              for (let i = 1; i <= n; i++) {
                reporter.next({ progress: i, total: n });
                // 1 ms of virtual time every 10 inputs: the flood lasts 999 ms.
                if (i % 10 === 0 && i < n) {
                  clock.advance(1);
                  await settle();
                }
              }
              duration = clock.now - start;
              return text('flooded');
            },
            { burst, maxUpdatesPerSecond, scheduler: clock.scheduler, responseDelayMs: 0 },
          ),
        );
      },
    });
    const events = await lastValueFrom(
      callToolWithProgress(
        client,
        { name: 'flood', arguments: { n: 10_000 } },
        { maxUpdatesPerSecond: Infinity },
      ).pipe(toArray()),
    );
    const sent = session.wire.progress().map((p) => Number(p.progress));
    expect(duration).toBe(999);
    expect(sent.length).toBeLessThanOrEqual(burst + (maxUpdatesPerSecond * duration) / 1000 + 1);
    // And the rate is used, not starved: about one every 50 ms.
    expect(sent.length).toBeGreaterThanOrEqual((maxUpdatesPerSecond * duration) / 1000);
    expect(sent.at(-1)).toBe(10_000);
    for (let i = 1; i < sent.length; i++) expect(sent[i]).toBeGreaterThan(sent[i - 1]);
    expect(session.wire.shape().at(-1)).toBe('result');
    expect(events.filter(isProgressEvent)).toHaveLength(sent.length);
  });

  describe('cancellation by unsubscribing', () => {
    /**
     * One timeline of what the server's transport sends and of the cancellation it receives; the
     * wrapped `send` logs before handing the message on, the recorder logs as it arrives.
     */
    const timeline = (log: string[]): ConnectOptions['beforeConnect'] => {
      return (_client, server) => {
        const send = server.send.bind(server);
        server.send = (message, options) => {
          log.push(`server sent: ${describeMessage(message)}`);
          return send(message, options);
        };
      };
    };
    const hearCancel = (connection: Connection, log: string[]): WireRecorder =>
      new WireRecorder(connection.serverTransport, (m) => {
        if (describeMessage(m) === 'cancelled') log.push('server got: cancelled');
      });

    it('aborts the tool’s extra.signal and closes its reporter: nothing follows on the wire', async () => {
      const log: string[] = [];
      const stopped = signalled();
      const connection = await open({
        beforeConnect: timeline(log),
        setup: (server) => {
          server.registerTool(
            'watch',
            {},
            withProgress(async (extra, reporter) => {
              extra.signal.addEventListener('abort', () => {
                log.push(`tool: aborted, reporter closed: ${String(reporter.closed)}`);
              });
              let beat = 0;
              while (!extra.signal.aborted) {
                reporter.next({ progress: ++beat });
                await sleep(3);
              }
              stopped.resolve();
              return text('stopped');
            }),
          );
        },
      });
      log.length = 0; // the handshake
      const cancel = hearCancel(connection, log);
      const events = await lastValueFrom(
        callToolWithProgress(
          connection.client,
          { name: 'watch' },
          { maxUpdatesPerSecond: Infinity },
        ).pipe(take(3), toArray()),
      );
      await stopped.promise;
      // A round trip after the tool returned: the server answers a ping after whatever it sent
      // before, and the in-memory transport keeps order, so anything stray would come first.
      await connection.client.ping();
      cancel.stop();
      expect(eventShape(events)).toEqual([1, 2, 3]);
      expect(log).toEqual([
        'server sent: p1',
        'server sent: p2',
        'server sent: p3',
        'server got: cancelled',
        'tool: aborted, reporter closed: true',
        // and nothing more: no progress, no response (the SDK drops a cancelled request's result)
        'server sent: result', // the ping's answer
      ]);
      expect(session.wire.shape()).toEqual(['p1', 'p2', 'p3', 'result']);
    });

    it('a tool that ignores the signal sends nothing more: its inputs are reported as STATE_ERROR', async () => {
      const log: string[] = [];
      const problems: ProgressErrorResult[] = [];
      const stopped = signalled();
      const connection = await open({
        beforeConnect: timeline(log),
        setup: (server) => {
          server.registerTool(
            'stubborn',
            {},
            withProgress(
              async (_extra, reporter) => {
                for (let i = 1; i <= 12; i++) {
                  reporter.next({ progress: i, total: 12 });
                  await sleep(3);
                }
                stopped.resolve();
                return text('finished regardless');
              },
              { onError: (p) => problems.push(p), scheduler: new VirtualTimeScheduler() },
            ),
          );
        },
      });
      log.length = 0; // the handshake
      const cancel = hearCancel(connection, log);
      await lastValueFrom(
        callToolWithProgress(
          connection.client,
          { name: 'stubborn' },
          { maxUpdatesPerSecond: Infinity },
        ).pipe(take(2)),
      );
      await stopped.promise;
      await connection.client.ping(); // a round trip: anything stray would come before its answer
      cancel.stop();
      expect(log).toEqual([
        'server sent: p1',
        'server sent: p2',
        'server got: cancelled',
        'server sent: result', // the ping's answer
      ]);
      // The inputs after the cancellation (3..12) make one diagnostic (repeats are coalesced).
      expect(problems.map((p) => p.error)).toEqual([ProgressError.STATE_ERROR]);
    });
  });

  it('checks its config when wrapping, not when the tool is called', () => {
    const handler = async (): Promise<CallToolResult> => Promise.resolve(text('x'));
    expect(() => withProgress(handler, { burst: 0 })).toThrow(RangeError);
    expect(() => withProgress(handler, { maxUpdatesPerSecond: -1 })).toThrow(RangeError);
  });
});

describe('withProgress: the response waits responseDelayMs after the last notification', () => {
  let connection: Connection | undefined;
  afterEach(async () => {
    await connection?.close();
    connection = undefined;
  });

  /**
   * Makes the server's side deliver like a stream read: every message sent in one turn reaches the
   * client in one synchronous loop, at the next macrotask (as the SDK's stdio transport hands the
   * messages of one read to the client).
   */
  const readsLikeAStream = (transport: InMemoryTransport): void => {
    const send = transport.send.bind(transport);
    let held: JSONRPCMessage[] = [];
    transport.send = (message) => {
      held.push(message);
      if (held.length === 1) {
        setImmediate(() => {
          const read = held;
          held = [];
          for (const m of read) void send(m);
        });
      }
      return Promise.resolve();
    };
  };

  /**
   * A tool `steps` that reports 1..3 of 3 at once, then returns (after `during`, if given). The
   * reporter sends 1 and 3 (one send in flight: 3 replaces 2 while 1 is being sent).
   */
  const openSteps = async (
    config: WithProgressConfig,
    during?: (clock: VirtualClock) => void,
  ): Promise<{ client: Connection['client']; clock: VirtualClock; errors: Error[] }> => {
    const clock = new VirtualClock();
    connection = await connect({
      setup: (server) => {
        server.registerTool(
          'steps',
          {},
          withProgress(
            async (_extra, reporter) => {
              for (let i = 1; i <= 3; i++) reporter.next({ progress: i, total: 3 });
              if (during !== undefined) {
                await settle();
                during(clock);
              }
              return Promise.resolve(text('done'));
            },
            { maxUpdatesPerSecond: Infinity, scheduler: clock.scheduler, ...config },
          ),
        );
      },
      beforeConnect: (_client, server) => {
        readsLikeAStream(server);
      },
    });
    return { client: connection.client, clock, errors: connection.clientErrors };
  };

  /** Calls `steps` with the SDK client's own `onprogress`. */
  const callSteps = (client: Connection['client']) => {
    const progress: number[] = [];
    const outcome: { result?: unknown } = {};
    const done = client
      .callTool({ name: 'steps' }, CallToolResultSchema, {
        onprogress: (p: Progress) => progress.push(p.progress),
      })
      .then((result) => {
        outcome.result = result;
      });
    return { progress, outcome, done };
  };

  /** The response comes exactly `ms` later on the clock: not at `ms - 1`, then at `ms`. */
  const expectResponseIn = async (
    call: ReturnType<typeof callSteps>,
    clock: VirtualClock,
    ms: number,
    result: CallToolResult = text('done'),
  ): Promise<void> => {
    clock.advance(ms - 1);
    await settleTurns();
    expect(call.outcome.result).toBeUndefined();
    clock.advance(1);
    await call.done;
    expect(call.outcome.result).toEqual(result);
  };

  it('by default (10 ms): the SDK client reads the final update on its own, then the response', async () => {
    const { client, clock, errors } = await openSteps({});
    const call = callSteps(client);
    await settleTurns();
    expect(call.progress).toEqual([1, 3]);
    expect(call.outcome.result).toBeUndefined();
    await expectResponseIn(call, clock, 10);
    expect(errors).toEqual([]);
  });

  it('0: the response shares the read, and the SDK client drops every update of it', async () => {
    const { client, errors } = await openSteps({ responseDelayMs: 0 });
    const call = callSteps(client);
    await call.done;
    await settleTurns();
    expect(call.outcome.result).toEqual(text('done'));
    expect(call.progress).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual(
      Array.from({ length: 2 }, () => expect.stringMatching(/unknown token/) as unknown),
    );
  });

  it('counts from the last send: a callback that returns 4 ms after it waits 6 ms more', async () => {
    const { client, clock, errors } = await openSteps({}, (c) => {
      c.advance(4);
    });
    const call = callSteps(client);
    await settleTurns();
    expect(call.progress).toEqual([1, 3]);
    await expectResponseIn(call, clock, 6);
    expect(errors).toEqual([]);
  });

  it('does not wait when the last notification went out long enough before', async () => {
    const { client, errors } = await openSteps({ responseDelayMs: 25 }, (c) => {
      c.advance(25);
    });
    const call = callSteps(client);
    await settleTurns(); // no clock advance after the callback returned
    expect(call.progress).toEqual([1, 3]);
    expect(call.outcome.result).toEqual(text('done'));
    expect(errors).toEqual([]);
  });

  it('a callback that throws: the error result waits the same', async () => {
    const { client, clock, errors } = await openSteps({}, () => {
      throw new Error('disk full');
    });
    const call = callSteps(client);
    await settleTurns();
    expect(call.progress).toEqual([1, 3]);
    await expectResponseIn(call, clock, 10, { ...text('disk full'), isError: true });
    expect(errors).toEqual([]);
  });

  it('no notification sent (the request carried no token): no wait', async () => {
    const { client } = await openSteps({});
    const outcome: { result?: unknown } = {};
    void client.callTool({ name: 'steps' }, CallToolResultSchema).then((result) => {
      outcome.result = result;
    });
    await settleTurns(); // no clock advance
    expect(outcome.result).toEqual(text('done'));
  });

  it('a cancelled request: no wait (the SDK sends no response)', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const sent: unknown[] = [];
    const extra = {
      _meta: { progressToken: 'job' },
      signal: controller.signal,
      sendNotification: async (notification: unknown) => {
        sent.push(notification);
        return Promise.resolve();
      },
    } as unknown as ToolExtra;
    const tool = withProgress(
      async (_extra, reporter) => {
        reporter.next({ progress: 1, total: 2 });
        await settle();
        controller.abort(new Error('cancelled by the client'));
        return text('too late');
      },
      { scheduler: clock.scheduler, maxUpdatesPerSecond: Infinity },
    );
    const outcome: { result?: unknown } = {};
    void tool(extra).then((result) => {
      outcome.result = result;
    });
    await settleTurns(); // no clock advance
    expect(outcome.result).toEqual(text('too late'));
    expect(sent).toHaveLength(1);
  });

  it('checks responseDelayMs when wrapping', () => {
    const handler = async (): Promise<CallToolResult> => Promise.resolve(text('x'));
    for (const bad of [-1, NaN, Infinity, 2 ** 31]) {
      expect(() => withProgress(handler, { responseDelayMs: bad })).toThrow(
        /responseDelayMs must be a number of milliseconds from 0 to 2147483647/,
      );
    }
    expect(() => withProgress(handler, { responseDelayMs: 0 })).not.toThrow();
  });
});
