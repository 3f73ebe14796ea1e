/**
 * The reporter inside a tool of the official TypeScript MCP SDK, as docs/reporting.md shows it:
 * `new ProgressReporter(extra._meta?.progressToken, (n) => extra.sendNotification(n))`, then
 * `reporter.complete(); await reporter.done;` before returning. A client over the SDK's in-memory
 * transport receives increasing progress, the final one, and only then the result.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { VirtualTimeScheduler } from 'rxjs';
import { z } from 'zod';
import { ProgressReporter } from '../../src/index.js';

const connect = async (sends: {
  count: number;
}): Promise<{ client: Client; close: () => Promise<void> }> => {
  const server = new McpServer({ name: 'reporter-spec', version: '1.0.0' });
  server.registerTool(
    'index',
    { inputSchema: { files: z.number().int() } },
    async ({ files }, extra) => {
      const reporter = new ProgressReporter(
        extra._meta?.progressToken,
        (n) => {
          sends.count++;
          return extra.sendNotification(n);
        },
        // A clock that never advances: the count below does not depend on the machine's speed.
        { scheduler: new VirtualTimeScheduler() },
      );
      for (let i = 1; i <= files; i++) {
        if (i % 100 === 0) await Promise.resolve();
        reporter.next({ progress: i, total: files, message: `file ${String(i)}` });
      }
      reporter.complete();
      await reporter.done;
      return { content: [{ type: 'text' as const, text: `indexed ${String(files)}` }] };
    },
  );
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'reporter-spec-client', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
};

describe('ProgressReporter in an MCP SDK tool', () => {
  it('delivers increasing progress, the final one, then the result', async () => {
    const sends = { count: 0 };
    const { client, close } = await connect(sends);
    const seen: Progress[] = [];
    let resultAfter = -1;
    const result = await client
      .callTool({ name: 'index', arguments: { files: 5000 } }, undefined, {
        onprogress: (p) => seen.push(p),
      })
      .then((r) => {
        resultAfter = seen.length;
        return r;
      });
    await close();
    expect(result.content).toEqual([{ type: 'text', text: 'indexed 5000' }]);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThanOrEqual(11); // at most the burst of 10, then the final
    expect(seen.length).toBe(sends.count);
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].progress).toBeGreaterThan(seen[i - 1].progress);
    expect(seen[seen.length - 1]).toEqual({ progress: 5000, total: 5000, message: 'file 5000' });
    expect(resultAfter).toBe(seen.length);
  });

  it('sends nothing when the request has no progress token', async () => {
    const sends = { count: 0 };
    const { client, close } = await connect(sends);
    const result = await client.callTool({ name: 'index', arguments: { files: 50 } });
    await close();
    expect(result.content).toEqual([{ type: 'text', text: 'indexed 50' }]);
    expect(sends.count).toBe(0);
  });
});
