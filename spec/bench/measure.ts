/**
 * Timing and heap helpers.
 *
 * Times are CPU time of this process (`process.cpuUsage()`: user + system, microseconds), not wall
 * time: the machine is shared, and while other processes hold the cores, wall time grows by whatever
 * they take; CPU time does not. Because it counts every thread, the concurrent sweeping that follows
 * a forced full collection would be billed to the next pass: {@link readyHeap} waits until the
 * process is quiet before returning. (The main thread's own CPU time would be better still, but
 * Node 20 has no precise per-thread clock: `/proc/self/task/<pid>/schedstat` moves in scheduler
 * ticks of 4 ms.) Wall times are kept alongside.
 */
import type { TimestampProvider } from 'tinybench';

/** The median of a contender's timed passes. */
export interface PassTiming {
  /** Median pass time (CPU), ms. */
  readonly medianMs: number;
  /** Median absolute deviation of the pass times (CPU), ms. */
  readonly madMs: number;
  /** Median pass time (wall clock), ms. */
  readonly wallMs: number;
  /** Measured passes (the warm-up pass is not counted). */
  readonly runs: number;
  /** Messages per pass. */
  readonly messages: number;
  /** Messages per CPU second at the median pass time. */
  readonly perSecond: number;
}

/** The CPU clock this run uses. */
export const cpuClockName = 'process CPU time (process.cpuUsage: user + system, every thread)';

/** CPU time used by this process so far, in ms. */
export const cpuNowMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU milliseconds since `start` (from {@link cpuNowMs}). */
export const cpuMsSince = (start: number): number => cpuNowMs() - start;

/** The CPU clock as a tinybench clock. */
export const cpuClock: TimestampProvider = {
  name: 'cpu',
  fn: cpuNowMs,
  toMs: (value) => Number(value),
  fromMs: (ms) => ms,
};

/** The median of some numbers. */
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

type Gc = (options?: { type?: 'major' | 'minor' }) => void;

const gcFunction = (): Gc => {
  const gc = (globalThis as { gc?: Gc }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench does)');
  return gc;
};

let heapAfterMajor = 0;

/** Forces a full garbage collection (the bench runs with `--expose-gc`). */
export const collectGarbage = (): void => {
  gcFunction()();
  heapAfterMajor = process.memoryUsage().heapUsed;
};

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/**
 * Waits until no thread of the process is busy (less than 0.2 ms of CPU in a 5 ms sleep, at most
 * 0.5 s): after a forced full collection, V8 sweeps on helper threads, and that CPU time must not
 * land in the next measurement.
 */
export const quiesce = async (): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    const before = cpuNowMs();
    await sleep(5);
    if (cpuNowMs() - before < 0.2) return;
  }
};

/** A full collection, then {@link quiesce}. */
export const settleForTiming = async (): Promise<void> => {
  collectGarbage();
  await quiesce();
};

/**
 * Readies the heap for a timed pass: a young-generation collection always (the pass starts with an
 * empty nursery), and a full one when the heap has grown by more than 16 MB since the last full one
 * (so that no earlier garbage makes a pass pay for a major collection), followed by
 * {@link quiesce}. A full collection of this heap costs 0.1 to 0.4 s here, too much for every pass.
 */
export const readyHeap = async (): Promise<void> => {
  if (process.memoryUsage().heapUsed - heapAfterMajor > 16 * 1024 * 1024) {
    await settleForTiming();
  } else {
    gcFunction()({ type: 'minor' });
  }
};

/** `heapUsed` after two forced full collections (the second catches what the first freed), in bytes. */
export const settledHeap = (): number => {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

/**
 * Resolves after the current macrotask (an event-loop turn), so every queued microtask (the SDK's
 * handlers, promise callbacks) has run.
 */
export const drainMicrotasks = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Progress lines go to stderr, so that stdout carries only the report. */
export const log = (message: string): void => {
  process.stderr.write(`${message}\n`);
};
