/**
 * The bundled demo MCP server's tools (`mcp-progress demo` calls all three at once). Each reports
 * through the library's `withProgress`, and returns how many updates it produced (its
 * `structuredContent.updates`), so the demo can set that against what went over the wire.
 *
 * - `build` `{ modules = 30, delayMs = 80 }`: a known total, with a message per module.
 * - `crawl` `{ pages = 100, delayMs = 25 }`: an unknown total (pages found as it goes), at an
 *   uneven pace.
 * - `flood` `{ updates = 100000, batches = 50, delayMs = 50 }`: `reporter.next` called `updates`
 *   times, in batches: the reporter's rate limit at work.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import { withProgress } from '../../sdk/withProgress.js';

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

const outputSchema = { updates: z.number().int().nonnegative() };

const done = (text: string, updates: number): CallToolResult => ({
  content: [{ type: 'text', text }],
  structuredContent: { updates },
});

/** The demo server: an SDK `McpServer` with the three tools. */
export const demoServer = (): McpServer => {
  const server = new McpServer({ name: 'mcp-progress-demo', version: '1.0.0' });

  server.registerTool(
    'build',
    {
      description:
        'Builds `modules` modules, one every `delayMs` ms: a known total, with messages.',
      inputSchema: {
        modules: z.number().int().positive().optional(),
        delayMs: z.number().int().nonnegative().optional(),
      },
      outputSchema,
    },
    withProgress(async ({ modules = 30, delayMs = 80 }, _extra, reporter) => {
      for (let i = 1; i <= modules; i++) {
        await sleep(delayMs);
        const name = `src/module-${String(i).padStart(2, '0')}.ts`;
        reporter.next({ progress: i, total: modules, message: `compiled ${name}` });
      }
      return done(`built ${String(modules)} modules`, modules);
    }),
  );

  server.registerTool(
    'crawl',
    {
      description: 'Crawls `pages` pages at an uneven pace: the total is unknown while it runs.',
      inputSchema: {
        pages: z.number().int().positive().optional(),
        delayMs: z.number().int().nonnegative().optional(),
      },
      outputSchema,
    },
    withProgress(async ({ pages = 100, delayMs = 25 }, _extra, reporter) => {
      for (let i = 1; i <= pages; i++) {
        // Between half and one and a half times delayMs, in a fixed pattern.
        await sleep(Math.round(delayMs * (0.5 + ((i * 7) % 11) / 10)));
        reporter.next({ progress: i, message: `fetched /docs/page-${String(i)}` });
      }
      return done(`crawled ${String(pages)} pages`, pages);
    }),
  );

  server.registerTool(
    'flood',
    {
      description:
        'Calls reporter.next `updates` times, in `batches` batches `delayMs` ms apart: the rate limit at work.',
      inputSchema: {
        updates: z.number().int().positive().optional(),
        batches: z.number().int().positive().optional(),
        delayMs: z.number().int().nonnegative().optional(),
      },
      outputSchema,
    },
    withProgress(async ({ updates = 100_000, batches = 50, delayMs = 50 }, _extra, reporter) => {
      const size = Math.ceil(updates / batches);
      for (let i = 1; i <= updates; i++) {
        reporter.next({ progress: i, total: updates });
        if (i % size === 0 && i < updates) await sleep(delayMs);
      }
      return done(`reported ${updates.toLocaleString('en-US')} updates`, updates);
    }),
  );

  return server;
};
