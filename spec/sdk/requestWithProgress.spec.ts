import {
  CallToolResultSchema,
  EmptyResultSchema,
  ErrorCode,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import { lastValueFrom, toArray } from 'rxjs';
import * as z from 'zod';
import { requestWithProgress, type RequestEvent } from '../../src/sdk/index.js';
import { progressOf } from './support/events.js';
import { connect, RemoteTool } from './support/inMemory.js';

describe('requestWithProgress', () => {
  it('sends any request from a Client, with the result parsed by the given schema', async () => {
    const tool = new RemoteTool();
    const c = await connect({ setup: (server) => server.registerTool('remote', {}, tool.handler) });
    const run = lastValueFrom(
      requestWithProgress(
        c.client,
        { method: 'tools/call', params: { name: 'remote', arguments: {} } },
        CallToolResultSchema,
        { maxUpdatesPerSecond: Infinity },
      ).pipe(toArray()),
    );
    const call = await tool.next();
    await call.progress(1, 2, 'half');
    call.finish('any request');
    expect(await run).toEqual([
      {
        type: 'progress',
        update: { progressToken: call.token, progress: 1, total: 2, message: 'half' },
      },
      { type: 'result', result: { content: [{ type: 'text', text: 'any request' }] } },
    ]);
    expect(c.clientErrors).toEqual([]);
    await c.close();
  });

  it('keeps the request’s other _meta fields, replacing only progressToken', async () => {
    const tool = new RemoteTool();
    const c = await connect({ setup: (server) => server.registerTool('remote', {}, tool.handler) });
    const run = lastValueFrom(
      requestWithProgress(
        c.client,
        {
          method: 'tools/call',
          params: { name: 'remote', _meta: { progressToken: 'theirs', trace: 'abc' } },
        },
        CallToolResultSchema,
        { progressToken: 'ours' },
      ),
    );
    const call = await tool.next();
    expect(call.extra._meta).toEqual({ progressToken: 'ours', trace: 'abc' });
    call.finish();
    await run;
    await c.close();
  });

  it('sends a request from a Server to its Client (peer = McpServer.server)', async () => {
    const c = await connect({
      clientCapabilities: { roots: {} },
      setup: (_server, client) => {
        client.setRequestHandler(ListRootsRequestSchema, async (request, extra) => {
          const progressToken = request.params?._meta?.progressToken;
          if (progressToken !== undefined) {
            for (const progress of [1, 2]) {
              await extra.sendNotification({
                method: 'notifications/progress',
                params: { progressToken, progress, total: 2 },
              });
            }
          }
          return { roots: [{ uri: 'file:///work', name: 'work' }] };
        });
      },
    });
    const events = await lastValueFrom(
      requestWithProgress(c.server.server, { method: 'roots/list' }, ListRootsResultSchema, {
        maxUpdatesPerSecond: Infinity,
      }).pipe(toArray()),
    );
    expect(progressOf(events)).toEqual([1, 2]);
    expect(events[2]).toEqual({
      type: 'result',
      result: { roots: [{ uri: 'file:///work', name: 'work' }] },
    });
    await c.close();
  });

  it('an error response errors with the SDK’s McpError, after the progress sent before it', async () => {
    const FailRequest = z.object({
      method: z.literal('test/fail'),
      params: z.optional(z.looseObject({})),
    });
    const c = await connect({
      setup: (server) => {
        server.server.setRequestHandler(FailRequest, async (_request, extra) => {
          const progressToken = extra._meta?.progressToken;
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress: 1, total: 3 },
            });
          }
          throw new McpError(ErrorCode.InvalidParams, 'no such thing');
        });
      },
    });
    const events: RequestEvent<unknown>[] = [];
    const error = await new Promise((resolve) => {
      requestWithProgress(c.client, { method: 'test/fail' }, EmptyResultSchema).subscribe({
        next: (e) => events.push(e),
        error: resolve,
      });
    });
    expect(progressOf(events)).toEqual([1]);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({
      code: ErrorCode.InvalidParams,
      message: expect.stringContaining('no such thing') as unknown,
    });
    expect(c.clientErrors).toEqual([]);
    await c.close();
  });

  it('a result that does not match the schema errors the Observable', async () => {
    const tool = new RemoteTool();
    const c = await connect({ setup: (server) => server.registerTool('remote', {}, tool.handler) });
    const run = lastValueFrom(
      requestWithProgress(
        c.client,
        { method: 'tools/call', params: { name: 'remote' } },
        z.object({ mustHave: z.string() }),
      ),
    );
    (await tool.next()).finish();
    await expect(run).rejects.toThrow();
    await c.close();
  });
});
