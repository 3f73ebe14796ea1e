/**
 * The sending side: `ProgressReporter` under a flood.
 *
 * 1. Tight loop: 1,000,000 `next` calls (inputs allocated beforehand, the last one final), the default
 *    real-time scheduler, default config (10/s, burst 10), a synchronous `send` that counts. Timed by
 *    tinybench (median of several runs, fresh reporter each run), next to a same-run baseline: a
 *    hand-written latest-wins limiter doing the least any reporter must (validate, compare with the
 *    last, keep the pending input in fields, spend the burst). Each run is checked against the
 *    bound `burst + rate × duration + 1` and for an exact last notification.
 * 2. Sustained flood in virtual time (rxjs `VirtualTimeScheduler`): 1,000,000 calls spread evenly
 *    over 50 virtual seconds, then `complete()`: notifications sent vs the bound, the sustained rate
 *    after the first second vs the configured rate, and the last one exact.
 * 3. Sustained flood in real time (`asyncScheduler`, real timers): calls in chunks of 1,000 with an
 *    event-loop turn between chunks for a measured duration, then `complete()`; same checks.
 */
import { asyncScheduler, VirtualTimeScheduler, type SchedulerAction } from 'rxjs';
import { Bench } from 'tinybench';
import {
  ProgressReporter,
  type ProgressInput,
  type ProgressNotification,
} from '../../src/index.js';
import { cpuClock, drainMicrotasks, median, msSince } from './measure.js';

/** The tight-loop flood. */
export interface FloodResult {
  readonly calls: number;
  readonly runs: number;
  /** Median loop time of the reporter, CPU ms. */
  readonly reporterMs: number;
  /** Median loop time of the reporter, wall ms. */
  readonly reporterWallMs: number;
  /** Median loop time of the baseline limiter, CPU ms. */
  readonly baselineMs: number;
  readonly maxUpdatesPerSecond: number;
  readonly burst: number;
  /** The most notifications any run sent, and that run's bound. */
  readonly sent: number;
  readonly bound: number;
  /** Whether every run's last notification was the last input. */
  readonly lastExact: boolean;
}

/** A sustained flood over a duration. */
export interface RateResult {
  readonly clock: 'virtual' | 'real';
  readonly calls: number;
  readonly durationMs: number;
  readonly maxUpdatesPerSecond: number;
  readonly burst: number;
  readonly sent: number;
  readonly bound: number;
  /** Notifications per second after the first second (the burst spent), vs the configured rate. */
  readonly sustainedPerSecond: number;
  readonly lastExact: boolean;
}

export interface SendingResult {
  readonly flood: FloodResult;
  readonly rates: readonly RateResult[];
}

const boundOf = (burst: number, rate: number, ms: number): number => burst + (rate * ms) / 1000 + 1;

interface Recorder {
  sent: number;
  last: ProgressNotification | undefined;
  readonly times: number[];
  readonly send: (n: ProgressNotification) => void;
}

const recorder = (now: () => number): Recorder => {
  const r: Recorder = {
    sent: 0,
    last: undefined,
    times: [],
    send: (n) => {
      r.sent++;
      r.last = n;
      r.times.push(now());
    },
  };
  return r;
};

const isExact = (n: ProgressNotification | undefined, progress: number, total?: number): boolean =>
  n !== undefined && n.params.progress === progress && n.params.total === total;

/** A latest-wins limiter with nothing but the essentials: the floor for the flood. */
class BaselineLimiter {
  sent = 0;
  lastSent = -1;
  private last = -1;
  private tokens: number;
  private hasPending = false;
  private pendingProgress = 0;
  private pendingTotal: number | undefined = undefined;

  constructor(burst: number) {
    this.tokens = burst;
  }

  next(input: ProgressInput): void {
    const { progress, total } = input;
    if (typeof progress !== 'number' || !(progress >= 0) || progress === Infinity) return;
    if (total !== undefined && (typeof total !== 'number' || !(total > 0) || total === Infinity))
      return;
    if (progress <= this.last) return;
    this.last = progress;
    if ((total !== undefined && progress >= total) || this.tokens > 0) {
      if (this.tokens > 0) this.tokens--;
      this.hasPending = false;
      this.sent++;
      this.lastSent = progress;
    } else {
      this.hasPending = true;
      this.pendingProgress = progress;
      this.pendingTotal = total;
    }
  }

  /** The input that would go out when the bucket allows, if any. */
  get pending(): { progress: number; total: number | undefined } | undefined {
    return this.hasPending
      ? { progress: this.pendingProgress, total: this.pendingTotal }
      : undefined;
  }
}

/** The tight-loop flood, reporter vs baseline, `runs` runs each after one warm-up. */
const flood = async (calls: number, runs: number): Promise<FloodResult> => {
  const rate = 10;
  const burst = 10;
  const inputs: ProgressInput[] = [];
  for (let i = 1; i <= calls; i++) inputs.push({ progress: i, total: calls });

  let reporter = new ProgressReporter(1, () => undefined);
  let rec = recorder(() => 0);
  let loopMs = 0;
  const wallMs: number[] = [];
  let worst: { sent: number; bound: number } | undefined;
  let lastExact = true;
  let limiter = new BaselineLimiter(burst);

  const bench = new Bench({
    name: 'flood',
    iterations: runs,
    time: 0,
    warmupIterations: 1,
    warmupTime: 0,
    throws: true,
    timestampProvider: cpuClock,
  });
  bench.add(
    'ProgressReporter.next',
    () => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < inputs.length; i++) reporter.next(inputs[i]);
      loopMs = msSince(start);
      wallMs.push(loopMs);
    },
    {
      async: false,
      beforeEach: () => {
        rec = recorder(() => 0);
        reporter = new ProgressReporter(1, rec.send, { maxUpdatesPerSecond: rate, burst });
      },
      afterEach: () => {
        const bound = boundOf(burst, rate, loopMs);
        if (!reporter.closed) throw new Error('flood: the final input did not close the reporter');
        if (worst === undefined || rec.sent - bound > worst.sent - worst.bound) {
          worst = { sent: rec.sent, bound };
        }
        lastExact &&= isExact(rec.last, calls, calls);
      },
    },
  );
  bench.add(
    'baseline limiter',
    () => {
      for (let i = 0; i < inputs.length; i++) limiter.next(inputs[i]);
    },
    {
      async: false,
      beforeEach: () => {
        limiter = new BaselineLimiter(burst);
      },
      afterEach: () => {
        if (limiter.lastSent !== calls || limiter.pending !== undefined) {
          throw new Error('flood: the baseline limiter lost the final input');
        }
      },
    },
  );
  await bench.run();
  const medianOf = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result?.state !== 'completed') throw new Error(`flood: ${name} did not complete`);
    return result.latency.p50;
  };
  return {
    calls,
    runs,
    reporterMs: medianOf('ProgressReporter.next'),
    reporterWallMs: median(wallMs.slice(1)), // the first is the warm-up
    baselineMs: medianOf('baseline limiter'),
    maxUpdatesPerSecond: rate,
    burst,
    sent: worst?.sent ?? 0,
    bound: worst?.bound ?? 0,
    lastExact,
  };
};

/** Notifications per second from the first second (or half the run, if shorter) to the end. */
const sustained = (times: readonly number[], durationMs: number): number => {
  const from = Math.min(1000, durationMs / 2);
  return times.filter((t) => t >= from && t < durationMs).length / ((durationMs - from) / 1000);
};

/** 1,000,000 calls spread over `seconds` virtual seconds, then `complete()`. */
const virtualFlood = (calls: number, seconds: number): RateResult => {
  const rate = 10;
  const burst = 10;
  const scheduler = new VirtualTimeScheduler();
  const rec = recorder(() => scheduler.now());
  const reporter = new ProgressReporter(1, rec.send, {
    maxUpdatesPerSecond: rate,
    burst,
    scheduler,
  });
  const durationMs = seconds * 1000;
  const perMs = Math.ceil(calls / durationMs);
  let made = 0;
  scheduler.schedule(
    function (this: SchedulerAction<number>, step = 0) {
      for (let i = 0; i < perMs && made < calls; i++) reporter.next({ progress: ++made });
      if (step + 1 < durationMs) this.schedule(step + 1, 1);
    },
    0,
    0,
  );
  scheduler.schedule(() => {
    reporter.complete();
  }, durationMs);
  scheduler.flush();
  return rateResult('virtual', rec, { made, durationMs, rate, burst }, reporter.closed);
};

/** The figures of one sustained flood, from what its recorder saw. */
const rateResult = (
  clock: RateResult['clock'],
  rec: Recorder,
  run: {
    readonly made: number;
    readonly durationMs: number;
    readonly rate: number;
    readonly burst: number;
  },
  closed: boolean,
): RateResult => ({
  clock,
  calls: run.made,
  durationMs: run.durationMs,
  maxUpdatesPerSecond: run.rate,
  burst: run.burst,
  sent: rec.sent,
  bound: boundOf(run.burst, run.rate, run.durationMs),
  sustainedPerSecond: sustained(rec.times, run.durationMs),
  lastExact: closed && isExact(rec.last, run.made),
});

/** Calls in chunks with an event-loop turn between them for `seconds` real seconds, then `complete()`. */
const realFlood = async (seconds: number): Promise<RateResult> => {
  const rate = 100;
  const burst = 10;
  const origin = performance.now();
  const rec = recorder(() => performance.now() - origin);
  const reporter = new ProgressReporter(1, rec.send, {
    maxUpdatesPerSecond: rate,
    burst,
    scheduler: asyncScheduler,
  });
  let made = 0;
  while (performance.now() - origin < seconds * 1000) {
    for (let i = 0; i < 1000; i++) reporter.next({ progress: ++made });
    await drainMicrotasks();
  }
  const durationMs = performance.now() - origin;
  reporter.complete();
  await reporter.done;
  return rateResult('real', rec, { made, durationMs, rate, burst }, true);
};

/** Runs the sending measurements. */
export const runSending = async (options: {
  readonly calls: number;
  readonly runs: number;
  readonly virtualSeconds: number;
  readonly realSeconds: number;
}): Promise<SendingResult> => {
  const floodResult = await flood(options.calls, options.runs);
  const rates = [virtualFlood(options.calls, options.virtualSeconds)];
  rates.push(await realFlood(options.realSeconds));
  return { flood: floodResult, rates };
};
