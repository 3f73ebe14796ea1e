/**
 * Server recipe: tools that report progress with `withProgress`, and a client that calls them.
 *
 * `withProgress` hands the tool callback a reporter for its request after the SDK's own arguments,
 * and returns the callback's result only once the reporter's last notification has gone out. The
 * two are connected in memory here; any SDK transport (stdio, Streamable HTTP) works the same.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { callToolWithProgress, withProgress } from 'rx-mcp-progress/sdk';
import { lastValueFrom, tap } from 'rxjs';
import * as z from 'zod';

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs the example, printing with `log`; resolves when the three calls are done. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  const server = new McpServer({ name: 'indexer', version: '1.0.0' });

  // A tool with an input schema: the callback takes (args, extra, reporter).
  server.registerTool(
    'index',
    { inputSchema: { files: z.number().int().positive() } },
    withProgress(async ({ files }, _extra, reporter) => {
      for (let i = 1; i <= files; i++) {
        await sleep(10); // index one file
        reporter.next({ progress: i, total: files, message: `file ${String(i)}` });
      }
      return { content: [{ type: 'text', text: `indexed ${String(files)} files` }] };
    }),
  );

  // Report as often as you like. The reporter sends at most `burst` notifications back to back,
  // then at most `maxUpdatesPerSecond`, one at a time, keeping only the newest input while it waits;
  // the final one goes out at once. Here: the first, then the final one.
  server.registerTool(
    'scan',
    { inputSchema: { entries: z.number().int().positive() } },
    withProgress(
      async ({ entries }, _extra, reporter) => {
        for (let i = 1; i <= entries; i++) reporter.next({ progress: i, total: entries });
        return Promise.resolve({ content: [{ type: 'text', text: 'scanned' }] });
      },
      { burst: 3, maxUpdatesPerSecond: 5 },
    ),
  );

  // A tool without an input schema: the callback takes (extra, reporter). When it throws, the
  // reporter is closed and the SDK answers with `isError: true`.
  server.registerTool(
    'check',
    {},
    withProgress(async (_extra, reporter) => {
      for (let i = 1; i <= 4; i++) {
        await sleep(10);
        if (i === 3) throw new Error('disk full');
        reporter.next({ progress: i, total: 4 });
      }
      return { content: [{ type: 'text', text: 'all good' }] };
    }),
  );

  const client = new Client({ name: 'example-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);

  const call = (name: string, args?: Record<string, unknown>): Promise<unknown> =>
    lastValueFrom(
      // No throttle on the client: print everything the server sends.
      callToolWithProgress(
        client,
        { name, arguments: args },
        { maxUpdatesPerSecond: Infinity },
      ).pipe(
        tap((event) => {
          if (event.type === 'progress') {
            const { progress, total, message } = event.update;
            log(
              `${name}: ${String(progress)}/${String(total)}${message === undefined ? '' : ` ${message}`}`,
            );
          } else {
            const first = event.result.content.at(0);
            const text = first?.type === 'text' ? first.text : '(no text)';
            log(`${name}: ${event.result.isError === true ? 'failed' : 'result'}: ${text}`);
          }
        }),
      ),
    );

  await call('index', { files: 3 });
  await call('scan', { entries: 10_000 });
  await call('check');
  await client.close();
};
