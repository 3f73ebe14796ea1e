/**
 * The sending side in one file: a tool handler on a simulated MCP server reports progress with a
 * ProgressReporter over a transport whose sends take a while, and responds only after
 * `reporter.complete(); await reporter.done;`. The client tracks the token with a ProgressManager
 * and sees every update, strictly increasing, before the response.
 *
 * Run it: `npm run build && node -r ts-node/register/transpile-only -e
 * "require('./docs/examples/reporting.ts').main()"`.
 */
import { Subject } from 'rxjs';
import { ProgressManager, ProgressReporter, type ProgressToken } from 'rx-mcp-progress';

/** Runs the example, printing with `log`; resolves when the client has the response. */
export const main = async (log: (line: string) => void = console.log): Promise<void> => {
  // Server → client messages, and a transport whose every send resolves a few microtasks later.
  const wire = new Subject<unknown>();
  let sent = 0;
  const transport = {
    send: async (message: unknown): Promise<void> => {
      await Promise.resolve();
      await Promise.resolve();
      sent++;
      wire.next(message);
    },
  };

  // The client: a token for its request, and a stream of that token's progress (unthrottled here,
  // to show everything the reporter sent).
  const manager = new ProgressManager(wire, { maxUpdatesPerSecond: Infinity });
  const token = manager.createToken();
  const progressDone = new Promise<void>((resolve) => {
    manager.track(token, { requestId: 1 }).subscribe({
      next: (u) => {
        log(`client  ${String(u.progress)}/${String(u.total)}  ${u.message ?? ''}`);
      },
      complete: () => {
        log('client  progress complete');
        resolve();
      },
    });
  });
  const response = new Promise<unknown>((resolve) => {
    wire.subscribe((message) => {
      if ((message as { id?: unknown }).id === 1) resolve((message as { result: unknown }).result);
    });
  });

  // The server's tool handler: 20,000 files, a progress step after each.
  const indexFiles = async (files: number, progressToken: ProgressToken | undefined) => {
    const reporter = new ProgressReporter(progressToken, (n) => transport.send(n), { burst: 3 });
    reporter.errors$.subscribe((problem) => {
      log(`server  diagnostic ${problem.error}: ${problem.message}`);
    });
    for (let i = 1; i <= files; i++) {
      if (i % 1000 === 0) await Promise.resolve(); // the work yields now and then
      reporter.next({ progress: i, total: files, message: `file ${String(i)}` });
      if (i === 5000) reporter.next({ progress: i, total: files }); // a retry reports 5000 again
    }
    reporter.complete();
    await reporter.done; // the final notification has gone out: only now respond
    return { content: [{ type: 'text', text: `indexed ${String(files)} files` }] };
  };

  const result = await indexFiles(20_000, token);
  await transport.send({ jsonrpc: '2.0', id: 1, result });
  await progressDone;
  log(`client  response: ${JSON.stringify(await response)}`);
  log(`server  ${String(sent)} messages sent for 20,000 steps`);
  manager.dispose();
};
