/**
 * Transport faults with the official SDK over `InMemoryTransport`: a peer that closes mid-request, a
 * transport that reports an error, a `send` that fails for the request or for its cancellation, a
 * request cancelled while its final notification is in flight, a server whose transport closes
 * while its reporter sends. The library's timers run on the real clock here (`asyncScheduler`,
 * wrapped to count them), so `jest --detectOpenHandles` sees any that would be left.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import {
  CallToolResultSchema,
  EmptyResultSchema,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { asyncScheduler, finalize, lastValueFrom, Subject, type Observable } from 'rxjs';
import {
  ProgressError,
  ProgressManager,
  ProgressReporter,
  type ProgressErrorResult,
  type ProgressNotification,
} from '../../src/index.js';
import {
  callToolWithProgress,
  fromTransport,
  requestWithProgress,
  type ToolExtra,
} from '../../src/sdk/index.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';
import { deferred, settleTurns } from '../reporter/support.js';
import { connect, RemoteTool, settle, type Connection } from '../sdk/support/inMemory.js';
import { progressOf } from '../sdk/support/events.js';
import { noUnhandledRejections } from './health.js';

noUnhandledRejections();

/** Subscribes and records everything, with how it ended. */
const record = <T>(source: Observable<T>) => {
  const log: { values: T[]; end: 'complete' | { error: unknown } | undefined; finalized: boolean } =
    {
      values: [],
      end: undefined,
      finalized: false,
    };
  const subscription = source.pipe(finalize(() => (log.finalized = true))).subscribe({
    next: (value) => log.values.push(value),
    error: (error: unknown) => (log.end = { error }),
    complete: () => (log.end = 'complete'),
  });
  return { log, subscription };
};

describe('SDK transport faults', () => {
  let tool: RemoteTool;
  let c: Connection;
  /** The server side's reporters, by test. */
  let serverReporters: { reporter: ProgressReporter; problems: ProgressErrorResult[] }[];
  let gate = deferred();
  const setup = (server: McpServer): void => {
    server.registerTool('remote', {}, tool.handler);
    // A tool that reports through a ProgressReporter whose final send waits at a gate.
    server.registerTool('gated', {}, async (extra: ToolExtra) => {
      const reporter = new ProgressReporter(extra._meta?.progressToken, async (n) => {
        if (n.params.progress === 2) await gate.promise;
        await extra.sendNotification(n);
      });
      const problems: ProgressErrorResult[] = [];
      reporter.errors$.subscribe((p) => problems.push(p));
      serverReporters.push({ reporter, problems });
      reporter.next({ progress: 1, total: 2 });
      reporter.next({ progress: 2, total: 2 }); // final: in flight once the first send settles
      reporter.complete();
      await reporter.done;
      return { content: [{ type: 'text', text: 'gated' }] };
    });
  };

  beforeEach(async () => {
    tool = new RemoteTool();
    serverReporters = [];
    gate = deferred();
    c = await connect({ setup });
  });

  afterEach(async () => {
    await c.close();
    await settleTurns();
  });

  it('the peer closes the connection mid-request: held progress, then ConnectionClosed; no timer left', async () => {
    const scheduler = trackingScheduler(asyncScheduler); // default 60 s idle timeout, 10/s throttle
    const { log } = record(callToolWithProgress(c.client, { name: 'remote' }, { scheduler }));
    const call = await tool.next();
    await call.progress(1, 10);
    await call.progress(2, 10); // held by the throttle
    expect(scheduler.pending).toBe(2); // throttle window, idle timeout
    await c.serverTransport.close(); // the peer goes away
    await settle();
    expect(progressOf(log.values)).toEqual([1, 2]);
    expect((log.end as { error: unknown }).error).toBeInstanceOf(McpError);
    expect((log.end as { error: McpError }).error.code).toBe(ErrorCode.ConnectionClosed);
    expect(scheduler.pending).toBe(0);
  });

  it('requestWithProgress: the client closes mid-request: held progress, then ConnectionClosed; no timer left', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const { log } = record(
      requestWithProgress(
        c.client,
        { method: 'tools/call', params: { name: 'remote', arguments: {} } },
        CallToolResultSchema,
        { scheduler, maxTotalTimeoutMs: 600_000 },
      ),
    );
    const call = await tool.next();
    await call.progress(1);
    await call.progress(2); // held by the throttle
    expect(scheduler.pending).toBe(3); // throttle window, idle timeout, total timeout
    await c.client.close();
    await settle();
    expect(progressOf(log.values)).toEqual([1, 2]);
    expect((log.end as { error: McpError }).error.code).toBe(ErrorCode.ConnectionClosed);
    expect(scheduler.pending).toBe(0);
  });

  it('the transport reports an error mid-request: fromTransport errors, the request goes on and completes', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const observed = record(fromTransport(c.clientTransport));
    const { log } = record(
      callToolWithProgress(
        c.client,
        { name: 'remote' },
        { scheduler, maxUpdatesPerSecond: Infinity },
      ),
    );
    const call = await tool.next();
    await call.progress(1, 2);
    c.clientTransport.onerror?.(new Error('bad frame'));
    expect(observed.log.end).toEqual({ error: new Error('bad frame') });
    expect(c.clientErrors).toEqual([new Error('bad frame')]); // the SDK's handler still got it
    await call.progress(2, 2);
    call.finish('after the error');
    await settle();
    expect(progressOf(log.values)).toEqual([1, 2]);
    expect(log.end).toBe('complete');
    expect(scheduler.pending).toBe(0);
    c.clientErrors.length = 0;
  });

  it('a transport whose send fails for the request: errors with the failure, the token is free again, no timer', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const send = c.clientTransport.send.bind(c.clientTransport);
    c.clientTransport.send = (message: JSONRPCMessage, options) =>
      'method' in message && message.method === 'tools/call'
        ? Promise.reject(new Error('write EPIPE'))
        : send(message, options);
    const { log } = record(
      callToolWithProgress(c.client, { name: 'remote' }, { scheduler, progressToken: 'fixed' }),
    );
    await settle();
    expect(log.end).toEqual({ error: new Error('write EPIPE') });
    expect(scheduler.pending).toBe(0);
    Reflect.deleteProperty(c.clientTransport, 'send');
    const again = record(
      callToolWithProgress(c.client, { name: 'remote' }, { scheduler, progressToken: 'fixed' }),
    );
    (await tool.next()).finish('second try');
    await settle();
    expect(again.log.end).toBe('complete');
  });

  it('unsubscribing while the transport fails: the cancellation cannot be sent, and nothing is unhandled', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const { log, subscription } = record(
      callToolWithProgress(c.client, { name: 'remote' }, { scheduler }),
    );
    const call = await tool.next();
    await call.progress(1, 4);
    c.clientTransport.send = () => Promise.reject(new Error('write EPIPE'));
    subscription.unsubscribe(); // the SDK tries to send notifications/cancelled
    await settle();
    expect(log.finalized).toBe(true);
    expect(log.end).toBeUndefined(); // unsubscribed: ended by the subscriber
    expect(progressOf(log.values)).toEqual([1]);
    expect(c.clientErrors.map((e) => e.message)).toEqual([
      expect.stringContaining('Failed to send cancellation') as unknown,
    ]);
    expect(scheduler.pending).toBe(0);
    c.clientErrors.length = 0;
    Reflect.deleteProperty(c.clientTransport, 'send');
    call.finish();
  });

  it('a request cancelled while its final notification is in flight: nothing more arrives, the server’s reporter settles', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const { log, subscription } = record(
      callToolWithProgress(
        c.client,
        { name: 'gated' },
        { scheduler, maxUpdatesPerSecond: Infinity },
      ),
    );
    await settle();
    expect(progressOf(log.values)).toEqual([1]); // the final one waits at the gate
    const [{ reporter, problems }] = serverReporters;
    subscription.unsubscribe(); // cancel
    await settle();
    gate.resolve(); // the final notification leaves, after the cancellation
    await reporter.done; // resolves: the SDK drops a notification of a cancelled request
    await settle();
    expect(progressOf(log.values)).toEqual([1]);
    expect(log.end).toBeUndefined();
    expect(log.finalized).toBe(true);
    expect(problems).toEqual([]);
    expect(c.clientErrors).toEqual([]); // nothing late reached the SDK's routing
    expect(scheduler.pending).toBe(0);
  });

  it('the final notification and the response in flight when the client aborts: late, consumed quietly', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    // The server's messages wait in a queue: they are "in flight" until delivered.
    const queue: JSONRPCMessage[] = [];
    const serverSend = c.serverTransport.send.bind(c.serverTransport);
    c.serverTransport.send = (message: JSONRPCMessage) => {
      queue.push(message);
      return Promise.resolve();
    };
    const controller = new AbortController();
    const { log } = record(
      callToolWithProgress(
        c.client,
        { name: 'remote' },
        { scheduler, signal: controller.signal, maxUpdatesPerSecond: Infinity },
      ),
    );
    const call = await tool.next();
    await call.progress(1, 2);
    await call.progress(2, 2); // final
    call.finish();
    await settle();
    expect(queue.map((m) => ('method' in m ? m.method : 'response'))).toEqual([
      'notifications/progress',
      'notifications/progress',
      'response',
    ]);
    controller.abort('user gave up');
    await settle();
    Reflect.deleteProperty(c.serverTransport, 'send');
    for (const m of queue) await serverSend(m);
    await settle();
    expect(log.values).toEqual([]);
    expect(log.end).toMatchObject({ error: expect.any(McpError) as unknown });
    // The SDK reports the response to a request it cancelled; the progress never reaches it.
    expect(c.clientErrors.map((e) => e.message)).toEqual([
      expect.stringContaining('unknown message ID') as unknown,
    ]);
    expect(scheduler.pending).toBe(0);
    c.clientErrors.length = 0;
  });

  it('the server’s transport closes while its reporter has a send in flight: done rejects, nothing unhandled', async () => {
    const { log } = record(
      callToolWithProgress(c.client, { name: 'remote' }, { maxUpdatesPerSecond: Infinity }),
    );
    const call = await tool.next();
    const sendGate = deferred();
    const reporter = new ProgressReporter(call.token, async (n: ProgressNotification) => {
      await sendGate.promise;
      await c.serverTransport.send(n); // the transport itself, not the SDK: it refuses once closed
    });
    reporter.next({ progress: 1, total: 2 });
    reporter.next({ progress: 2, total: 2 });
    await c.serverTransport.close();
    sendGate.resolve();
    await expect(reporter.done).rejects.toMatchObject({ error: ProgressError.STATE_ERROR });
    await settle();
    expect((log.end as { error: McpError }).error.code).toBe(ErrorCode.ConnectionClosed);
  });

  it('late progress for old tokens: the router remembers the last 1024 ended tokens, no more', async () => {
    const lateProgress = (progressToken: string): Promise<void> =>
      c.serverTransport.send({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken, progress: 99 },
      });
    for (let i = 0; i <= 1024; i++) {
      await lastValueFrom(
        requestWithProgress(c.client, { method: 'ping' }, EmptyResultSchema, {
          progressToken: `t${String(i)}`,
        }),
      );
    }
    await lateProgress('t1024'); // among the last 1024: consumed quietly
    await lateProgress('t1'); // the oldest still remembered
    await settle();
    expect(c.clientErrors).toEqual([]);
    await lateProgress('t0'); // forgotten: passed down to the SDK, which reports an unknown token
    await settle();
    expect(c.clientErrors.map((e) => e.message)).toEqual([
      expect.stringContaining('unknown token') as unknown,
    ]);
    c.clientErrors.length = 0;
  });

  it('a ProgressManager over fromTransport: the transport closing completes tracked streams (held update first)', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const manager = new ProgressManager(fromTransport(c.clientTransport), {
      scheduler,
      idleTimeoutMs: 60_000,
    });
    const diagnostics = record(manager.errors$);
    const tracked = record(manager.track('mine'));
    const send = (progress: number): Promise<void> =>
      c.serverTransport.send({
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: 'mine', progress },
      });
    await send(1);
    await send(2); // held
    expect(scheduler.pending).toBe(2);
    await c.serverTransport.close();
    expect(tracked.log.values.map((u) => u.progress)).toEqual([1, 2]);
    expect(tracked.log.end).toBe('complete');
    expect(diagnostics.log.end).toBe('complete');
    expect(scheduler.pending).toBe(0);
  });

  it('a ProgressManager over fromTransport: a transport error errors tracked streams; errors$ reports it and completes', () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const messages$ = new Subject<unknown>();
    fromTransport(c.clientTransport).subscribe(messages$);
    const manager = new ProgressManager(messages$, { scheduler, idleTimeoutMs: 60_000 });
    const diagnostics = record(manager.errors$);
    const tracked = record(manager.track('mine'));
    c.clientTransport.onerror?.(new Error('protocol violation'));
    expect(tracked.log.end).toEqual({ error: new Error('protocol violation') });
    expect(diagnostics.log.values.map((d) => d.error)).toEqual([ProgressError.STATE_ERROR]);
    expect(diagnostics.log.end).toBe('complete');
    expect(scheduler.pending).toBe(0);
    c.clientErrors.length = 0;
  });
});
