/**
 * reporterFor: a ProgressReporter for the `extra` of SDK request handlers (McpServer tools, a low-level
 * Server's handlers, a Client's handlers), with the real SDK on both ends of an InMemoryTransport.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ErrorCode,
  type CallToolResult,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom, take, toArray, VirtualTimeScheduler } from 'rxjs';
import * as z from 'zod';
import { ProgressError, type ProgressErrorResult, type ProgressReporter } from '../../src/index.js';
import {
  callToolWithProgress,
  reporterFor,
  requestWithProgress,
  type ToolExtra,
} from '../../src/sdk/index.js';
import { eventShape } from './support/events.js';
import { settle } from './support/inMemory.js';
import { recordedConnections } from './support/wire.js';

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** A promise and its resolve. */
const deferred = <T>(): { promise: Promise<T>; resolve: (value: T) => void } => {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('reporterFor', () => {
  const session = recordedConnections();
  const open = session.open;

  describe('in an McpServer tool', () => {
    it('sends with the request’s token through extra.sendNotification: `complete(); await done;`, then the result', async () => {
      const { client } = await open({
        setup: (server) => {
          server.registerTool(
            'build',
            { inputSchema: { steps: z.number().int() } },
            async ({ steps }, extra) => {
              const reporter = reporterFor(extra);
              for (let i = 1; i <= steps; i++) {
                await settle();
                reporter.next({ progress: i, total: steps });
              }
              reporter.complete();
              await reporter.done;
              return text('built');
            },
          );
        },
      });
      const events = await lastValueFrom(
        callToolWithProgress(
          client,
          { name: 'build', arguments: { steps: 3 } },
          { progressToken: 'build-1', maxUpdatesPerSecond: Infinity },
        ).pipe(toArray()),
      );
      expect(eventShape(events)).toEqual([1, 2, 3, 'result']);
      expect(session.wire.progress()).toEqual([
        { progressToken: 'build-1', progress: 1, total: 3 },
        { progressToken: 'build-1', progress: 2, total: 3 },
        { progressToken: 'build-1', progress: 3, total: 3 },
      ]);
    });

    it('closes when extra.signal aborts: the held input is dropped, nothing more is sent, done resolves', async () => {
      const sent: unknown[] = [];
      const problems: ProgressErrorResult[] = [];
      const reporter = deferred<ProgressReporter>();
      const aborted = deferred<undefined>();
      const { client } = await open({
        setup: (server) => {
          server.registerTool('slow', {}, async (extra) => {
            // The real extra, with its sendNotification counted.
            const counted = {
              ...extra,
              sendNotification: (n: ServerNotification) => {
                sent.push(n.params);
                return extra.sendNotification(n);
              },
            };
            const r = reporterFor(counted, {
              burst: 1,
              scheduler: new VirtualTimeScheduler(), // the bucket never refills
              onError: (p) => problems.push(p),
            });
            extra.signal.addEventListener('abort', () => {
              aborted.resolve(undefined);
            });
            r.next({ progress: 1, total: 4 }); // sent
            await settle();
            r.next({ progress: 2, total: 4 }); // held: the bucket is empty
            reporter.resolve(r);
            await aborted.promise;
            r.next({ progress: 3, total: 4 }); // after closing: STATE_ERROR
            return text('never sent');
          });
        },
      });
      await lastValueFrom(callToolWithProgress(client, { name: 'slow' }).pipe(take(1)));
      await aborted.promise;
      const r = await reporter.promise;
      expect(r.closed).toBe(true);
      await expect(r.done).resolves.toBeUndefined();
      await settle();
      expect(sent).toEqual([
        { progressToken: expect.any(String) as unknown, progress: 1, total: 4 },
      ]);
      expect(session.wire.shape()).toEqual(['p1']);
      expect(problems.map((p) => p.error)).toEqual([ProgressError.STATE_ERROR]);
    });

    it('closes when the connection closes (the SDK aborts every handler’s signal); an extra already aborted gives a closed reporter', async () => {
      const running = deferred<{ extra: ToolExtra; reporter: ProgressReporter }>();
      const { client } = await open({
        setup: (server) => {
          server.registerTool('held', {}, async (extra) => {
            const reporter = reporterFor(extra);
            reporter.next({ progress: 1 });
            running.resolve({ extra, reporter });
            await new Promise((resolve) => {
              extra.signal.addEventListener('abort', resolve);
            });
            return text('closed');
          });
        },
      });
      const call = lastValueFrom(callToolWithProgress(client, { name: 'held' })).catch(
        (error: unknown) => error,
      );
      const { extra, reporter } = await running.promise;
      expect(reporter.closed).toBe(false);
      await client.close(); // closes both ends of the in-memory pair
      expect(await call).toMatchObject({ code: ErrorCode.ConnectionClosed });
      expect(extra.signal.aborted).toBe(true);
      expect(reporter.closed).toBe(true);
      await expect(reporter.done).resolves.toBeUndefined();

      const problems: ProgressErrorResult[] = [];
      const late = reporterFor(extra, { onError: (p) => problems.push(p) });
      expect(late.closed).toBe(true);
      late.next({ progress: 2 });
      await expect(late.done).resolves.toBeUndefined();
      expect(problems.map((p) => p.error)).toEqual([ProgressError.STATE_ERROR]);
      expect(session.wire.shape()).toEqual(['p1']);
    });
  });

  it('works in a low-level Server’s setRequestHandler handler', async () => {
    // The low-level Server under an McpServer (its own class is deprecated for direct use).
    const { server } = new McpServer(
      { name: 'low-level', version: '1.0.0' },
      { capabilities: { tools: {} } },
    );
    server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const reporter = reporterFor(extra, { maxUpdatesPerSecond: Infinity });
      for (let i = 1; i <= 3; i++) {
        await settle();
        reporter.next({ progress: i, total: 3, message: request.params.name });
      }
      reporter.complete();
      await reporter.done;
      return text('low-level');
    });
    const client = new Client({ name: 'low-level-client', version: '1.0.0' });
    const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
    await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
    const events = await lastValueFrom(
      callToolWithProgress(
        client,
        { name: 'anything' },
        { progressToken: 3, maxUpdatesPerSecond: Infinity },
      ).pipe(toArray()),
    );
    await client.close();
    expect(events).toEqual([
      ...[1, 2, 3].map((progress) => ({
        type: 'progress',
        update: { progressToken: 3, progress, total: 3, message: 'anything' },
      })),
      { type: 'result', result: text('low-level') },
    ]);
  });

  it('works in a client’s request handler: progress from the client to the server (sampling)', async () => {
    const { server } = await open({
      clientCapabilities: { sampling: {} },
      setup: (_server, client) => {
        client.setRequestHandler(CreateMessageRequestSchema, async (_request, extra) => {
          const reporter = reporterFor(extra);
          for (let i = 1; i <= 2; i++) {
            await settle();
            reporter.next({ progress: i, total: 2, message: `token ${String(i)}` });
          }
          reporter.complete();
          await reporter.done;
          return { model: 'test', role: 'assistant', content: { type: 'text', text: 'sampled' } };
        });
      },
    });
    const events = await lastValueFrom(
      requestWithProgress(
        server.server,
        {
          method: 'sampling/createMessage',
          params: { messages: [], maxTokens: 10 },
        },
        CreateMessageResultSchema,
        { maxUpdatesPerSecond: Infinity },
      ).pipe(toArray()),
    );
    expect(eventShape(events)).toEqual([1, 2, 'result']);
    expect(events.at(-1)).toMatchObject({ type: 'result', result: { model: 'test' } });
  });
});
