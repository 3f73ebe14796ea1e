import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  type CallToolResult,
  type JSONRPCMessage,
} from '@modelcontextprotocol/sdk/types.js';
import { filter, firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { ProgressError, ProgressFailure, type ProgressErrorResult } from '../../src/index.js';
import {
  callToolWithProgress,
  fromTransport,
  isResultEvent,
  type RequestEvent,
} from '../../src/sdk/index.js';
import { progressOf } from './support/events.js';
import { connect, RemoteTool, settle, VirtualClock, type Connection } from './support/inMemory.js';

type Event = RequestEvent<CallToolResult>;

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
const result = (value: string): Event => ({ type: 'result', result: text(value) });

/** Subscribes and records everything, for tests that drive time and the server step by step. */
const record = <T>(source: Observable<T>) => {
  const log = { values: [] as T[], error: undefined as unknown, completed: false };
  const subscription = source.subscribe({
    next: (value) => log.values.push(value),
    error: (error: unknown) => {
      log.error = error;
    },
    complete: () => {
      log.completed = true;
    },
  });
  return { log, subscription };
};

describe('callToolWithProgress (SDK McpServer and Client over InMemoryTransport)', () => {
  let tool: RemoteTool;
  let c: Connection;
  const setup = (server: McpServer): void => {
    server.registerTool('remote', {}, tool.handler);
    server.registerTool('steps', {}, async (extra) => {
      const progressToken = extra._meta?.progressToken;
      if (progressToken !== undefined) {
        for (let i = 1; i <= 4; i++) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: i, total: 4, message: `step ${String(i)}` },
          });
        }
      }
      return text('stepped');
    });
    server.registerTool('flood', {}, async (extra) => {
      const progressToken = extra._meta?.progressToken ?? 'none';
      for (let i = 1; i <= 10_000; i++) {
        void extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: i, total: 10_000 },
        });
      }
      return Promise.resolve(text('flooded'));
    });
    server.registerTool('throws', {}, async (extra) => {
      const progressToken = extra._meta?.progressToken ?? 'none';
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: 1, total: 2 },
      });
      throw new Error('tool failed halfway');
    });
  };

  beforeEach(async () => {
    tool = new RemoteTool();
    c = await connect({ setup });
  });

  afterEach(async () => {
    // No progress of ours ever reaches the SDK's own routing (it would report an unknown token).
    expect(c.clientErrors).toEqual([]);
    await c.close();
  });

  it('emits increasing updates, the final one, then the result, and completes', async () => {
    const events = await lastValueFrom(
      callToolWithProgress(c.client, { name: 'steps' }, { maxUpdatesPerSecond: Infinity }).pipe(
        toArray(),
      ),
    );
    expect(progressOf(events)).toEqual([1, 2, 3, 4]);
    expect(events[3]).toEqual({
      type: 'progress',
      update: {
        progressToken: expect.any(String) as unknown,
        progress: 4,
        total: 4,
        message: 'step 4',
      },
    });
    expect(events[4]).toEqual(result('stepped'));
    expect(events).toHaveLength(5);
  });

  it('is cold: nothing is sent until subscription, and each subscription calls the tool', async () => {
    const call$ = callToolWithProgress(c.client, { name: 'remote' });
    await settle();
    expect(tool.calls).toBe(0);
    const first = lastValueFrom(call$);
    (await tool.next()).finish('one');
    const second = lastValueFrom(call$);
    (await tool.next()).finish('two');
    expect(await first).toEqual(result('one'));
    expect(await second).toEqual(result('two'));
    expect(tool.calls).toBe(2);
  });

  describe('progress tokens', () => {
    it('sends a fresh string token by default, and routes it end to end', async () => {
      const run = lastValueFrom(callToolWithProgress(c.client, { name: 'remote' }).pipe(toArray()));
      const call = await tool.next();
      expect(typeof call.token).toBe('string');
      await call.progress(1, 2);
      call.finish();
      const events = await run;
      expect(events[0]).toEqual({
        type: 'progress',
        update: { progressToken: call.token, progress: 1, total: 2 },
      });
    });

    it('sends the integer token it is given, unconverted', async () => {
      const run = lastValueFrom(
        callToolWithProgress(c.client, { name: 'remote' }, { progressToken: 42 }).pipe(toArray()),
      );
      const call = await tool.next();
      expect(call.token).toBe(42);
      await call.progress(1, 2);
      call.finish();
      expect((await run)[0]).toEqual({
        type: 'progress',
        update: { progressToken: 42, progress: 1, total: 2 },
      });
    });

    it('sends the string token it is given, even one that looks like a number', async () => {
      const run = lastValueFrom(
        callToolWithProgress(c.client, { name: 'remote' }, { progressToken: '7' }).pipe(toArray()),
      );
      const call = await tool.next();
      expect(call.token).toBe('7');
      await call.progress(3, 4);
      call.finish();
      expect(progressOf(await run)).toEqual([3]);
    });

    it('routes concurrent calls on one client by token', async () => {
      const a = lastValueFrom(callToolWithProgress(c.client, { name: 'remote' }).pipe(toArray()));
      const b = lastValueFrom(callToolWithProgress(c.client, { name: 'remote' }).pipe(toArray()));
      const callA = await tool.next();
      const callB = await tool.next();
      expect(callA.token).not.toEqual(callB.token);
      await callB.progress(10, 100);
      await callA.progress(1, 10);
      callB.finish('b');
      await callA.progress(2, 10);
      callA.finish('a');
      expect(await a).toEqual([
        { type: 'progress', update: { progressToken: callA.token, progress: 1, total: 10 } },
        { type: 'progress', update: { progressToken: callA.token, progress: 2, total: 10 } },
        result('a'),
      ]);
      expect(await b).toEqual([
        { type: 'progress', update: { progressToken: callB.token, progress: 10, total: 100 } },
        result('b'),
      ]);
    });

    it('refuses a token that another call on the transport is using: errors at once, sends nothing', async () => {
      const first = lastValueFrom(
        callToolWithProgress(c.client, { name: 'remote' }, { progressToken: 'mine' }),
      );
      const call = await tool.next();
      const error = await lastValueFrom(
        callToolWithProgress(c.client, { name: 'remote' }, { progressToken: 'mine' }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProgressFailure);
      expect(error).toMatchObject({ error: ProgressError.STATE_ERROR });
      expect(tool.calls).toBe(1);
      call.finish();
      await first;
    });

    it('checks its options when called', () => {
      expect(() => callToolWithProgress(c.client, { name: 'x' }, { progressToken: 1.5 })).toThrow(
        RangeError,
      );
      expect(() =>
        callToolWithProgress(c.client, { name: 'x' }, { maxUpdatesPerSecond: 0 }),
      ).toThrow(RangeError);
      expect(() => callToolWithProgress(c.client, { name: 'x' }, { timeoutMs: -1 })).toThrow(
        RangeError,
      );
      expect(() => callToolWithProgress(c.client, { name: 'x' }, { timeoutMs: 2 ** 31 })).toThrow(
        RangeError,
      );
      expect(() =>
        callToolWithProgress(c.client, { name: 'x' }, { maxTotalTimeoutMs: NaN }),
      ).toThrow(RangeError);
      expect(() =>
        callToolWithProgress(c.client, { name: 'x' }, { timeoutMs: Infinity }),
      ).not.toThrow();
    });
  });

  describe('rate and order', () => {
    it('a flooding tool (10,000 notifications) gives the first and the final update, then the result', async () => {
      const clock = new VirtualClock();
      const events = await lastValueFrom(
        callToolWithProgress(c.client, { name: 'flood' }, { scheduler: clock.scheduler }).pipe(
          toArray(),
        ),
      );
      expect(progressOf(events)).toEqual([1, 10_000]);
      expect(events[2]).toEqual(result('flooded'));
    });

    it('throttles to maxUpdatesPerSecond, and emits the held update before the result', async () => {
      const clock = new VirtualClock();
      const diagnostics: ProgressErrorResult[] = [];
      const { log } = record(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          {
            scheduler: clock.scheduler,
            maxUpdatesPerSecond: 4,
            onError: (d) => diagnostics.push(d),
          },
        ),
      );
      const call = await tool.next();
      await call.progress(1, 10); // t=0: emitted, opens a 250 ms window
      await call.progress(2, 10); // held
      await call.progress(3, 10); // replaces 2
      expect(progressOf(log.values)).toEqual([1]);
      clock.advance(250); // window ends: 3 goes out
      expect(progressOf(log.values)).toEqual([1, 3]);
      await call.progress(4, 10); // held in the next window
      call.finish();
      await settle();
      expect(log.values.slice(2)).toEqual([
        { type: 'progress', update: { progressToken: call.token, progress: 4, total: 10 } },
        result('done'),
      ]);
      expect(log.completed).toBe(true);
      expect(diagnostics).toEqual([expect.objectContaining({ error: ProgressError.RATE_LIMIT })]);
    });

    it('drops non-increasing and malformed progress, reporting it to onError, never erroring', async () => {
      const diagnostics: ProgressErrorResult[] = [];
      const run = lastValueFrom(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          { maxUpdatesPerSecond: Infinity, onError: (d) => diagnostics.push(d) },
        ).pipe(toArray()),
      );
      const call = await tool.next();
      await call.progress(5, 10);
      await call.progress(4, 10);
      await call.extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken: call.token ?? '', progress: -1 },
      });
      await call.progress(6, 10);
      call.finish();
      expect(progressOf(await run)).toEqual([5, 6]);
      expect(diagnostics.map((d) => d.error)).toEqual([
        ProgressError.INVALID_PROGRESS,
        ProgressError.INVALID_PROGRESS,
      ]);
    });
  });

  describe('errors', () => {
    it('a tool that throws: progress, then a result with isError (the SDK McpServer answers so)', async () => {
      const events = await lastValueFrom(
        callToolWithProgress(c.client, { name: 'throws' }).pipe(toArray()),
      );
      expect(progressOf(events)).toEqual([1]);
      expect(events[1]).toEqual({
        type: 'result',
        result: { content: [{ type: 'text', text: 'tool failed halfway' }], isError: true },
      });
    });

    it('a closed connection errors with the SDK error, after the held progress', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(c.client, { name: 'remote' }, { scheduler: clock.scheduler }),
      );
      const call = await tool.next();
      await call.progress(1, 10);
      await call.progress(2, 10); // held by the throttle
      await c.client.close();
      await settle();
      expect(progressOf(log.values)).toEqual([1, 2]);
      expect(log.error).toBeInstanceOf(McpError);
      expect(log.error).toMatchObject({ code: ErrorCode.ConnectionClosed });
    });

    it('a client that is not connected errors with the SDK error', async () => {
      await c.client.close();
      await expect(
        lastValueFrom(callToolWithProgress(c.client, { name: 'remote' })),
      ).rejects.toThrow('Not connected');
    });
  });

  describe('timeouts (virtual time)', () => {
    it('timeoutMs is an idle timeout that every progress notification restarts', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          { scheduler: clock.scheduler, timeoutMs: 1000 },
        ),
      );
      const call = await tool.next();
      clock.advance(900);
      await call.progress(1, 10); // restarts: due at 1900
      clock.advance(900);
      await call.progress(2, 10); // restarts: due at 2800
      clock.advance(999);
      expect(log.error).toBeUndefined();
      expect(call.extra.signal.aborted).toBe(false);
      clock.advance(1);
      expect(log.error).toBeInstanceOf(McpError);
      expect(log.error).toMatchObject({
        code: ErrorCode.RequestTimeout,
        data: { timeout: 1000, reason: 'idleTimeout' },
      });
      expect(progressOf(log.values)).toEqual([1, 2]);
      // The timeout cancelled the request.
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
    });

    it('the idle timeout defaults to 60 s', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(c.client, { name: 'remote' }, { scheduler: clock.scheduler }),
      );
      const call = await tool.next();
      clock.advance(59_999);
      expect(log.error).toBeUndefined();
      clock.advance(1);
      expect(log.error).toMatchObject({
        code: ErrorCode.RequestTimeout,
        data: { timeout: 60_000 },
      });
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
    });

    it('covers the wait after the final update too', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          { scheduler: clock.scheduler, timeoutMs: 1000 },
        ),
      );
      const call = await tool.next();
      await call.progress(10, 10);
      expect(progressOf(log.values)).toEqual([10]);
      clock.advance(1000);
      expect(log.error).toMatchObject({
        code: ErrorCode.RequestTimeout,
        data: { reason: 'idleTimeout' },
      });
    });

    it('maxTotalTimeoutMs is a hard cap that progress does not extend', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          { scheduler: clock.scheduler, timeoutMs: 1000, maxTotalTimeoutMs: 2500 },
        ),
      );
      const call = await tool.next();
      for (const at of [1, 2, 3]) {
        clock.advance(800);
        await call.progress(at, 10);
      }
      clock.advance(99); // t = 2499
      expect(log.error).toBeUndefined();
      clock.advance(1);
      expect(log.error).toMatchObject({
        code: ErrorCode.RequestTimeout,
        data: { timeout: 2500, reason: 'totalTimeout' },
      });
      expect(progressOf(log.values)).toEqual([1, 2, 3]);
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
    });

    it('timeoutMs: Infinity turns the idle timeout off', async () => {
      const clock = new VirtualClock();
      const { log } = record(
        callToolWithProgress(
          c.client,
          { name: 'remote' },
          { scheduler: clock.scheduler, timeoutMs: Infinity },
        ),
      );
      const call = await tool.next();
      clock.advance(10 * 60_000);
      call.finish();
      await settle();
      expect(log.values).toEqual([result('done')]);
    });
  });

  describe('cancellation', () => {
    /** What the server receives, and what the client receives, seen with fromTransport. */
    const watch = () => {
      const serverIn: JSONRPCMessage[] = [];
      const clientIn: JSONRPCMessage[] = [];
      const subs = [
        fromTransport(c.serverTransport).subscribe((m) => serverIn.push(m)),
        fromTransport(c.clientTransport).subscribe((m) => clientIn.push(m)),
      ];
      return {
        serverIn,
        clientIn,
        stop: () => {
          for (const s of subs) s.unsubscribe();
        },
      };
    };

    it('unsubscribing before the result cancels: the tool sees extra.signal abort, and nothing follows', async () => {
      const w = watch();
      const { log, subscription } = record(callToolWithProgress(c.client, { name: 'remote' }));
      const call = await tool.next();
      await call.progress(1, 4);
      subscription.unsubscribe();
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
      expect(w.serverIn).toContainEqual({
        jsonrpc: '2.0',
        method: 'notifications/cancelled',
        params: {
          requestId: call.extra.requestId,
          reason: expect.stringContaining('unsubscribed') as unknown,
        },
      });
      const before = w.clientIn.length;
      await call.progress(2, 4); // the SDK sends nothing for a cancelled request
      call.finish(); // nor its response
      await settle();
      expect(w.clientIn.slice(before)).toEqual([]);
      expect(progressOf(log.values)).toEqual([1]);
      expect(log.completed).toBe(false);
      expect(log.error).toBeUndefined();
      w.stop();
    });

    it('take(n) unsubscribes too, and cancels', async () => {
      const first = firstValueFrom(callToolWithProgress(c.client, { name: 'remote' }));
      const call = await tool.next();
      await call.progress(1, 4);
      expect(await first).toMatchObject({ type: 'progress', update: { progress: 1 } });
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
    });

    it('an AbortSignal cancels the same way, and errors with the SDK error for an aborted request', async () => {
      const w = watch();
      const controller = new AbortController();
      const { log } = record(
        callToolWithProgress(c.client, { name: 'remote' }, { signal: controller.signal }),
      );
      const call = await tool.next();
      await call.progress(1, 4);
      controller.abort('user clicked stop');
      await settle();
      expect(call.extra.signal.aborted).toBe(true);
      expect(w.serverIn).toContainEqual(
        expect.objectContaining({
          method: 'notifications/cancelled',
          params: { requestId: call.extra.requestId, reason: 'user clicked stop' },
        }),
      );
      expect(progressOf(log.values)).toEqual([1]);
      expect(log.error).toBeInstanceOf(McpError);
      expect(String(log.error)).toContain('user clicked stop');
      w.stop();
    });

    it('an AbortSignal aborted beforehand: errors at once and sends nothing', async () => {
      const controller = new AbortController();
      controller.abort(new Error('too late'));
      await expect(
        lastValueFrom(
          callToolWithProgress(c.client, { name: 'remote' }, { signal: controller.signal }),
        ),
      ).rejects.toThrow('too late');
      await settle();
      expect(tool.calls).toBe(0);
    });
  });

  describe('late progress (after the response)', () => {
    it('never reaches subscribers, never errors, and is kept from the SDK (no onerror)', async () => {
      const arrived = firstValueFrom(
        fromTransport(c.clientTransport).pipe(
          filter((m) => 'method' in m && m.method === 'notifications/progress'),
          take(2),
          toArray(),
        ),
      );
      const run = lastValueFrom(
        callToolWithProgress(c.client, { name: 'remote' }, { maxUpdatesPerSecond: Infinity }).pipe(
          toArray(),
        ),
      );
      const call = await tool.next();
      await call.progress(1, 4);
      call.finish();
      const events = await run;
      await call.progress(2, 4); // late: after the response
      expect(await arrived).toHaveLength(2); // it did arrive at the client
      await settle();
      expect(events).toEqual([
        { type: 'progress', update: { progressToken: call.token, progress: 1, total: 4 } },
        result('done'),
      ]);
      // afterEach checks that client.onerror saw nothing.
    });

    it('(the SDK alone reports such late progress to client.onerror as an unknown token)', async () => {
      const seen: number[] = [];
      const done = c.client.callTool({ name: 'remote' }, CallToolResultSchema, {
        onprogress: (p) => seen.push(p.progress),
      });
      const call = await tool.next();
      await call.progress(1, 4);
      await settle();
      call.finish();
      await done;
      await call.progress(2, 4);
      await settle();
      expect(seen).toEqual([1]);
      expect(c.clientErrors.map((e) => e.message)).toEqual([
        expect.stringContaining('Received a progress notification for an unknown token'),
      ]);
      c.clientErrors.length = 0;
    });
  });

  describe('alongside fromTransport', () => {
    it('a fromTransport subscribed before connect (below the SDK) still sees our progress, once each', async () => {
      await c.close();
      const seen: JSONRPCMessage[] = [];
      c = await connect({
        setup,
        beforeConnect: (clientTransport) => {
          fromTransport(clientTransport).subscribe((m) => seen.push(m));
        },
      });
      const events = await lastValueFrom(
        callToolWithProgress(c.client, { name: 'steps' }, { maxUpdatesPerSecond: Infinity }).pipe(
          toArray(),
        ),
      );
      expect(progressOf(events)).toEqual([1, 2, 3, 4]);
      const progress = seen.filter((m) => 'method' in m && m.method === 'notifications/progress');
      expect(progress.map((m) => ('params' in m ? m.params?.progress : undefined))).toEqual([
        1, 2, 3, 4,
      ]);
    });

    it('a fromTransport subscribed after the library’s router (above it) sees our progress, once each', async () => {
      await lastValueFrom(callToolWithProgress(c.client, { name: 'steps' })); // chains the router
      const seen: JSONRPCMessage[] = [];
      const sub = fromTransport(c.clientTransport).subscribe((m) => seen.push(m));
      await lastValueFrom(callToolWithProgress(c.client, { name: 'steps' }));
      const progress = seen.filter((m) => 'method' in m && m.method === 'notifications/progress');
      expect(progress).toHaveLength(4);
      sub.unsubscribe();
    });

    it('a transport whose send cannot be replaced still works (the request ends on its result)', async () => {
      const send = c.clientTransport.send.bind(c.clientTransport);
      Object.defineProperty(c.clientTransport, 'send', { value: send, writable: false });
      const events = await lastValueFrom(
        callToolWithProgress(c.client, { name: 'steps' }, { maxUpdatesPerSecond: Infinity }).pipe(
          toArray(),
        ),
      );
      expect(progressOf(events)).toEqual([1, 2, 3, 4]);
      expect(events[4]).toEqual(result('stepped'));
    });

    it('filters with isProgressEvent and isResultEvent', async () => {
      const run$ = callToolWithProgress(
        c.client,
        { name: 'steps' },
        { maxUpdatesPerSecond: Infinity },
      );
      const results = await lastValueFrom(run$.pipe(filter(isResultEvent), toArray()));
      expect(results).toEqual([result('stepped')]);
    });
  });
});
