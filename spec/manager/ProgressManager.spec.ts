import { NEVER, Observable, Subject, type Subscription } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  ProgressError,
  ProgressFailure,
  ProgressManager,
  type ProgressErrorResult,
  type ProgressUpdate,
} from '../../src/index.js';
import {
  cancelled,
  errorResponse,
  progressMessage,
  request,
  response,
  update,
} from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';

describe('ProgressManager', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    a: progressMessage('T', 1, 10),
    b: progressMessage('T', 2, 10),
    c: progressMessage('T', 3, 10),
    F: progressMessage('T', 10, 10),
    u: progressMessage('U', 5),
    k: progressMessage('K', 1),
    r: request(1),
    s: response(7),
    e: errorResponse(7),
    o: response(8),
    x: cancelled(7),
  };
  const out = {
    a: update('T', 1, 10),
    b: update('T', 2, 10),
    c: update('T', 3, 10),
    F: update('T', 10, 10),
    u: update('U', 5),
  };

  const failure = (error: ProgressError, message: string | RegExp): unknown =>
    expect.objectContaining({ error, message: expect.stringMatching(message) as unknown });

  describe('track', () => {
    it('emits its token’s updates, throttled, and completes on the final one', () => {
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const messages = hot('-a-b-c-u-F-|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T')).toBe('-a-------(F|)', out);
        expectSubscriptions(messages.subscriptions).toBe('^----------!');
      });
    });

    it('emits the newest held update at the end of each window', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('ab 200ms c 150ms F', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T')).toBe('a 99ms b 101ms c 150ms (F|)', out);
      });
    });

    it('subscribes to messages$ once for every token', () => {
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const messages = hot('-a-u-|', values);
        const manager = new ProgressManager(messages, {
          scheduler: rx,
          maxUpdatesPerSecond: Infinity,
        });
        expectObservable(manager.track('T')).toBe('-a---|', out);
        expectObservable(manager.track('U')).toBe('---u-|', out);
        expectSubscriptions(messages.subscriptions).toBe('^----!');
      });
    });

    it('is cold: nothing is registered before subscription', () => {
      const manager = new ProgressManager(NEVER);
      const tracked = manager.track('T');
      expect(manager.activeTokens.size).toBe(0);
      const sub = tracked.subscribe();
      expect([...manager.activeTokens]).toEqual(['T']);
      sub.unsubscribe();
      expect(manager.activeTokens.size).toBe(0);
    });

    it('routes string tokens and keeps "1" and 1 apart', () => {
      const messages = new Subject<unknown>();
      const manager = new ProgressManager(messages, { maxUpdatesPerSecond: Infinity });
      const strings: ProgressUpdate[] = [];
      const numbers: ProgressUpdate[] = [];
      manager.track('1').subscribe((u) => strings.push(u));
      manager.track(1).subscribe((u) => numbers.push(u));
      messages.next(progressMessage('1', 5));
      messages.next(progressMessage(1, 6));
      expect(strings).toEqual([update('1', 5)]);
      expect(numbers).toEqual([update(1, 6)]);
    });

    it('fails at once for a malformed token', () => {
      rx.run(({ expectObservable }) => {
        const manager = new ProgressManager(NEVER, { scheduler: rx });
        expectObservable(manager.track(1.5)).toBe(
          '#',
          undefined,
          failure(ProgressError.INVALID_TOKEN, /1\.5 is not a progress token/),
        );
      });
    });

    it('fails with STATE_ERROR for a token that is already active', () => {
      const manager = new ProgressManager(NEVER);
      manager.track('T').subscribe();
      const errors: unknown[] = [];
      manager.track('T').subscribe({ error: (e: unknown) => errors.push(e) });
      expect(errors[0]).toBeInstanceOf(ProgressFailure);
      expect(errors[0]).toMatchObject({
        error: ProgressError.STATE_ERROR,
        message: 'track: token "T" is already active; tokens must be unique across active requests',
      });
    });

    it('fails with STATE_ERROR for a request id that is already tracked', () => {
      const manager = new ProgressManager(NEVER);
      manager.track('T', { requestId: 7 }).subscribe();
      const errors: unknown[] = [];
      manager.track('U', { requestId: 7 }).subscribe({ error: (e: unknown) => errors.push(e) });
      expect(errors[0]).toMatchObject({ error: ProgressError.STATE_ERROR });
    });

    it('lets a token be tracked again once it has ended', () => {
      const messages = new Subject<unknown>();
      const manager = new ProgressManager(messages, { maxUpdatesPerSecond: Infinity });
      const seen: ProgressUpdate[] = [];
      manager.track('T').subscribe((u) => seen.push(u));
      messages.next(values.F);
      manager.track('T').subscribe((u) => seen.push(u));
      messages.next(values.a);
      expect(seen).toEqual([out.F, out.a]);
    });

    it('handles an early unsubscribe, releasing the token', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('-a-b-c-|', values);
        const manager = new ProgressManager(messages, {
          scheduler: rx,
          maxUpdatesPerSecond: Infinity,
        });
        expectObservable(manager.track('T'), '^--!').toBe('-a--', out);
        rx.schedule(() => {
          expect(manager.activeTokens.has('T')).toBe(false);
        }, 4);
      });
    });

    it('never completes for a messages$ that never emits', () => {
      rx.run(({ cold, expectObservable }) => {
        const manager = new ProgressManager(cold('-'), { scheduler: rx });
        expectObservable(manager.track('T')).toBe('-');
      });
    });
  });

  describe('completion by the request', () => {
    it('completes on the response whose id is the requestId, held update first', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('ab-o-s-c|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T', { requestId: 7 })).toBe('a----(b|)', out);
      });
    });

    it('completes on an error response too', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a-e-|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T', { requestId: 7 })).toBe('a-|', out);
      });
    });

    it('does not confuse request ids of different types', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a-s-|', { ...values, s: response('7') });
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T', { requestId: 7 })).toBe('a---|', out);
      });
    });

    it('completes on notifications/cancelled for the requestId, held update first', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('ab-x-c|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T', { requestId: 7 })).toBe('a--(b|)', out);
      });
    });

    it('ignores notifications/cancelled with completeOnCancelled: false', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a-x-s|', values);
        const manager = new ProgressManager(messages, {
          scheduler: rx,
          completeOnCancelled: false,
        });
        expectObservable(manager.track('T', { requestId: 7 })).toBe('a---|', out);
      });
    });
  });

  describe('timeouts', () => {
    it('errors after idleTimeoutMs without an update; every update restarts the clock', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a 40ms b 40ms c', values);
        const manager = new ProgressManager(messages, {
          scheduler: rx,
          idleTimeoutMs: 50,
          maxUpdatesPerSecond: Infinity,
        });
        expectObservable(manager.track('T')).toBe(
          'a 40ms b 40ms c 49ms #',
          out,
          failure(
            ProgressError.STATE_ERROR,
            /^no progress for token "T" in 50 ms \(idle timeout\)$/,
          ),
        );
      });
    });

    it('errors at maxTotalTimeoutMs even while updates flow', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a 40ms b 40ms c', values);
        const manager = new ProgressManager(messages, {
          scheduler: rx,
          idleTimeoutMs: 50,
          maxTotalTimeoutMs: 60,
          maxUpdatesPerSecond: Infinity,
        });
        expectObservable(manager.track('T')).toBe(
          'a 40ms b 18ms #',
          out,
          failure(ProgressError.STATE_ERROR, /ran for 60 ms \(total timeout\)/),
        );
      });
    });

    it('emits the held update before a timeout error', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('ab', values);
        const manager = new ProgressManager(messages, { scheduler: rx, maxTotalTimeoutMs: 30 });
        expectObservable(manager.track('T')).toBe(
          'a 29ms (b#)',
          out,
          failure(ProgressError.STATE_ERROR, /total timeout/),
        );
      });
    });

    it('takes per-token overrides', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a', values);
        const manager = new ProgressManager(messages, { scheduler: rx, idleTimeoutMs: 1000 });
        expectObservable(manager.track('T', { idleTimeoutMs: 10 })).toBe(
          'a 9ms #',
          out,
          failure(ProgressError.STATE_ERROR, /in 10 ms/),
        );
      });
    });

    it('rejects durations that are not positive finite numbers', () => {
      expect(() => new ProgressManager(NEVER, { idleTimeoutMs: 0 })).toThrow(
        'idleTimeoutMs must be a finite number of milliseconds > 0, got 0',
      );
      expect(() => new ProgressManager(NEVER, { maxTotalTimeoutMs: Infinity })).toThrow(RangeError);
      expect(() => new ProgressManager(NEVER).track('T', { idleTimeoutMs: -5 })).toThrow(
        RangeError,
      );
      expect(() => new ProgressManager(NEVER, { maxUpdatesPerSecond: -1 })).toThrow(RangeError);
      expect(() => new ProgressManager(NEVER, { maxUpdatesPerSecond: '10' as never })).toThrow(
        'maxUpdatesPerSecond must be a number > 0 (Infinity turns throttling off), got "10"',
      );
    });

    it('says so when it is given something other than an Observable of messages', () => {
      expect(() => new ProgressManager(undefined as never)).toThrow(
        new TypeError(
          'ProgressManager: expected messages$, an Observable of the received JSON-RPC messages, got undefined',
        ),
      );
    });

    it('leaves no timer behind once every stream has ended', () => {
      rx.run(() => {
        const scheduler = trackingScheduler(rx);
        const messages = new Subject<unknown>();
        const manager = new ProgressManager(messages, {
          scheduler,
          idleTimeoutMs: 5000,
          maxTotalTimeoutMs: 60000,
        });
        const subs: Subscription[] = [];
        for (let i = 0; i < 100; i++) subs.push(manager.track(i).subscribe());
        for (let i = 0; i < 100; i++) messages.next(progressMessage(i, 1, 10));
        for (let i = 0; i < 100; i++) messages.next(progressMessage(i, 2, 10));
        expect(scheduler.pending).toBeGreaterThan(0);
        for (let i = 0; i < 50; i++) messages.next(progressMessage(i, 10, 10));
        for (let i = 50; i < 100; i++) subs[i].unsubscribe();
        // Only the window of the RATE_LIMIT diagnostics (the final updates replaced held ones) is
        // left, and it ends by itself.
        expect(scheduler.pending).toBe(1);
        rx.schedule(() => {
          expect(scheduler.pending).toBe(0);
        }, 1000);
        // One timer per deadline length and one for throttle windows, not one per token.
        expect(scheduler.scheduled).toBeLessThan(10);
      });
    });
  });

  describe('errors$', () => {
    it('reports updates for unknown and ended tokens, and malformed notifications', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('-u-F-a-m-|', { ...values, m: progressMessage('T', -1) });
        const manager = new ProgressManager(messages, { scheduler: rx });
        manager.track('T').subscribe();
        expectObservable(manager.errors$).toBe('-u---a-m-|', {
          u: {
            error: ProgressError.INVALID_TOKEN,
            message: 'progress for unknown token "U"; dropped',
            details: { progressToken: 'U', reason: 'unknown', count: 1 },
          },
          a: {
            error: ProgressError.INVALID_TOKEN,
            message: 'progress for token "T" after its stream ended; dropped',
            details: { progressToken: 'T', reason: 'ended', count: 1 },
          },
          m: expect.objectContaining({
            error: ProgressError.INVALID_PROGRESS,
            message: expect.stringContaining('params.progress: -1') as unknown,
          }) as unknown,
        });
      });
    });

    it('coalesces a flood per kind and token, counting every input exactly once', () => {
      const messages = new Subject<unknown>();
      const problems: ProgressErrorResult[] = [];
      rx.run(({ flush }) => {
        const manager = new ProgressManager(messages, { scheduler: rx });
        manager.errors$.subscribe((p) => problems.push(p));
        for (let i = 0; i < 1000; i++) messages.next(progressMessage('X', i));
        for (let i = 0; i < 10; i++) messages.next(progressMessage('Y', i));
        expect(problems).toHaveLength(2);
        flush();
      });
      expect(problems).toHaveLength(4);
      const count = (token: string): number =>
        problems
          .filter((p) => (p.details as { progressToken: string }).progressToken === token)
          .reduce((n, p) => n + (p.details as { count: number }).count, 0);
      expect(count('X')).toBe(1000);
      expect(count('Y')).toBe(10);
      expect(problems[2].message).toBe(
        'progress for unknown token "X"; dropped (999 times in 1000 ms)',
      );
    });

    it('keeps at most maxDiagnosticKeys keys, sharing one for further tokens', () => {
      const messages = new Subject<unknown>();
      const problems: ProgressErrorResult[] = [];
      rx.run(({ flush }) => {
        const manager = new ProgressManager(messages, { scheduler: rx, maxDiagnosticKeys: 3 });
        manager.errors$.subscribe((p) => problems.push(p));
        for (let i = 0; i < 10_000; i++) messages.next(progressMessage(`invented-${String(i)}`, 1));
        expect(problems).toHaveLength(4);
        flush();
      });
      expect(problems).toHaveLength(4 + 1);
      expect(problems[4].message).toMatch(
        /\(9996 such diagnostics for various tokens in 1000 ms\)$/,
      );
      expect(problems.reduce((n, p) => n + (p.details as { count: number }).count, 0)).toBe(10_000);
    });

    it('reports a peer over the rate as RATE_LIMIT, coalesced', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('abc|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        manager.track('T').subscribe();
        // b is held, then replaced by c: one update dropped, one diagnostic.
        expectObservable(manager.errors$).toBe('--a|', {
          a: expect.objectContaining({
            error: ProgressError.RATE_LIMIT,
            details: { progressToken: 'T', maxUpdatesPerSecond: 10, count: 1 },
          }) as unknown,
        });
      });
    });

    describe('a subscriber of errors$ that ends the streams (re-entrantly)', () => {
      /** Disposes the manager on its first diagnostic; returns what the tracked stream got, in order with the diagnostics. */
      const disposingOnFirstDiagnostic = (marbles: string): string[] => {
        const log: string[] = [];
        rx.run(({ hot }) => {
          const manager = new ProgressManager(hot(marbles, values), { scheduler: rx });
          manager.errors$.subscribe((problem) => {
            log.push(problem.error);
            manager.dispose();
          });
          manager.track('T').subscribe({
            next: (u) => log.push(String(u.progress)),
            complete: () => log.push('complete'),
          });
        });
        return log;
      };

      it('gets the newest held update when a replaced one is reported', () => {
        // b is held; c replaces it and is held; the report of b disposes: c goes out first.
        expect(disposingOnFirstDiagnostic('abc|')).toEqual([
          '1',
          ProgressError.RATE_LIMIT,
          '3',
          'complete',
        ]);
      });

      it('gets the final update before the held update it replaced is reported', () => {
        // b is held; F replaces it: F goes out and completes the stream before b is reported.
        expect(disposingOnFirstDiagnostic('abF|')).toEqual([
          '1',
          '10',
          'complete',
          ProgressError.RATE_LIMIT,
        ]);
      });
    });

    it('connects the manager when subscribed', () => {
      rx.run(({ hot, expectSubscriptions }) => {
        const messages = hot('--|');
        const manager = new ProgressManager(messages, { scheduler: rx });
        manager.errors$.subscribe();
        expectSubscriptions(messages.subscriptions).toBe('^-!');
      });
    });
  });

  describe('the end of messages$', () => {
    it('completes every tracked stream (held updates first) and errors$', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('ab-|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T')).toBe('a--(b|)', out);
        expectObservable(manager.errors$).toBe('---|');
      });
    });

    it('errors every tracked stream when it errors, and reports it on errors$', () => {
      rx.run(({ hot, expectObservable }) => {
        const messages = hot('a-#', values, new Error('transport lost'));
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T')).toBe('a-#', out, new Error('transport lost'));
        expectObservable(manager.errors$).toBe('--(s|)', {
          s: expect.objectContaining({
            error: ProgressError.STATE_ERROR,
            message: 'the messages$ stream failed: transport lost',
          }) as unknown,
        });
      });
    });

    it('makes later track calls fail with STATE_ERROR', () => {
      rx.run(({ cold, expectObservable }) => {
        const manager = new ProgressManager(cold('|'), { scheduler: rx });
        manager.errors$.subscribe();
        expectObservable(manager.track('T')).toBe(
          '#',
          undefined,
          failure(ProgressError.STATE_ERROR, /messages\$ stream has ended/),
        );
      });
    });

    it('completes a stream whose messages$ completes while it subscribes', () => {
      rx.run(({ cold, expectObservable }) => {
        const manager = new ProgressManager(cold('(a|)', values), { scheduler: rx });
        expectObservable(manager.track('T')).toBe('(a|)', out);
      });
    });
  });

  describe('dispose', () => {
    it('completes every stream and errors$, and unsubscribes from messages$', () => {
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const messages = hot('ab----|', values);
        const manager = new ProgressManager(messages, { scheduler: rx });
        expectObservable(manager.track('T')).toBe('a--(b|)', out);
        expectObservable(manager.errors$).toBe('---|');
        rx.schedule(() => {
          manager.dispose();
          manager.dispose();
        }, 3);
        expectSubscriptions(messages.subscriptions).toBe('^--!');
      });
    });

    it('makes later track calls fail with STATE_ERROR', () => {
      const manager = new ProgressManager(NEVER);
      manager.dispose();
      const errors: unknown[] = [];
      manager.track('T').subscribe({ error: (e: unknown) => errors.push(e) });
      expect(errors[0]).toMatchObject({
        error: ProgressError.STATE_ERROR,
        message: 'track: cannot track token "T": the manager is disposed',
      });
    });
  });

  describe('createToken', () => {
    it('makes unique string tokens that route end to end', () => {
      const messages = new Subject<unknown>();
      const manager = new ProgressManager(messages, { maxUpdatesPerSecond: Infinity });
      const tokens = new Set(Array.from({ length: 1000 }, () => manager.createToken()));
      expect(tokens.size).toBe(1000);
      const other = new ProgressManager(messages).createToken();
      expect(tokens.has(other)).toBe(false);
      const token = manager.createToken();
      expect(typeof token).toBe('string');
      const seen: ProgressUpdate[] = [];
      manager.track(token).subscribe((u) => seen.push(u));
      messages.next(progressMessage(token, 1, 2));
      expect(seen).toEqual([update(token, 1, 2)]);
    });
  });

  describe('activeTokens', () => {
    it('is a live read-only view', () => {
      const manager = new ProgressManager(new Observable<unknown>());
      const view = manager.activeTokens;
      const a = manager.track('a').subscribe();
      manager.track(2).subscribe();
      expect(view.size).toBe(2);
      expect(view.has('a')).toBe(true);
      expect([...view.keys()]).toEqual(['a', 2]);
      expect([...view.entries()]).toEqual([
        ['a', 'a'],
        [2, 2],
      ]);
      const each: unknown[] = [];
      view.forEach((v) => each.push(v));
      expect(each).toEqual(['a', 2]);
      a.unsubscribe();
      expect([...view]).toEqual([2]);
      expect('add' in view).toBe(false);
    });
  });

  describe('maxMessageLength', () => {
    it('cuts long messages (1024 by default)', () => {
      const messages = new Subject<unknown>();
      const seen: (string | undefined)[] = [];
      new ProgressManager(messages).track('T').subscribe((u) => seen.push(u.message));
      new ProgressManager(messages, { maxMessageLength: 4 })
        .track('T')
        .subscribe((u) => seen.push(u.message));
      messages.next(progressMessage('T', 1, undefined, 'y'.repeat(2000)));
      expect(seen[0]).toBe(`${'y'.repeat(1023)}…`);
      expect(seen[1]).toBe('yyy…');
    });

    it('rejects a bad limit', () => {
      expect(() => new ProgressManager(NEVER, { maxMessageLength: 1.5 })).toThrow(RangeError);
    });
  });
});
