/**
 * Runs the SDK recipes of docs/sdk.md (docs/examples/sdk*.ts), and checks that the doc quotes each
 * of them exactly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main as anyTransport } from '../../docs/examples/sdkAnyTransport.js';
import { main as callTool } from '../../docs/examples/sdkCallTool.js';
import { main as cancel } from '../../docs/examples/sdkCancel.js';
import { main as reporterForRecipe } from '../../docs/examples/sdkReporterFor.js';
import { main as server } from '../../docs/examples/sdkServer.js';

const root = path.resolve(__dirname, '../..');

const run = async (main: (log: (line: string) => void) => Promise<void>): Promise<string[]> => {
  const lines: string[] = [];
  await main((line) => lines.push(line));
  return lines;
};

describe('docs/examples: the SDK recipes', () => {
  it('sdkServer.ts: withProgress tools with and without an input schema, a flood, a throw', async () => {
    expect(await run(server)).toEqual([
      'index: 1/3 file 1',
      'index: 2/3 file 2',
      'index: 3/3 file 3',
      'index: result: indexed 3 files',
      'scan: 1/10000',
      'scan: 10000/10000',
      'scan: result: scanned',
      'check: 1/4',
      'check: 2/4',
      'check: failed: disk full',
    ]);
  });

  it('sdkReporterFor.ts: complete(); await done; and a reporter closed by the cancellation', async () => {
    expect(await run(reporterForRecipe)).toEqual([
      'export: 100/300',
      'export: 200/300',
      'export: 300/300',
      'export: [{"type":"text","text":"exported 300 rows"}]',
      'follow: line 1',
      'follow: line 2',
      'follow: unsubscribed',
      '  tool: cancelled, reporter closed: true',
    ]);
  });

  it('sdkCallTool.ts: throttled progress bars, the final one, then the result', async () => {
    const lines = await run(callTool);
    expect(lines.slice(-2)).toEqual([
      '[####################] 15/15 file 15',
      'result: indexed 15 files',
    ]);
    expect(lines[0]).toBe('[#...................] 1/15 file 1');
    // 15 updates over ~300 ms at most 10 a second: far fewer lines than updates.
    expect(lines.length).toBeLessThan(10);
  });

  it('sdkCancel.ts: the hard cap, an AbortSignal and unsubscribing each cancel the tool', async () => {
    expect(await run(cancel)).toEqual([
      'idle timeout 200 ms, hard cap 400 ms:',
      '  tool: extra.signal aborted',
      '  call: RequestTimeout: MCP error -32001: Maximum total timeout exceeded: 400 ms {"timeout":400,"reason":"totalTimeout"}',
      'AbortSignal.timeout(150):',
      '  tool: extra.signal aborted',
      '  call: RequestTimeout: MCP error -32001: TimeoutError: The operation was aborted due to timeout',
      'take(3):',
      '  call: unsubscribed after 3 events',
      '  tool: extra.signal aborted',
    ]);
  });

  it('sdkAnyTransport.ts: ProgressManager over fromTransport, no SDK Client', async () => {
    expect(await run(anyTransport)).toEqual([
      'progress 1/5',
      'progress 2/5',
      'progress 3/5',
      'progress 4/5',
      'progress 5/5',
      'progress complete',
      'response: {"result":{"content":[{"type":"text","text":"counted"}]},"jsonrpc":"2.0","id":1}',
    ]);
  });

  it('docs/sdk.md quotes every recipe exactly', () => {
    const doc = fs.readFileSync(path.join(root, 'docs/sdk.md'), 'utf8');
    const quoted = [...doc.matchAll(/<!-- example: (\S+) -->\n+```ts\n([\s\S]*?)```/g)];
    expect(quoted.map((m) => m[1])).toEqual([
      'docs/examples/sdkServer.ts',
      'docs/examples/sdkReporterFor.ts',
      'docs/examples/sdkCallTool.ts',
      'docs/examples/sdkCancel.ts',
      'docs/examples/sdkAnyTransport.ts',
    ]);
    for (const [, file, code] of quoted) {
      expect(code).toBe(fs.readFileSync(path.join(root, file), 'utf8'));
    }
  });
});
