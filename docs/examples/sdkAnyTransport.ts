/**
 * Recipe: an Rx-native client on any SDK transport, with `fromTransport` and `ProgressManager`, and
 * no SDK `Client` at all.
 *
 * `fromTransport` turns the transport's incoming messages into an Observable (without taking the
 * transport away from anyone else listening); the manager routes progress by token and completes
 * each tracked stream on the response to its request.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ProgressManager } from 'rx-mcp-progress';
import { fromTransport } from 'rx-mcp-progress/sdk';
import { filter, firstValueFrom, share } from 'rxjs';

/** Runs the example, printing with `log`; resolves when the response has come. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  const server = new McpServer({ name: 'counter', version: '1.0.0' });
  server.registerTool('count', {}, async (extra) => {
    const progressToken = extra._meta?.progressToken;
    for (let i = 1; i <= 5 && progressToken !== undefined; i++) {
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress: i, total: 5 },
      });
    }
    return { content: [{ type: 'text', text: 'counted' }] };
  });
  const [transport, serverTransport] = InMemoryTransport.createLinkedPair();
  await server.connect(serverTransport);

  const messages$ = fromTransport(transport).pipe(share());
  // `completeOnCancelled: false`: these are only the server's messages, so a cancellation in them is
  // of one of the server's own requests, whose ids may equal ours (docs/receiving.md).
  const manager = new ProgressManager(messages$, {
    maxUpdatesPerSecond: Infinity,
    completeOnCancelled: false,
  });
  const progressToken = manager.createToken();
  const requestId = 1;
  manager.track(progressToken, { requestId }).subscribe({
    next: (u) => {
      log(`progress ${String(u.progress)}/${String(u.total)}`);
    },
    complete: () => {
      log('progress complete');
    },
  });
  const isResponse = (m: JSONRPCMessage): boolean =>
    'id' in m && m.id === requestId && !('method' in m);
  const response = firstValueFrom(messages$.pipe(filter(isResponse)));

  await transport.start();
  await transport.send({
    jsonrpc: '2.0',
    id: requestId,
    method: 'tools/call',
    params: { name: 'count', arguments: {}, _meta: { progressToken } },
  });
  log(`response: ${JSON.stringify(await response)}`);
  manager.dispose();
  await transport.close();
};
