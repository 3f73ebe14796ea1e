import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { callToolWithProgress, withProgress } from 'rx-mcp-progress/sdk';
import * as z from 'zod';

const indexFile = (_i: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, 25);
  });

// Server: the reporter comes after the SDK's own arguments. Call next() as often as you like:
// bursts of 10, then 10 a second go out, the final one at once, and the response follows it
// (10 ms later: the SDK's own Client would drop a notification read with the response).
const server = new McpServer({ name: 'indexer', version: '1.0.0' });
server.registerTool(
  'index',
  { inputSchema: { files: z.number().int().positive() } },
  withProgress(async ({ files }, _extra, reporter) => {
    for (let i = 1; i <= files; i++) {
      await indexFile(i);
      reporter.next({ progress: i, total: files, message: `file ${i}` });
    }
    return { content: [{ type: 'text', text: `indexed ${files} files` }] };
  }),
);

// Client: progress events, then the result. Unsubscribing cancels the call; every progress
// update restarts the 60 s timeout.
const client = new Client({ name: 'viewer', version: '1.0.0' });

async function main(): Promise<void> {
  // Both ends in one process here; any SDK transport (stdio, Streamable HTTP) works the same.
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  callToolWithProgress(client, { name: 'index', arguments: { files: 40 } }).subscribe({
    next: (event) => {
      if (event.type === 'progress') {
        const { progress, total, message } = event.update;
        console.log(`${progress}/${total ?? '?'} ${message ?? ''}`);
      } else {
        console.log('result:', JSON.stringify(event.result.content));
      }
    },
    complete: () => {
      void client.close();
    },
  });
}

void main();
