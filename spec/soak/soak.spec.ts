/**
 * Soak: a million token lifecycles through one `ProgressManager`, each fed by its own
 * `ProgressReporter` (one in 13 of them through JSON text, as over a transport), in virtual time,
 * with every way a tracked stream can end and some hostile input. Afterwards the heap, after forced
 * garbage collection, must be back within 5% of where it was after warm-up: nothing per token, per
 * message or per diagnostic may stay behind.
 *
 * Run it alone with `npx jest -t @soak`. Forced GC: jest workers do not run with `--expose-gc`, so
 * the flag is set at run time (`v8.setFlagsFromString`) and `gc` is taken from a fresh context,
 * where V8 installs it once the flag is on.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { Subject, type Observer } from 'rxjs';
import {
  ProgressManager,
  ProgressReporter,
  type ProgressErrorResult,
  type ProgressUpdate,
} from '../../src/index.js';
import { ManualClock } from '../reporter/support.js';

const LIFECYCLES = Number(process.env.SOAK_LIFECYCLES ?? 1_000_000);
const WARM_UP = 50_000;
/** Lifecycles started together; idle ones stay ~50 batches, so a few hundred are live at once. */
const BATCH = 64;
const IDLE_TIMEOUT_MS = 50;

/** `global.gc`, made available inside a jest worker. */
const forcedGc = (): (() => void) => {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = vm.runInNewContext('gc');
  if (typeof gc !== 'function') throw new Error('cannot force garbage collection');
  return gc as () => void;
};

/** The heap in use after full collections: the median of five readings, each after two GCs. */
const settledHeap = (gc: () => void): number => {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    gc();
    gc();
    readings.push(process.memoryUsage().heapUsed);
  }
  readings.sort((a, b) => a - b);
  return readings[2];
};

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('soak @soak', () => {
  it('1,000,000 token lifecycles through ProgressManager and a reporter round trip: the heap returns to within 5%', async () => {
    const gc = forcedGc();
    // The clock itself counts its waiting actions (spec/helpers/trackingScheduler keeps every
    // cancelled action it saw: over a million lifecycles, a leak of the test's own).
    const clock = new ManualClock();
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, { scheduler: clock });
    const noCounts = { updates: 0, completed: 0, failed: 0, diagnostics: 0, counted: 0, sent: 0 };
    const counts = { ...noCounts };
    manager.errors$.subscribe((d: ProgressErrorResult) => {
      counts.diagnostics++;
      counts.counted += (d.details as { count: number }).count;
    });
    const observer: Observer<ProgressUpdate> = {
      next: () => {
        counts.updates++;
      },
      complete: () => {
        counts.completed++;
      },
      error: () => {
        counts.failed++;
      },
    };
    // The wire: what a reporter sends goes to the manager as it is, or, for one lifecycle in 13
    // (every kind of ending in turn), through JSON text as over a transport (all of them would
    // spend two thirds of the run in JSON.parse and JSON.stringify).
    const direct = (n: unknown): void => {
      counts.sent++;
      messages$.next(n);
    };
    const throughJson = (n: unknown): void => {
      counts.sent++;
      messages$.next(JSON.parse(JSON.stringify(n)) as unknown);
    };
    let requestId = 0;
    const noEndings = { completed: 0, failed: 0 };
    const expected = { ...noEndings };

    /** One lifecycle, ended in one of seven ways. */
    const start = (i: number): (() => void) => {
      const token = manager.createToken();
      const id = ++requestId;
      const kind = i % 16;
      const subscription = manager
        .track(
          token,
          kind === 15 ? { requestId: id, idleTimeoutMs: IDLE_TIMEOUT_MS } : { requestId: id },
        )
        .subscribe(observer);
      const reporter = new ProgressReporter(token, i % 13 === 0 ? throughJson : direct, {
        scheduler: clock,
      });
      reporter.next({ progress: 1, total: 4, message: 'starting' });
      reporter.next({ progress: 2, total: 4 }); // held by the manager's throttle ...
      reporter.next({ progress: 3, total: 4 }); // ... and replaced: RATE_LIMIT
      if (i % 8 === 0)
        messages$.next({
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: token, progress: -1 },
        });
      return () => {
        if (kind < 10) {
          reporter.next({ progress: 4, total: 4, message: 'done' }); // the final update
          expected.completed++;
        } else if (kind === 10) {
          reporter.complete();
          messages$.next({ jsonrpc: '2.0', id, result: {} }); // the response
          expected.completed++;
        } else if (kind === 11) {
          reporter.error(new Error('operation failed'));
          messages$.next({ jsonrpc: '2.0', id, error: { code: -32603, message: 'failed' } });
          expected.completed++;
        } else if (kind === 12) {
          reporter.complete();
          messages$.next({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: id },
          });
          expected.completed++;
        } else if (kind === 13) {
          subscription.unsubscribe(); // the consumer leaves; later progress is reported
          reporter.next({ progress: 4, total: 4 });
        } else if (kind === 14) {
          reporter.next({ progress: 3.5 }); // still going when a peer invents a token
          messages$.next({
            jsonrpc: '2.0',
            method: 'notifications/progress',
            params: { progressToken: `${token}-invented`, progress: 1 },
          });
          reporter.next({ progress: 4, total: 4 });
          expected.completed++;
        } else {
          reporter.complete(); // no final update: the idle timeout ends it
          expected.failed++;
        }
      };
    };

    // The loop yields to the event loop every 16 batches, as any real process does between
    // messages: each reporter's `done` settles through promise jobs, and a loop that never let them
    // run would hold a million of them (that is the test's own growth, not the library's).
    const run = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i += BATCH) {
        const ends: (() => void)[] = [];
        for (let j = i; j < i + BATCH && j < n; j++) ends.push(start(j));
        for (const end of ends) end();
        clock.advanceTo(clock.now() + 1);
        if (i % (16 * BATCH) === 0) await yieldToEventLoop();
      }
      clock.advanceTo(clock.now() + 10_000); // idle timeouts and diagnostic windows end
      await yieldToEventLoop();
    };

    await run(WARM_UP);
    const before = settledHeap(gc);
    Object.assign(counts, noCounts);
    Object.assign(expected, noEndings);

    const started = performance.now();
    await run(LIFECYCLES);
    const seconds = (performance.now() - started) / 1000;
    const after = settledHeap(gc);
    const growth = (after - before) / before;
    console.log(
      `soak: ${LIFECYCLES.toLocaleString('en')} lifecycles in ${seconds.toFixed(1)} s ` +
        `(${Math.round(LIFECYCLES / seconds).toLocaleString('en')}/s), ` +
        `${counts.sent.toLocaleString('en')} notifications sent; ` +
        `heap ${mb(before)} -> ${mb(after)} (${(growth * 100).toFixed(2)}%)`,
    );

    // Every lifecycle ended as it should, and nothing is left tracked or scheduled.
    expect(counts.completed).toBe(expected.completed);
    expect(counts.failed).toBe(expected.failed);
    expect(manager.activeTokens.size).toBe(0);
    expect(clock.pendingActions).toBe(0);
    // Diagnostics were coalesced: far fewer than the inputs they count.
    expect(counts.counted).toBeGreaterThan(LIFECYCLES / 2);
    expect(counts.diagnostics).toBeLessThan(counts.counted / 10);
    // The heap is back where it started.
    expect(growth).toBeLessThanOrEqual(0.05);
    manager.dispose();
  }, 60_000);
});
