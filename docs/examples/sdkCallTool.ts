/**
 * Client recipe: call a tool of an SDK server and watch its progress, with `callToolWithProgress`.
 *
 * The server is an SDK `McpServer` whose tool reports progress the plain SDK way; the two are
 * connected in memory here, but any SDK transport (stdio, Streamable HTTP) works the same.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { callToolWithProgress } from 'rx-mcp-progress/sdk';
import { lastValueFrom, tap } from 'rxjs';
import * as z from 'zod';

const bar = (progress: number, total: number): string => {
  const filled = Math.round((20 * progress) / total);
  return `[${'#'.repeat(filled)}${'.'.repeat(20 - filled)}]`;
};

/** Runs the example, printing with `log`; resolves when the call is done. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  // The server: a tool that indexes `files` files, 20 ms each, reporting each one.
  const server = new McpServer({ name: 'indexer', version: '1.0.0' });
  server.registerTool(
    'index',
    { inputSchema: { files: z.number().int().positive() } },
    async ({ files }, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (let i = 1; i <= files; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        if (progressToken !== undefined) {
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: i, total: files, message: `file ${String(i)}` },
          });
        }
      }
      return { content: [{ type: 'text', text: `indexed ${String(files)} files` }] };
    },
  );

  // The client.
  const client = new Client({ name: 'example-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);

  await lastValueFrom(
    callToolWithProgress(
      client,
      { name: 'index', arguments: { files: 15 } },
      // At most 10 updates a second (the final one is never held back); fail after 5 s of silence.
      { maxUpdatesPerSecond: 10, timeoutMs: 5_000 },
    ).pipe(
      tap((event) => {
        if (event.type === 'progress') {
          const { progress, total = progress, message = '' } = event.update;
          log(`${bar(progress, total)} ${String(progress)}/${String(total)} ${message}`);
        } else {
          const first = event.result.content.at(0);
          log(`result: ${first?.type === 'text' ? first.text : '(no text)'}`);
        }
      }),
    ),
  );
  await client.close();
};
