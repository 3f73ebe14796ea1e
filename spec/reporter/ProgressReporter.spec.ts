import { from, map, Subject, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  ProgressError,
  ProgressFailure,
  ProgressNotification,
  ProgressReporter,
  type ProgressErrorResult,
  type ProgressInput,
  type ProgressReporterConfig,
  type ProgressToken,
} from '../../src/index.js';
import { deferred, inputs, ManualClock, notes, settleTurns, type Deferred } from './support.js';
import { testScheduler } from '../helpers/testScheduler.js';

/** 250 per second is one token every 4 frames, which keeps the marbles short. */
const RATE = 250;

/**
 * Feeds `input$` to a new reporter with a synchronous `send`, and shows what it sends as an
 * Observable that completes (`|`) when the reporter closes.
 */
const drive = (
  token: ProgressToken | undefined,
  input$: Observable<ProgressInput>,
  config: ProgressReporterConfig,
): { reporter: ProgressReporter; sent$: Observable<ProgressNotification> } => {
  const sent = new Subject<ProgressNotification>();
  const reporter = new ProgressReporter(
    token,
    (n) => {
      sent.next(n);
    },
    config,
  );
  const closedYet = (): void => {
    if (reporter.closed) sent.complete();
  };
  input$.subscribe({
    next: (input) => {
      reporter.next(input);
      closedYet();
    },
    error: (err: unknown) => {
      reporter.error(err);
      closedYet();
    },
    complete: () => {
      reporter.complete();
      closedYet();
    },
  });
  return { reporter, sent$: sent };
};

describe('ProgressReporter', () => {
  let rx: TestScheduler;
  const out = notes('job');

  beforeEach(() => {
    rx = testScheduler();
  });

  it('behaves as drawn in its JSDoc', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot<ProgressInput>('-abxdef-F--g', { ...inputs, x: { progress: NaN } });
      const send = '                  -ab--e--(F|)';
      const errs = '                  ---i-------s';
      const { reporter, sent$ } = drive('job', src, {
        scheduler: rx,
        burst: 2,
        maxUpdatesPerSecond: RATE,
      });
      expectObservable(sent$).toBe(send, out);
      expectObservable(reporter.errors$.pipe(map((p) => p.error))).toBe(errs, {
        i: ProgressError.INVALID_PROGRESS,
        s: ProgressError.STATE_ERROR,
      });
    });
  });

  describe('rate control (marbles, synchronous send)', () => {
    it('sends a burst at once, then the newest input when a token refills', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('(abcd)----e', inputs);
        const want = '                  (ab)d-----e';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 2, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('holds a sustained flood to the rate, sending the latest each time', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('abcdefghijklmnopqrst|', inputs);
        const want = '                  a---e---i---m---q---(t|)';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('coalesces while the bucket is empty: latest wins', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('-abcdef-----', inputs);
        const want = '                  -ab--e---f--';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 2, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('refills continuously', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('(abc)---(def)------', inputs);
        const want = '                  (abc)---(de)f------';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 3, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });
  });

  describe('completion (marbles, synchronous send)', () => {
    it('sends a final input at once, replacing the pending one, and closes', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('ab-F-c--|', inputs);
        const want = '                  a--(F|)';
        const { reporter, sent$ } = drive('job', src, {
          scheduler: rx,
          burst: 1,
          maxUpdatesPerSecond: RATE,
        });
        expectObservable(sent$).toBe(want, out);
        expectObservable(reporter.errors$.pipe(map((p) => p.error))).toBe('-----s--', {
          s: ProgressError.STATE_ERROR,
        });
      });
    });

    it('complete() sends the pending input at once and closes', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('abc-|', inputs);
        const want = '                  a---(c|)';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 1, maxUpdatesPerSecond: 100 });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('complete() with nothing pending closes at once', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('a-------b-|', inputs);
        const want = '                  a-------b-|';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('error() drops the pending input and closes', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('ab-#', inputs);
        const want = '                  a--|';
        const { sent$ } = drive('job', src, { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE });
        expectObservable(sent$).toBe(want, out);
      });
    });

    it('reports next after closing as STATE_ERROR and sends nothing; complete() and error() do nothing', () => {
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('a-|', inputs);
        const { reporter, sent$ } = drive('job', src, { scheduler: rx });
        reporter.errors$.subscribe((p) => problems.push(p));
        expectObservable(sent$).toBe('a-|', out);
        rx.schedule(() => {
          reporter.next({ progress: 50 });
          reporter.complete();
          reporter.error(new Error('late'));
        }, 5);
      });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        error: ProgressError.STATE_ERROR,
        message:
          'progress reporter for token "job": next({"progress":50}) after the reporter completed; nothing sent (progress notifications must stop after completion)',
        details: { progressToken: 'job', reason: 'completed', count: 1 },
      });
    });

    it('has no timer left when closed with a pending input', () => {
      const clock = new ManualClock();
      const sent: number[] = [];
      const reporter = new ProgressReporter('job', (n) => void sent.push(n.params.progress), {
        scheduler: clock,
        burst: 1,
        maxUpdatesPerSecond: 1,
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      expect(clock.pendingActions).toBe(1);
      reporter.error(new Error('stop'));
      expect(clock.pendingActions).toBe(0);
      clock.advanceTo(5000);
      expect(sent).toEqual([1]);
    });

    it('has no timer left once the pending input has gone out', () => {
      const clock = new ManualClock();
      const reporter = new ProgressReporter('job', () => undefined, {
        scheduler: clock,
        burst: 1,
        maxUpdatesPerSecond: 10,
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      expect(clock.pendingActions).toBe(1);
      clock.advanceTo(100);
      expect(clock.pendingActions).toBe(0);
    });
  });

  describe('validation', () => {
    it('rejects invalid inputs on errors$ and keeps working', () => {
      rx.run(({ hot, expectObservable }) => {
        const bad = { ...inputs, n: { progress: NaN }, z: { progress: 3, total: 0 } };
        const src = hot<ProgressInput>('anbzc', bad);
        const { reporter, sent$ } = drive('job', src, {
          scheduler: rx,
          maxUpdatesPerSecond: Infinity,
          diagnosticsWindowMs: 1,
        });
        expectObservable(sent$).toBe('a-b-c', out);
        expectObservable(reporter.errors$.pipe(map((p) => p.message))).toBe('-n-z-', {
          n: 'progress reporter for token "job": progress NaN is not a finite number >= 0; nothing sent',
          z: 'progress reporter for token "job": total 0 is not a finite number > 0; nothing sent',
        });
      });
    });

    it('coalesces a flood of invalid inputs: the first at once, then one per window with a count', () => {
      const clock = new ManualClock();
      const reporter = new ProgressReporter('job', () => undefined, { scheduler: clock });
      const problems: ProgressErrorResult[] = [];
      reporter.errors$.subscribe((p) => problems.push(p));
      reporter.next({ progress: 5 });
      for (let i = 0; i < 10_000; i++) reporter.next({ progress: 1 });
      expect(problems).toHaveLength(1);
      clock.advanceTo(1000);
      expect(problems).toHaveLength(2);
      expect(problems[1].details).toMatchObject({ count: 9_999, last: 5 });
      expect(problems[1].message).toContain('(9999 times in 1000 ms)');
    });

    it('emits the diagnostics still being counted when it closes', () => {
      const clock = new ManualClock();
      const reporter = new ProgressReporter('job', () => undefined, { scheduler: clock });
      const counts: unknown[] = [];
      reporter.errors$.subscribe((p) => counts.push((p.details as { count: unknown }).count));
      reporter.next({ progress: NaN });
      reporter.next({ progress: NaN });
      reporter.next({ progress: NaN });
      reporter.complete();
      expect(counts).toEqual([1, 2]);
      expect(clock.pendingActions).toBe(0);
    });

    it('stores the input, not the caller object: mutating it afterwards changes nothing', () => {
      const clock = new ManualClock();
      const sent: number[] = [];
      const reporter = new ProgressReporter('job', (n) => void sent.push(n.params.progress), {
        scheduler: clock,
        burst: 1,
      });
      const step = { progress: 1 };
      reporter.next(step);
      step.progress = 2;
      reporter.next(step);
      step.progress = 0; // would break the order if the pending slot held the object
      clock.advanceTo(100);
      expect(sent).toEqual([1, 2]);
    });
  });

  describe('without a token', () => {
    it('sends nothing, but validates, reports and closes the same', async () => {
      const send = jest.fn();
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('abaF-c', inputs);
        const { reporter, sent$ } = drive(undefined, src, { scheduler: rx });
        reporter.errors$.subscribe((p) => problems.push(p));
        expectObservable(sent$).toBe('---|');
      });
      const reporter = new ProgressReporter(undefined, send, { scheduler: rx });
      reporter.next({ progress: 1, total: 1 });
      expect(reporter.closed).toBe(true);
      await expect(reporter.done).resolves.toBeUndefined();
      expect(send).not.toHaveBeenCalled();
      expect(problems.map((p) => p.error)).toEqual([
        ProgressError.INVALID_PROGRESS,
        ProgressError.STATE_ERROR,
      ]);
      expect(problems[0].message).toBe(
        'progress reporter (no token): progress 1 does not increase on 2 (the last accepted progress); nothing sent',
      );
    });

    it('treats null as no token, silently', async () => {
      const send = jest.fn();
      const reporter = new ProgressReporter(null as unknown as undefined, send);
      const problems: ProgressErrorResult[] = [];
      reporter.errors$.subscribe((p) => problems.push(p));
      reporter.next({ progress: 1 });
      reporter.complete();
      await reporter.done;
      expect(send).not.toHaveBeenCalled();
      expect(problems).toEqual([]);
    });

    it('treats a malformed token as none and reports it once as INVALID_TOKEN', async () => {
      const send = jest.fn();
      const clock = new ManualClock();
      const reporter = new ProgressReporter({ id: 1 } as unknown as string, send, {
        scheduler: clock,
      });
      const problems: ProgressErrorResult[] = [];
      reporter.errors$.subscribe((p) => problems.push(p));
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      reporter.complete();
      await reporter.done;
      expect(send).not.toHaveBeenCalled();
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        error: ProgressError.INVALID_TOKEN,
        message:
          'progress reporter: {"id":1} is not a progress token (a string or an integer); nothing will be sent',
      });
    });
  });

  describe('as an Observer', () => {
    it('can be subscribed to an Observable, and its methods are bound', async () => {
      const sent: number[] = [];
      const reporter = new ProgressReporter(7, (n) => void sent.push(n.params.progress), {
        maxUpdatesPerSecond: Infinity,
      });
      from([{ progress: 1 }, { progress: 2 }, { progress: 3, total: 3 }]).subscribe(reporter);
      await reporter.done;
      expect(sent).toEqual([1, 2, 3]);

      const other = new ProgressReporter(8, (n) => void sent.push(n.params.progress), {
        maxUpdatesPerSecond: Infinity,
      });
      const { next, complete } = other;
      next({ progress: 10 });
      complete();
      await other.done;
      expect(sent).toEqual([1, 2, 3, 10]);
    });

    it('sends well-formed notifications with the token, total and message', () => {
      const sent: ProgressNotification[] = [];
      const reporter = new ProgressReporter('job', (n) => void sent.push(n));
      reporter.next({ progress: 0 });
      reporter.next({ progress: 1.5, total: 10, message: 'one and a half' });
      expect(sent).toEqual([
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 'job', progress: 0 },
        },
        {
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: 'job', progress: 1.5, total: 10, message: 'one and a half' },
        },
      ]);
      expect(sent.every((n) => ProgressNotification.is(n))).toBe(true);
      reporter.error(new Error('cleanup'));
    });
  });

  describe('asynchronous send (backpressure)', () => {
    /** A reporter whose every send returns a promise the test settles by hand. */
    const slowReporter = (
      config: ProgressReporterConfig = {},
    ): { reporter: ProgressReporter; sends: { progress: number; d: Deferred }[] } => {
      const sends: { progress: number; d: Deferred }[] = [];
      const reporter = new ProgressReporter(
        'job',
        (n) => {
          const d = deferred();
          sends.push({ progress: n.params.progress, d });
          return d.promise;
        },
        { maxUpdatesPerSecond: Infinity, ...config },
      );
      return { reporter, sends };
    };

    it('keeps one send in flight and coalesces what comes meanwhile into one pending input', async () => {
      const { reporter, sends } = slowReporter();
      reporter.next({ progress: 1 });
      for (let i = 2; i <= 100_000; i++) reporter.next({ progress: i });
      expect(sends.map((s) => s.progress)).toEqual([1]);
      sends[0].d.resolve();
      await settleTurns();
      expect(sends.map((s) => s.progress)).toEqual([1, 100_000]);
      sends[1].d.resolve();
      await settleTurns();
      expect(sends).toHaveLength(2);
      reporter.complete();
      await reporter.done;
    });

    it('sends in strictly increasing order, one at a time, whatever the timing', async () => {
      const { reporter, sends } = slowReporter();
      let inFlight = 0;
      let maxInFlight = 0;
      const order: number[] = [];
      const wrapped = new ProgressReporter('job', (n) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        order.push(n.params.progress);
        return settleTurns().then(() => {
          inFlight--;
        });
      });
      for (let i = 1; i <= 50; i++) {
        wrapped.next({ progress: i, total: 50 });
        if (i % 7 === 0) await settleTurns();
      }
      await wrapped.done;
      expect(maxInFlight).toBe(1);
      expect(order[order.length - 1]).toBe(50);
      for (let i = 1; i < order.length; i++) expect(order[i]).toBeGreaterThan(order[i - 1]);
      reporter.error(undefined);
      expect(sends).toHaveLength(0);
    });

    it('sends a final input after the in-flight send settles, replacing the pending one', async () => {
      const { reporter, sends } = slowReporter();
      let resolved = false;
      void reporter.done.then(() => {
        resolved = true;
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      reporter.next({ progress: 10, total: 10 });
      expect(reporter.closed).toBe(true);
      expect(sends.map((s) => s.progress)).toEqual([1]);
      sends[0].d.resolve();
      await settleTurns();
      expect(sends.map((s) => s.progress)).toEqual([1, 10]);
      expect(resolved).toBe(false); // the final send has not settled yet
      sends[1].d.resolve();
      await settleTurns();
      expect(resolved).toBe(true);
    });

    it('complete() sends the pending input after the in-flight send, then done resolves', async () => {
      const { reporter, sends } = slowReporter();
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      reporter.complete();
      expect(sends.map((s) => s.progress)).toEqual([1]);
      sends[0].d.resolve();
      await settleTurns();
      expect(sends.map((s) => s.progress)).toEqual([1, 2]);
      sends[1].d.resolve();
      await expect(reporter.done).resolves.toBeUndefined();
    });

    it('error() drops the pending input; done resolves once the in-flight send settles', async () => {
      const { reporter, sends } = slowReporter();
      let resolved = false;
      void reporter.done.then(() => {
        resolved = true;
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      reporter.error(new Error('operation failed'));
      await settleTurns();
      expect(resolved).toBe(false);
      sends[0].d.resolve();
      await settleTurns();
      expect(resolved).toBe(true);
      expect(sends.map((s) => s.progress)).toEqual([1]);
    });

    it('waits for both the transport and the bucket', async () => {
      const clock = new ManualClock();
      const { reporter, sends } = slowReporter({
        scheduler: clock,
        burst: 1,
        maxUpdatesPerSecond: 10,
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      sends[0].d.resolve();
      await settleTurns();
      expect(sends).toHaveLength(1); // the transport is free, the bucket is not
      expect(clock.pendingActions).toBe(1);
      clock.advanceTo(99);
      expect(sends).toHaveLength(1);
      clock.advanceTo(100);
      expect(sends.map((s) => s.progress)).toEqual([1, 2]);
      reporter.next({ progress: 3 });
      clock.advanceTo(300); // the bucket allows, the transport does not
      expect(sends).toHaveLength(2);
      expect(clock.pendingActions).toBe(0);
      sends[1].d.resolve();
      await settleTurns();
      expect(sends.map((s) => s.progress)).toEqual([1, 2, 3]);
      sends[2].d.resolve();
      reporter.complete();
      await reporter.done;
    });

    it('accepts any thenable', async () => {
      const sent: number[] = [];
      const reporter = new ProgressReporter('job', (n) => {
        sent.push(n.params.progress);
        const thenable: PromiseLike<undefined> = {
          then: <R>(onFulfilled?: ((value: undefined) => R | PromiseLike<R>) | null) => {
            onFulfilled?.(undefined);
            return thenable as unknown as PromiseLike<R>;
          },
        };
        return thenable;
      });
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      await settleTurns();
      expect(sent).toEqual([1, 2]);
      reporter.complete();
      await reporter.done;
    });
  });

  describe('a failing send', () => {
    it('that rejects: closes, reports STATE_ERROR with the cause, and done rejects', async () => {
      const cause = new Error('transport closed');
      const sends: Deferred[] = [];
      const reporter = new ProgressReporter(
        'job',
        () => {
          const d = deferred();
          sends.push(d);
          return d.promise;
        },
        { maxUpdatesPerSecond: Infinity },
      );
      const problems: ProgressErrorResult[] = [];
      reporter.errors$.subscribe((p) => problems.push(p));
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2 });
      sends[0].reject(cause);
      await settleTurns();
      expect(reporter.closed).toBe(true);
      expect(sends).toHaveLength(1); // the pending input was dropped
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        error: ProgressError.STATE_ERROR,
        message:
          'progress reporter for token "job": send failed (transport closed); the reporter is closed and sends nothing more',
        details: { progressToken: 'job', cause },
      });
      const failure: unknown = await reporter.done.then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ProgressFailure);
      expect(failure).toMatchObject({ error: ProgressError.STATE_ERROR, details: { cause } });
      reporter.next({ progress: 3 });
      expect(problems[1]).toMatchObject({
        error: ProgressError.STATE_ERROR,
        details: { reason: 'failed' },
      });
    });

    it('that throws synchronously: the caller of next is not hurt, and done rejects', async () => {
      const reporter = new ProgressReporter('job', () => {
        throw new Error('socket gone');
      });
      expect(() => {
        reporter.next({ progress: 1 });
      }).not.toThrow();
      expect(reporter.closed).toBe(true);
      await expect(reporter.done).rejects.toMatchObject({
        error: ProgressError.STATE_ERROR,
        message: expect.stringContaining('send failed (socket gone)') as unknown,
      });
    });

    it('that fails while nobody awaits done: no unhandled rejection', async () => {
      // Jest fails the test on an unhandled rejection; so would Node's default mode.
      const rejecting = new ProgressReporter('a', () => Promise.reject(new Error('nope')));
      rejecting.next({ progress: 1 });
      const throwing = new ProgressReporter('b', () => {
        throw new Error('nope');
      });
      throwing.next({ progress: 1 });
      await settleTurns();
      expect(rejecting.closed && throwing.closed).toBe(true);
    });

    it('that fails on the final send: done rejects', async () => {
      const reporter = new ProgressReporter('job', (n) =>
        n.params.progress === 2 ? Promise.reject(new Error('late failure')) : Promise.resolve(),
      );
      reporter.next({ progress: 1 });
      reporter.next({ progress: 2, total: 2 });
      await expect(reporter.done).rejects.toBeInstanceOf(ProgressFailure);
    });

    it('that fails after error(): done rejects', async () => {
      const d = deferred();
      const reporter = new ProgressReporter('job', () => d.promise);
      reporter.next({ progress: 1 });
      reporter.error(new Error('operation failed'));
      d.reject(new Error('send failed too'));
      await expect(reporter.done).rejects.toMatchObject({
        details: { cause: new Error('send failed too') },
      });
    });
  });

  describe('re-entrancy', () => {
    it('a send that feeds the reporter again keeps order and one at a time', async () => {
      const sent: number[] = [];
      const reporter: ProgressReporter = new ProgressReporter(
        'job',
        (n) => {
          sent.push(n.params.progress);
          if (n.params.progress < 5) reporter.next({ progress: n.params.progress + 1 });
          if (n.params.progress === 5) reporter.complete();
        },
        { maxUpdatesPerSecond: Infinity },
      );
      reporter.next({ progress: 1 });
      await reporter.done;
      expect(sent).toEqual([1, 2, 3, 4, 5]);
    });
  });

  describe('configuration', () => {
    it.each([
      [{ maxUpdatesPerSecond: 0 }, /maxUpdatesPerSecond/],
      [{ burst: 0 }, /burst must be an integer >= 1, got 0/],
      [{ diagnosticsWindowMs: -5 }, /diagnosticsWindowMs/],
    ])('rejects %p with a RangeError naming the option', (config, message) => {
      expect(() => new ProgressReporter('job', () => undefined, config)).toThrow(RangeError);
      expect(() => new ProgressReporter('job', () => undefined, config)).toThrow(message);
    });

    it('names a value of the wrong type as it came (a string quoted), and a missing send', () => {
      expect(() => new ProgressReporter('job', () => undefined, { burst: '10' as never })).toThrow(
        'burst must be an integer >= 1, got "10"',
      );
      expect(() => new ProgressReporter('job', undefined as never)).toThrow(
        new TypeError(
          'ProgressReporter: expected send, a function that sends one notification, got undefined',
        ),
      );
    });
  });

  describe('performance', () => {
    it('takes a million inputs in a tight loop with constant state', () => {
      let sends = 0;
      const clock = new ManualClock();
      const reporter = new ProgressReporter(
        'job',
        () => {
          sends++;
        },
        { scheduler: clock },
      );
      for (let i = 1; i <= 1_000_000; i++) reporter.next({ progress: i, total: 2_000_000 });
      expect(sends).toBe(10); // the burst; the rest coalesced into one pending input
      expect(clock.pendingActions).toBe(1); // one timer, whatever the number of inputs
      clock.advanceTo(100);
      expect(sends).toBe(11);
      reporter.complete();
    });
  });
});
