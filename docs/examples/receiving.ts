/**
 * The receiving side in one file: a simulated MCP server answers two tool calls, reporting progress
 * (one of them floods), and the client side tracks both with a ProgressManager.
 *
 * Run it: `npm run example`.
 */
import { interval, map, merge, Subject, take, concat, of, timer } from 'rxjs';
import { ProgressManager, toProgressNotification } from 'rx-mcp-progress';

/** Runs the example, printing with `log`; resolves when both calls are done. */
export const main = (log: (line: string) => void = console.log): Promise<void> =>
  new Promise((resolve) => {
    const incoming$ = new Subject<unknown>();
    const manager = new ProgressManager(incoming$, {
      maxUpdatesPerSecond: 4,
      idleTimeoutMs: 5_000,
    });

    const build = manager.createToken();
    const flood = manager.createToken();

    // What a server would send for request 1 (10 steps, 150 ms apart, then the response) and for
    // request 2 (2,000 notifications as fast as it can, then 100%, then the response).
    const server$ = merge(
      concat(
        interval(150).pipe(
          take(10),
          map((i) =>
            toProgressNotification({
              progressToken: build,
              progress: i + 1,
              total: 10,
              message: `step ${String(i + 1)}`,
            }),
          ),
        ),
        of({ jsonrpc: '2.0', id: 1, result: { content: [] } }),
      ),
      concat(
        timer(100).pipe(map(() => null)),
        of(
          ...Array.from({ length: 2_000 }, (_, i) =>
            toProgressNotification({ progressToken: flood, progress: i + 1, total: 2_000 }),
          ),
        ),
        of({ jsonrpc: '2.0', id: 2, result: { content: [] } }),
      ),
      // A notification for a token nobody asked for, and a malformed one.
      of(toProgressNotification({ progressToken: 'invented', progress: 1 }), {
        jsonrpc: '2.0',
        method: 'notifications/progress',
        params: { progressToken: build, progress: -1 },
      }),
    );

    let shownFlood = 0;
    manager.errors$.subscribe((problem) => {
      log(`  diagnostic ${problem.error}: ${problem.message}`);
    });
    manager.track(build, { requestId: 1 }).subscribe({
      next: (u) => {
        log(`build  ${String(u.progress)}/${String(u.total)}  ${u.message ?? ''}`);
      },
      complete: () => {
        log('build  done');
      },
    });
    manager.track(flood, { requestId: 2 }).subscribe({
      next: (u) => {
        shownFlood++;
        log(`flood  ${String(u.progress)}/${String(u.total)}`);
      },
      complete: () => {
        log(`flood  done: 2,000 notifications received, ${String(shownFlood)} shown`);
      },
    });

    server$.subscribe({
      next: (message) => {
        if (message !== null) incoming$.next(message);
      },
      complete: () => {
        manager.dispose();
        resolve();
      },
    });
  });
