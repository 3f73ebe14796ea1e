/**
 * Client recipe: timeouts and cancellation with `callToolWithProgress`.
 *
 * The tool runs until it is cancelled, reporting a heartbeat every 50 ms. The idle timeout
 * (`timeoutMs`) never fires while progress flows; the hard cap (`maxTotalTimeoutMs`) does. An
 * `AbortSignal`, or simply unsubscribing, cancels too. Each cancellation reaches the tool as its
 * `extra.signal` aborting.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { callToolWithProgress } from 'rx-mcp-progress/sdk';
import { lastValueFrom, take } from 'rxjs';

/** Runs the example, printing with `log`; resolves when all three calls are over. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  const server = new McpServer({ name: 'watcher', version: '1.0.0' });
  server.registerTool('watch', {}, async (extra) => {
    const progressToken = extra._meta?.progressToken;
    extra.signal.addEventListener('abort', () => {
      log('  tool: extra.signal aborted');
    });
    let beats = 0;
    while (!extra.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      beats++;
      if (progressToken !== undefined) {
        await extra.sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress: beats },
        });
      }
    }
    return { content: [] };
  });
  const client = new Client({ name: 'example-client', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);

  const requestTimeout: number = ErrorCode.RequestTimeout;
  const describe = (error: unknown): string =>
    error instanceof McpError && error.code === requestTimeout
      ? `RequestTimeout: ${error.message}${error.data === undefined ? '' : ` ${JSON.stringify(error.data)}`}`
      : `failed: ${String(error)}`;

  // 1. Progress every 50 ms keeps a 200 ms idle timeout from firing; the 400 ms cap ends the call.
  log('idle timeout 200 ms, hard cap 400 ms:');
  await lastValueFrom(
    callToolWithProgress(client, { name: 'watch' }, { timeoutMs: 200, maxTotalTimeoutMs: 400 }),
  ).catch((error: unknown) => {
    log(`  call: ${describe(error)}`);
  });

  // 2. An AbortSignal: here, one that aborts after 150 ms.
  log('AbortSignal.timeout(150):');
  await lastValueFrom(
    callToolWithProgress(client, { name: 'watch' }, { signal: AbortSignal.timeout(150) }),
  ).catch((error: unknown) => {
    log(`  call: ${describe(error)}`);
  });

  // 3. Unsubscribing: take the first three progress events and stop.
  log('take(3):');
  await lastValueFrom(callToolWithProgress(client, { name: 'watch' }).pipe(take(3)));
  log('  call: unsubscribed after 3 events');

  await new Promise((resolve) => setImmediate(resolve)); // let the tool hear of it
  await client.close();
};
