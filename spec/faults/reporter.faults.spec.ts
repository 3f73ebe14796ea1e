/**
 * Faults on the sending side: a `send` that rejects, throws, hangs, or settles out of time (late,
 * twice, both ways). Each leaves the process healthy: no unhandled rejection (checked on the real
 * process after every test), no timer left (counted with a tracking scheduler; real timers are
 * checked by `jest --detectOpenHandles`), and `done`, the reporter's end, settles as documented.
 */
import { asyncScheduler, Subject, type Subscription } from 'rxjs';
import {
  ProgressError,
  ProgressFailure,
  ProgressReporter,
  toProgressNotifications,
  type ProgressErrorResult,
  type ProgressInput,
  type ProgressNotification,
} from '../../src/index.js';
import { trackingScheduler, type TrackingScheduler } from '../helpers/trackingScheduler.js';
import {
  deferred,
  ManualClock,
  outcomeOf,
  settleTurns,
  type Deferred,
} from '../reporter/support.js';
import { deliberate, noUnhandledRejections, sleep, watchUnhandledRejections } from './health.js';

noUnhandledRejections();

/** A reporter on a manual clock whose sends the test settles by hand. */
const harness = (
  config: { burst?: number; maxUpdatesPerSecond?: number } = {},
): {
  clock: ManualClock;
  scheduler: TrackingScheduler;
  reporter: ProgressReporter;
  sent: ProgressNotification[];
  sends: Deferred[];
  problems: ProgressErrorResult[];
  outcome: { value: 'pending' | 'resolved' | { rejected: unknown } };
} => {
  const clock = new ManualClock();
  const scheduler = trackingScheduler(clock);
  const sent: ProgressNotification[] = [];
  const sends: Deferred[] = [];
  const reporter = new ProgressReporter(
    'job',
    (n) => {
      sent.push(n);
      const d = deferred();
      sends.push(d);
      return d.promise;
    },
    { burst: 1, maxUpdatesPerSecond: 10, ...config, scheduler },
  );
  const problems: ProgressErrorResult[] = [];
  reporter.errors$.subscribe((p) => problems.push(p));
  return { clock, scheduler, reporter, sent, sends, problems, outcome: outcomeOf(reporter.done) };
};

const rejectedWith = (outcome: { value: unknown }): ProgressFailure => {
  const value = outcome.value as { rejected?: unknown };
  expect(value).toHaveProperty('rejected');
  expect(value.rejected).toBeInstanceOf(ProgressFailure);
  return value.rejected as ProgressFailure;
};

describe('the health check itself', () => {
  it('sees an unhandled rejection on the real process (then handles it, so jest does not fail)', async () => {
    const watch = watchUnhandledRejections();
    const p = Promise.reject(deliberate('deliberate'));
    await settleTurns();
    p.catch(() => undefined);
    await settleTurns();
    watch.stop();
    expect(watch.rejections).toHaveLength(1);
  });
});

describe('ProgressReporter: a send that rejects', () => {
  it('on the first send, with nobody awaiting done: closes, reports the cause, done rejects, no timer', async () => {
    const { clock, scheduler, reporter, sent, sends, problems, outcome } = harness();
    reporter.next({ progress: 1 });
    reporter.next({ progress: 2 }); // pending: waits for the send and the bucket
    sends[0].reject(new Error('transport down'));
    await settleTurns();
    expect(reporter.closed).toBe(true);
    const failure = rejectedWith(outcome);
    expect(failure.error).toBe(ProgressError.STATE_ERROR);
    expect((failure.details as { cause: Error }).cause.message).toBe('transport down');
    expect(problems.map((p) => p.error)).toEqual([ProgressError.STATE_ERROR]);
    expect(scheduler.pending).toBe(0);
    // Input after closing: nothing sent, reported; its diagnostics window (one timer) ends.
    reporter.next({ progress: 3 });
    expect(sent.map((n) => n.params.progress)).toEqual([1]);
    expect(problems.map((p) => p.error)).toEqual([
      ProgressError.STATE_ERROR,
      ProgressError.STATE_ERROR,
    ]);
    expect(scheduler.pending).toBe(1);
    clock.advanceTo(1000);
    expect(scheduler.pending).toBe(0);
  });

  it('while an input waits for the bucket: the bucket timer is cancelled', async () => {
    const { clock, scheduler, reporter, sent, sends, outcome } = harness({
      burst: 1,
      maxUpdatesPerSecond: 1,
    });
    reporter.next({ progress: 1 });
    sends[0].resolve();
    await settleTurns();
    reporter.next({ progress: 2 }); // the bucket is empty: a timer waits for it
    expect(scheduler.pending).toBe(1);
    clock.advanceTo(1000);
    expect(sent).toHaveLength(2);
    reporter.next({ progress: 3 }); // in flight and waiting for the bucket
    sends[1].reject('a string, not an Error');
    await settleTurns();
    expect(scheduler.pending).toBe(0);
    expect(rejectedWith(outcome).message).toContain('a string, not an Error');
    clock.advanceTo(60_000);
    expect(sent).toHaveLength(2);
  });

  it('on the last send after complete(): done rejects; nothing more is sent', async () => {
    const { reporter, sent, sends, outcome, scheduler } = harness();
    reporter.next({ progress: 1 });
    reporter.next({ progress: 2 });
    reporter.complete();
    sends[0].resolve();
    await settleTurns();
    expect(sent.map((n) => n.params.progress)).toEqual([1, 2]);
    expect(outcome.value).toBe('pending'); // the last send is in flight
    sends[1].reject(new Error('late failure'));
    await settleTurns();
    rejectedWith(outcome);
    expect(scheduler.pending).toBe(0);
  });

  it('after error(): done still rejects, because the reporter’s own send failed', async () => {
    const { reporter, sends, outcome } = harness();
    reporter.next({ progress: 1 });
    reporter.error(new Error('operation failed'));
    expect(outcome.value).toBe('pending');
    sends[0].reject(new Error('and the transport too'));
    await settleTurns();
    rejectedWith(outcome);
  });
});

describe('ProgressReporter: a send that throws synchronously', () => {
  it.each<[string, unknown]>([
    ['an Error', new Error('sync boom')],
    ['a string', 'sync boom'],
    ['undefined', undefined],
    ['an object', { code: 42 }],
  ])(
    'throwing %s: next() does not throw, the reporter closes, done rejects, no timer',
    async (_name, thrown) => {
      const clock = new ManualClock();
      const scheduler = trackingScheduler(clock);
      let calls = 0;
      const reporter = new ProgressReporter(
        'job',
        () => {
          calls++;
          if (calls === 2) throw thrown;
        },
        { burst: 1, maxUpdatesPerSecond: 10, scheduler },
      );
      const outcome = outcomeOf(reporter.done);
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 }); // waits for the bucket
      expect(scheduler.pending).toBe(1);
      expect(() => {
        clock.advanceTo(100); // the timer fires, the send throws inside it
      }).not.toThrow();
      await settleTurns();
      expect(reporter.closed).toBe(true);
      const failure = rejectedWith(outcome);
      expect((failure.details as { cause: unknown }).cause).toBe(thrown);
      expect(scheduler.pending).toBe(0);
      expect(calls).toBe(2);
    },
  );
});

describe('ProgressReporter: a send that hangs', () => {
  it('for an hour (virtual): one input pending, no timer meanwhile, and it all goes out when it settles', async () => {
    const { clock, scheduler, reporter, sent, sends, outcome } = harness({ burst: 10 });
    reporter.next({ progress: 1 });
    for (let i = 2; i <= 10_000; i++) reporter.next({ progress: i });
    expect(sent).toHaveLength(1); // the rest coalesced into one pending input
    expect(scheduler.pending).toBe(0); // nothing waits on the clock while the send is in flight
    reporter.complete();
    clock.advanceTo(3_600_000);
    await settleTurns();
    expect(outcome.value).toBe('pending'); // done waits for the send it started
    sends[0].resolve();
    await settleTurns();
    expect(sent.map((n) => n.params.progress)).toEqual([1, 10_000]);
    sends[1].resolve();
    await settleTurns();
    expect(outcome.value).toBe('resolved');
    expect(scheduler.pending).toBe(0);
  });

  it('and the operation fails meanwhile: error() drops the pending input; done resolves once the send settles', async () => {
    const { reporter, sent, sends, outcome, scheduler } = harness();
    reporter.next({ progress: 1 });
    reporter.next({ progress: 2 });
    reporter.error(new Error('operation failed'));
    sends[0].resolve();
    await settleTurns();
    expect(sent.map((n) => n.params.progress)).toEqual([1]);
    expect(outcome.value).toBe('resolved');
    expect(scheduler.pending).toBe(0);
  });

  it('with real timers: a send that takes 150 ms, at 20 per second, leaves nothing running', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const sent: number[] = [];
    const burst = 1;
    const rate = 20;
    const interval = 1000 / rate;
    const reporter = new ProgressReporter(
      'job',
      async (n) => {
        sent.push(n.params.progress);
        if (n.params.progress === 1) await sleep(150);
      },
      { burst, maxUpdatesPerSecond: rate, scheduler },
    );
    const start = Date.now(); // the clock asyncScheduler reads
    for (let i = 1; i <= 50; i++) {
      reporter.next({ progress: i });
      await sleep(2);
    }
    reporter.complete();
    await reporter.done;
    const elapsed = Date.now() - start;
    expect(sent[0]).toBe(1);
    expect(sent.at(-1)).toBe(50);
    // The rate, however long the loop took on a loaded machine: the bucket's sends over `elapsed`,
    // plus the final one. Usually 2 in 150 ms (the hung send, then the newest input), not 50.
    expect(sent.length).toBeLessThanOrEqual(burst + Math.ceil(elapsed / interval) + 1);
    expect(scheduler.pending).toBe(0);
  });
});

describe('ProgressReporter: a send that settles out of time', () => {
  it('a thenable that calls back twice, and both ways: only the first settlement counts', async () => {
    const sent: number[] = [];
    const callbacks: { ok: () => void; fail: (e: unknown) => void }[] = [];
    const reporter = new ProgressReporter(
      'job',
      (n) => {
        sent.push(n.params.progress);
        return {
          then: (ok: () => void, fail: (e: unknown) => void) => {
            callbacks.push({ ok, fail });
          },
        } as unknown as PromiseLike<void>;
      },
      { maxUpdatesPerSecond: Infinity },
    );
    const outcome = outcomeOf(reporter.done);
    reporter.next({ progress: 1 });
    reporter.next({ progress: 2 });
    await settleTurns();
    callbacks[0].ok();
    callbacks[0].ok();
    callbacks[0].fail(new Error('too late'));
    await settleTurns();
    expect(sent).toEqual([1, 2]); // 2 went once, after the first settlement
    reporter.complete();
    callbacks[1].fail(new Error('fails'));
    callbacks[1].ok();
    await settleTurns();
    rejectedWith(outcome);
    expect(sent).toEqual([1, 2]);
  });

  it('a send that settles long after the bucket refilled sends the pending input at once', async () => {
    const { clock, reporter, sent, sends, scheduler } = harness({
      burst: 1,
      maxUpdatesPerSecond: 10,
    });
    reporter.next({ progress: 1 });
    reporter.next({ progress: 2 });
    clock.advanceTo(5_000);
    expect(sent).toHaveLength(1);
    sends[0].resolve();
    await settleTurns();
    expect(sent.map((n) => n.params.progress)).toEqual([1, 2]);
    expect(scheduler.pending).toBe(0);
    sends[1].resolve();
    reporter.complete();
    await reporter.done;
  });

  it('an already-settled promise (a transport that fails at once): no unhandled rejection', async () => {
    const reporter = new ProgressReporter('job', () => Promise.reject(new Error('refused')));
    reporter.next({ progress: 1 });
    await settleTurns();
    await expect(reporter.done).rejects.toBeInstanceOf(ProgressFailure);
  });
});

describe('toProgressNotifications: faults around the operator', () => {
  /** The operator at one input per second on a tracking clock, recording what comes out. */
  const operator = (
    onError?: (problem: ProgressErrorResult) => void,
  ): {
    scheduler: TrackingScheduler;
    source: Subject<ProgressInput>;
    events: string[];
    subscription: Subscription;
  } => {
    const scheduler = trackingScheduler(new ManualClock());
    const source = new Subject<ProgressInput>();
    const events: string[] = [];
    const subscription = source
      .pipe(
        toProgressNotifications('job', { burst: 1, maxUpdatesPerSecond: 1, scheduler, onError }),
      )
      .subscribe({
        next: (n) => events.push(`n${String(n.params.progress)}`),
        error: (e: unknown) => events.push(`error: ${(e as Error).message}`),
        complete: () => events.push('complete'),
      });
    return { scheduler, source, events, subscription };
  };

  it('the source fails while an input waits for the bucket: the output errors, no timer', () => {
    const { scheduler, source, events } = operator();
    source.next({ progress: 1 });
    source.next({ progress: 2 });
    expect(scheduler.pending).toBe(1);
    source.error(new Error('source failed'));
    expect(events).toEqual(['n1', 'error: source failed']);
    expect(scheduler.pending).toBe(0);
    expect(source.observed).toBe(false);
  });

  it('an onError callback that throws: the output errors with it, the source is left, no timer', () => {
    const { scheduler, source, events } = operator(() => {
      throw new Error('callback threw');
    });
    source.next({ progress: 1 });
    source.next({ progress: 2 });
    source.next({ progress: NaN });
    expect(events).toEqual(['n1', 'error: callback threw']);
    expect(scheduler.pending).toBe(0);
    expect(source.observed).toBe(false);
  });

  it('a subscriber that leaves while an input waits: no timer', () => {
    const { scheduler, source, events, subscription } = operator();
    source.next({ progress: 1 });
    source.next({ progress: 2 });
    expect(scheduler.pending).toBe(1);
    subscription.unsubscribe();
    expect(scheduler.pending).toBe(0);
    expect(source.observed).toBe(false);
    expect(events).toEqual(['n1']);
  });
});
