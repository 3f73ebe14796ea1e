/**
 * Faults on the receiving side: a `messages$` that errors mid-operation, throws when subscribed,
 * or ends re-entrantly; consumers that end things from inside a delivery; callbacks that throw; real
 * timers. Every stream ends in a defined way (asserted), no timer is left (a tracking scheduler
 * counts them; real timers are checked by `jest --detectOpenHandles`), and no rejection is unhandled.
 */
import { asyncScheduler, Observable, Subject } from 'rxjs';
import {
  ProgressError,
  ProgressFailure,
  ProgressManager,
  trackProgress,
  type ProgressErrorResult,
} from '../../src/index.js';
import { progressMessage, response } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';
import { noUnhandledRejections, sleep } from './health.js';

noUnhandledRejections();

type End = { kind: 'complete' } | { kind: 'error'; error: unknown };

/** Records what a stream emitted and how it ended. */
const recorder = <T>(): {
  values: T[];
  end: End | undefined;
  observer: Partial<import('rxjs').Observer<T>>;
} => {
  const r: { values: T[]; end: End | undefined; observer: Partial<import('rxjs').Observer<T>> } = {
    values: [],
    end: undefined,
    observer: {},
  };
  r.observer = {
    next: (v) => r.values.push(v),
    complete: () => (r.end = { kind: 'complete' }),
    error: (error: unknown) => (r.end = { kind: 'error', error }),
  };
  return r;
};

describe('ProgressManager: messages$ fails mid-operation', () => {
  it('tracked streams get their held update, then the error; errors$ reports it and completes; no timer', () => {
    const rx = testScheduler();
    rx.run(() => {
      const scheduler = trackingScheduler(rx);
      const messages$ = new Subject<unknown>();
      const manager = new ProgressManager(messages$, {
        scheduler,
        idleTimeoutMs: 5000,
        maxTotalTimeoutMs: 60_000,
      });
      const a = recorder<{ progress: number }>();
      const b = recorder<{ progress: number }>();
      const diagnostics = recorder<ProgressErrorResult>();
      manager.errors$.subscribe(diagnostics.observer);
      manager.track('a', { requestId: 1 }).subscribe(a.observer);
      manager.track('b', { requestId: 2 }).subscribe(b.observer);
      messages$.next(progressMessage('a', 1));
      messages$.next(progressMessage('a', 2)); // held
      messages$.next(progressMessage('nobody', 1)); // a diagnostic still being counted
      messages$.next(progressMessage('nobody', 2));
      expect(scheduler.pending).toBe(4); // throttle, idle, total, diagnostics
      const failure = new Error('connection reset');
      messages$.error(failure);
      expect(a.values.map((u) => u.progress)).toEqual([1, 2]);
      expect(a.end).toEqual({ kind: 'error', error: failure });
      expect(b.end).toEqual({ kind: 'error', error: failure });
      expect(diagnostics.end).toEqual({ kind: 'complete' });
      expect(diagnostics.values.map((d) => d.error)).toEqual([
        ProgressError.INVALID_TOKEN,
        ProgressError.STATE_ERROR,
        ProgressError.INVALID_TOKEN, // the count still being summed, flushed at the end
      ]);
      expect(scheduler.pending).toBe(0);
      expect(manager.activeTokens.size).toBe(0);
      // Later tracks fail at once with STATE_ERROR.
      const late = recorder();
      manager.track('c').subscribe(late.observer);
      expect((late.end as { error: ProgressFailure }).error.error).toBe(ProgressError.STATE_ERROR);
    });
  });

  it('a messages$ that throws when subscribed: the first track errors with it, errors$ completes', () => {
    const scheduler = trackingScheduler(testScheduler());
    const messages$ = new Observable<unknown>(() => {
      throw new Error('cannot connect');
    });
    const manager = new ProgressManager(messages$, { scheduler, idleTimeoutMs: 1000 });
    const a = recorder();
    manager.track('a').subscribe(a.observer);
    expect(a.end).toEqual({ kind: 'error', error: new Error('cannot connect') });
    const diagnostics = recorder<ProgressErrorResult>();
    manager.errors$.subscribe(diagnostics.observer);
    expect(diagnostics.end).toEqual({ kind: 'complete' });
    expect(scheduler.pending).toBe(0);
  });

  it('a messages$ that errors re-entrantly, from inside a delivery to a tracked stream', () => {
    const scheduler = trackingScheduler(testScheduler());
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, { scheduler, maxUpdatesPerSecond: Infinity });
    const a = recorder<{ progress: number }>();
    const b = recorder<{ progress: number }>();
    manager.track('a').subscribe({
      ...a.observer,
      next: (u) => {
        a.values.push(u);
        if (u.progress === 2) messages$.error(new Error('failed while delivering'));
      },
    });
    manager.track('b').subscribe(b.observer);
    messages$.next(progressMessage('a', 1));
    messages$.next(progressMessage('a', 2));
    messages$.next(progressMessage('b', 1)); // after the failure: nobody listens
    expect(a.values.map((u) => u.progress)).toEqual([1, 2]);
    expect(a.end?.kind).toBe('error');
    expect(b.end?.kind).toBe('error');
    expect(b.values).toEqual([]);
    expect(scheduler.pending).toBe(0);
  });
});

describe('ProgressManager: consumers that end things from inside a delivery', () => {
  it('dispose() from a tracked stream’s next: every stream completes once, no timer', () => {
    const scheduler = trackingScheduler(testScheduler());
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, { scheduler, idleTimeoutMs: 100 });
    const a = recorder<{ progress: number }>();
    const b = recorder<{ progress: number }>();
    manager.track('a').subscribe({
      ...a.observer,
      next: () => {
        manager.dispose();
      },
    });
    manager.track('b').subscribe(b.observer);
    messages$.next(progressMessage('b', 1));
    messages$.next(progressMessage('b', 2)); // held
    messages$.next(progressMessage('a', 1));
    expect(a.end).toEqual({ kind: 'complete' });
    expect(b.end).toEqual({ kind: 'complete' });
    expect(b.values.map((u) => u.progress)).toEqual([1, 2]);
    expect(scheduler.pending).toBe(0);
    expect(messages$.observed).toBe(false);
  });

  it('a consumer that unsubscribes another token while its held update is being flushed by the response', () => {
    const scheduler = trackingScheduler(testScheduler());
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, { scheduler });
    const b = recorder<{ progress: number }>();
    const bSubscription = manager.track('b', { requestId: 2 }).subscribe(b.observer);
    const a = recorder<{ progress: number }>();
    manager.track('a', { requestId: 1 }).subscribe({
      ...a.observer,
      next: (u) => {
        a.values.push(u);
        bSubscription.unsubscribe();
      },
    });
    messages$.next(progressMessage('b', 1));
    messages$.next(progressMessage('b', 2)); // held
    messages$.next(progressMessage('a', 1)); // a's next leaves b
    messages$.next(response(2)); // b is gone: nothing happens
    messages$.next(response(1));
    expect(a.end).toEqual({ kind: 'complete' });
    expect(b.end).toBeUndefined(); // unsubscribed: no end is delivered, by definition
    expect(b.values.map((u) => u.progress)).toEqual([1]);
    expect(manager.activeTokens.size).toBe(0);
    expect(scheduler.pending).toBe(0);
  });
});

describe('ProgressManager with real timers', () => {
  it('an idle timeout fires on asyncScheduler and leaves nothing running', async () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, { scheduler, idleTimeoutMs: 30 });
    const a = recorder<{ progress: number }>();
    manager.track('a').subscribe(a.observer);
    messages$.next(progressMessage('a', 1));
    await sleep(80);
    expect((a.end as { error: ProgressFailure }).error.error).toBe(ProgressError.STATE_ERROR);
    expect(scheduler.pending).toBe(0);
    manager.dispose();
  });

  it('dispose() cancels long timers (a 60 s idle timeout, a 10 min cap, throttle and diagnostics windows)', () => {
    const scheduler = trackingScheduler(asyncScheduler);
    const messages$ = new Subject<unknown>();
    const manager = new ProgressManager(messages$, {
      scheduler,
      idleTimeoutMs: 60_000,
      maxTotalTimeoutMs: 600_000,
      diagnosticsWindowMs: 60_000,
      maxUpdatesPerSecond: 0.001,
    });
    const a = recorder();
    manager.track('a').subscribe(a.observer);
    messages$.next(progressMessage('a', 1));
    messages$.next(progressMessage('a', 2));
    messages$.next(progressMessage('x', 1));
    expect(scheduler.pending).toBeGreaterThanOrEqual(4);
    manager.dispose();
    expect(a.end).toEqual({ kind: 'complete' });
    expect(scheduler.pending).toBe(0);
  });
});

describe('trackProgress: faults', () => {
  it('the source fails with updates held: every group and the result error, no timer', () => {
    const scheduler = trackingScheduler(testScheduler());
    const source = new Subject<unknown>();
    const outer = recorder();
    const groups: ReturnType<typeof recorder>[] = [];
    source.pipe(trackProgress({ scheduler })).subscribe({
      ...outer.observer,
      next: (group) => {
        const g = recorder();
        groups.push(g);
        group.subscribe(g.observer);
      },
    });
    source.next(progressMessage('a', 1));
    source.next(progressMessage('a', 2)); // held
    source.next(progressMessage('b', 1));
    const failure = new Error('source failed');
    source.error(failure);
    expect(outer.end).toEqual({ kind: 'error', error: failure });
    expect(groups.map((g) => g.end)).toEqual([
      { kind: 'error', error: failure },
      { kind: 'error', error: failure },
    ]);
    expect(scheduler.pending).toBe(0);
  });

  it.each([
    [
      'isActive',
      {
        isActive: (): boolean => {
          throw new Error('callback threw');
        },
      },
    ],
    [
      'onError',
      {
        onError: (): void => {
          throw new Error('callback threw');
        },
      },
    ],
  ])(
    'an %s that throws: the result and its groups error with it, the source is left, no timer',
    (_name, options) => {
      const scheduler = trackingScheduler(testScheduler());
      const source = new Subject<unknown>();
      const outer = recorder();
      const groups: ReturnType<typeof recorder>[] = [];
      source.pipe(trackProgress({ scheduler, ...options })).subscribe({
        ...outer.observer,
        next: (group) => {
          const g = recorder();
          groups.push(g);
          group.subscribe(g.observer);
        },
      });
      source.next(progressMessage('a', 1)); // isActive is asked here
      source.next(progressMessage('a', 2));
      source.next(progressMessage('a', 1)); // non-increasing: onError is called here
      expect(outer.end).toEqual({ kind: 'error', error: new Error('callback threw') });
      for (const g of groups)
        expect(g.end).toEqual({ kind: 'error', error: new Error('callback threw') });
      expect(source.observed).toBe(false);
      expect(scheduler.pending).toBe(0);
    },
  );

  it('a group whose consumer leaves from inside its own delivery, while the window timer is firing', () => {
    const rx = testScheduler();
    rx.run(() => {
      const scheduler = trackingScheduler(rx);
      const source = new Subject<unknown>();
      const seen: number[] = [];
      const problems: ProgressErrorResult[] = [];
      let groups = 0;
      source
        .pipe(
          trackProgress({ scheduler, maxUpdatesPerSecond: 10, onError: (p) => problems.push(p) }),
        )
        .subscribe((group) => {
          groups++;
          const subscription = group.subscribe((u) => {
            seen.push(u.progress);
            if (u.progress === 2) subscription.unsubscribe();
          });
        });
      source.next(progressMessage('a', 1));
      source.next(progressMessage('a', 2)); // held; emitted by the window's end, where it leaves
      rx.schedule(() => {
        source.next(progressMessage('a', 3)); // after the group ended: reported, no new group
      }, 500);
      rx.schedule(() => {
        expect(seen).toEqual([1, 2]);
        expect(groups).toBe(1);
        expect(problems).toEqual([
          expect.objectContaining({
            error: ProgressError.INVALID_TOKEN,
            details: { progressToken: 'a', reason: 'ended' },
          }),
        ]);
        expect(scheduler.pending).toBe(0);
      }, 1000);
    });
  });
});
