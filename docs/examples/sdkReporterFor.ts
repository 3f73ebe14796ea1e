/**
 * Server recipe: `reporterFor` in a handler you write yourself, and what a cancellation does to it.
 *
 * `reporterFor(extra)` is the reporter `withProgress` uses: the request's progress token,
 * `extra.sendNotification`, and closed for good when `extra.signal` aborts. Without `withProgress`,
 * finish with `reporter.complete(); await reporter.done;` before returning the result.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { callToolWithProgress, reporterFor } from 'rx-mcp-progress/sdk';
import { lastValueFrom, take, tap } from 'rxjs';
import * as z from 'zod';

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** Runs the example, printing with `log`; resolves when both calls are over. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  const server = new McpServer({ name: 'exporter', version: '1.0.0' });

  server.registerTool(
    'export',
    { inputSchema: { rows: z.number().int().positive() } },
    async ({ rows }, extra) => {
      const reporter = reporterFor(extra);
      for (let row = 100; row <= rows; row += 100) {
        await sleep(10); // export 100 rows
        reporter.next({ progress: row, total: rows });
      }
      reporter.complete(); // send what the rate limit may still hold, and close
      await reporter.done.catch(() => undefined); // the last one is out (or failed)
      await sleep(10); // what withProgress's responseDelayMs does, for clients on the SDK's Client
      return { content: [{ type: 'text', text: `exported ${String(rows)} rows` }] };
    },
  );

  let stop = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  server.registerTool('follow', {}, async (extra) => {
    const reporter = reporterFor(extra);
    extra.signal.addEventListener('abort', () => {
      log(`  tool: cancelled, reporter closed: ${String(reporter.closed)}`);
    });
    for (let line = 1; !extra.signal.aborted; line++) {
      reporter.next({ progress: line, message: `line ${String(line)}` });
      await sleep(10);
    }
    stop();
    return { content: [] }; // the SDK sends no response to a cancelled request
  });

  const client = new Client({ name: 'example-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);

  await lastValueFrom(
    callToolWithProgress(
      client,
      { name: 'export', arguments: { rows: 300 } },
      { maxUpdatesPerSecond: Infinity },
    ).pipe(
      tap((event) => {
        log(
          event.type === 'progress'
            ? `export: ${String(event.update.progress)}/${String(event.update.total)}`
            : `export: ${JSON.stringify(event.result.content)}`,
        );
      }),
    ),
  );

  // Unsubscribing (here: after two updates) cancels the call.
  await lastValueFrom(
    callToolWithProgress(client, { name: 'follow' }, { maxUpdatesPerSecond: Infinity }).pipe(
      take(2),
      tap((event) => {
        if (event.type === 'progress') log(`follow: ${event.update.message ?? ''}`);
      }),
    ),
  );
  log('follow: unsubscribed');
  await stopped;
  await client.close();
};
