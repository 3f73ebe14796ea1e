/**
 * How often the official SDK `Client`'s own `onprogress` sees the final update of a `withProgress`
 * tool over stdio, with `responseDelayMs: 0` and with the default (docs/sdk.md, `withProgress`).
 *
 * ```sh
 * node -r ts-node/register/transpile-only spec/bench/stockClient.ts [calls per tool] [delays...]
 * ```
 *
 * Calls per tool default to 40; the delays (`responseDelayMs` values, in ms) to `0` and the default.
 *
 * Starts spec/sdk/fixtures/stdioReporterServer.ts as a child process once per setting and calls its
 * `reporter_steps` (one step per macrotask) and `reporter_burst` (all steps in one loop) tools with
 * 10 steps, counting the calls whose last `onprogress` was the final update (10 of 10).
 */
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

const STEPS = 10;
const calls = Number(process.argv[2] ?? 40);
const server = path.resolve(__dirname, '../sdk/fixtures/stdioReporterServer.ts');

const measure = async (delay: string | undefined): Promise<void> => {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  if (delay !== undefined) env.RESPONSE_DELAY_MS = delay;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['-r', 'ts-node/register/transpile-only', server],
    env,
    stderr: 'inherit',
  });
  const client = new Client({ name: 'stock-client-measure', version: '1.0.0' });
  let unknownToken = 0;
  client.onerror = () => {
    unknownToken++; // "Received a progress notification for an unknown token"
  };
  await client.connect(transport);
  for (const tool of ['reporter_steps', 'reporter_burst']) {
    let final = 0;
    for (let i = 0; i < calls; i++) {
      let last = 0;
      await client.callTool({ name: tool, arguments: { steps: STEPS } }, CallToolResultSchema, {
        onprogress: (p) => {
          last = p.progress;
        },
      });
      if (last === STEPS) final++;
    }
    const setting = delay === undefined ? 'default (10)' : delay;
    console.log(
      `responseDelayMs ${setting}: ${tool}: the final update reached onprogress in ${String(final)} of ${String(calls)} calls`,
    );
  }
  console.log(`  client.onerror (progress for an unknown token): ${String(unknownToken)}`);
  await client.close();
};

const main = async (): Promise<void> => {
  const delays = process.argv.slice(3);
  for (const delay of delays.length === 0 ? ['0', undefined] : delays) await measure(delay);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
