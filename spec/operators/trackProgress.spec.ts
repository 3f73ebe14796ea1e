import { map, mergeMap, Subject, take, type GroupedObservable, type SchedulerLike } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  ProgressError,
  trackProgress,
  type ProgressErrorResult,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
import { progressMessage, request, response, update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';

type Group = GroupedObservable<ProgressToken, ProgressUpdate>;
const flatten = mergeMap((group: Group) => group);

describe('trackProgress', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  // 10 updates a second: a window of 100 frames in virtual time.
  const values = {
    a: progressMessage('A', 1, 4),
    b: progressMessage('A', 2, 4),
    c: progressMessage('A', 3, 4),
    F: progressMessage('A', 4, 4),
    x: progressMessage(2, 10, 50),
    y: progressMessage(2, 20, 50),
    Y: progressMessage(2, 50, 50),
    r: request(9),
    s: response(9),
  };
  const out = {
    a: update('A', 1, 4),
    b: update('A', 2, 4),
    c: update('A', 3, 4),
    F: update('A', 4, 4),
    x: update(2, 10, 50),
    y: update(2, 20, 50),
    Y: update(2, 50, 50),
  };

  it('gives each token its own throttled stream', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot(' a-x-b-y-c 93ms   -------|', values);
      const want = '    a-x 97ms c-y------|';
      expectObservable(src.pipe(trackProgress({ scheduler: rx }), flatten)).toBe(want, out);
    });
  });

  it('emits one group per token, keyed by the token', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot('-a-x-b-y-|', values);
      const keys = src.pipe(
        trackProgress({ scheduler: rx }),
        map((g) => g.key),
      );
      expectObservable(keys).toBe('-A-B-----|', { A: 'A', B: 2 });
    });
  });

  it('emits a final update at once, completes its group, and reports later updates for it', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable }) => {
      const src = hot(' a-b-F-c-a-|', values);
      const want = '    a---F-----|';
      const groups = src.pipe(trackProgress({ scheduler: rx, onError: (p) => problems.push(p) }));
      expectObservable(groups.pipe(flatten)).toBe(want, out);
    });
    expect(problems.map((p) => [p.error, p.message])).toEqual([
      [ProgressError.INVALID_TOKEN, 'progress for token "A" after its stream ended; dropped'],
      [ProgressError.INVALID_TOKEN, 'progress for token "A" after its stream ended; dropped'],
    ]);
  });

  it('completes each group right after its final update', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot('a-F-|', values);
      const groups: Group[] = [];
      src.pipe(trackProgress({ scheduler: rx })).subscribe((g) => groups.push(g));
      rx.schedule(() => {
        expectObservable(groups[0]).toBe('--(F|)', out);
      }, 1);
    });
  });

  it('drops and reports progress that does not increase', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable }) => {
      const src = hot('c-a-F|', values);
      expectObservable(
        src.pipe(trackProgress({ scheduler: rx, onError: (p) => problems.push(p) }), flatten),
      ).toBe('c---F|', out);
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ error: ProgressError.INVALID_PROGRESS });
    expect(problems[0].message).toBe('progress 1 for token "A" does not increase on 3; dropped');
  });

  it('reports malformed notifications and ignores other messages', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable }) => {
      const src = hot('r-m-s-a-|', { ...values, m: progressMessage(true as never, 1) });
      expectObservable(
        src.pipe(trackProgress({ scheduler: rx, onError: (p) => problems.push(p) }), flatten),
      ).toBe('------a-|', out);
    });
    expect(problems.map((p) => p.error)).toEqual([ProgressError.INVALID_TOKEN]);
  });

  describe('isActive', () => {
    it('never allocates a group for a rejected token, and reports its updates', () => {
      const problems: ProgressErrorResult[] = [];
      const asked: ProgressToken[] = [];
      rx.run(({ hot, expectObservable }) => {
        const src = hot('a-x-b-y-|', values);
        const groups = src.pipe(
          trackProgress({
            scheduler: rx,
            maxUpdatesPerSecond: Infinity,
            isActive: (t) => {
              asked.push(t);
              return t === 'A';
            },
            onError: (p) => problems.push(p),
          }),
        );
        expectObservable(groups.pipe(map((g) => g.key))).toBe('a-------|', { a: 'A' });
      });
      expect(asked).toEqual(['A', 2, 2]);
      expect(problems.map((p) => p.message)).toEqual([
        'progress for unknown token 2; dropped',
        'progress for unknown token 2; dropped',
      ]);
    });

    it('errors the result when isActive throws', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot('a-|', values);
        const groups = src.pipe(
          trackProgress({
            scheduler: rx,
            isActive: () => {
              throw new Error('nope');
            },
          }),
        );
        expectObservable(groups).toBe('#', undefined, new Error('nope'));
      });
    });
  });

  describe('maxUpdatesPerSecond', () => {
    it('Infinity turns throttling off', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot('abcF|', values);
        expectObservable(
          src.pipe(trackProgress({ scheduler: rx, maxUpdatesPerSecond: Infinity }), flatten),
        ).toBe('abcF|', out);
      });
    });

    it('sets the window length', () => {
      rx.run(({ hot, expectObservable }) => {
        // 2 a second: 500 ms windows.
        const src = hot('abc 497ms -|', values);
        expectObservable(
          src.pipe(trackProgress({ scheduler: rx, maxUpdatesPerSecond: 2 }), flatten),
        ).toBe('a-- 497ms c|', out);
      });
    });

    it('throttles the same with a clock that reads below zero', () => {
      rx.run(({ hot, expectObservable }) => {
        // A scheduler is any clock: this one reads -10 s at frame 0.
        const below: SchedulerLike = {
          now: () => rx.now() - 10_000,
          schedule: rx.schedule.bind(rx),
        };
        const src = hot('abc 97ms -F|', values);
        expectObservable(
          src.pipe(trackProgress({ scheduler: below, maxUpdatesPerSecond: 10 }), flatten),
        ).toBe('a-- 97ms cF|', out);
      });
    });

    it('rejects rates that are not positive numbers', () => {
      expect(() => trackProgress({ maxUpdatesPerSecond: 0 })).toThrow(
        'maxUpdatesPerSecond must be a number > 0 (Infinity turns throttling off), got 0',
      );
      expect(() => trackProgress({ maxUpdatesPerSecond: NaN })).toThrow(RangeError);
      expect(() => trackProgress({ maxCompletedTokens: -1 })).toThrow(
        'maxCompletedTokens must be an integer >= 0, got -1',
      );
    });
  });

  describe('when the source completes', () => {
    it('completes the outer stream at once and each group after its held update', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot(' ab--x-|', values);
        const groups = src.pipe(trackProgress({ scheduler: rx }));
        expectObservable(groups.pipe(map((g) => g.key))).toBe('a---x-|', { a: 'A', x: 2 });
        expectObservable(groups.pipe(flatten)).toBe('a---x 95ms (b|)', out);
      });
    });
  });

  it('errors every group and the result when the source errors', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot('ab-#', values);
      expectObservable(src.pipe(trackProgress({ scheduler: rx }), flatten)).toBe('a--#', out);
    });
  });

  it('handles empty, never and early unsubscribe', () => {
    rx.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('|').pipe(trackProgress({ scheduler: rx }))).toBe('|');
      expectObservable(cold('-').pipe(trackProgress({ scheduler: rx }))).toBe('-');
      const src = hot('a-x-b-|', values);
      expectObservable(src.pipe(trackProgress({ scheduler: rx }), flatten), '^--!').toBe(
        'a-x-',
        out,
      );
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  it('keeps the source while a group is subscribed after the outer stream is, like groupBy', () => {
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('a-x-F-|', values);
      expectObservable(src.pipe(trackProgress({ scheduler: rx }), take(1), flatten)).toBe(
        'a---(F|)',
        out,
      );
      expectSubscriptions(src.subscriptions).toBe('^---!');
    });
  });

  it('releases a group whose last subscriber leaves, and reports its later updates', () => {
    const source = new Subject<unknown>();
    const problems: ProgressErrorResult[] = [];
    const seen: ProgressUpdate[] = [];
    const groups: Group[] = [];
    source
      .pipe(
        trackProgress({
          scheduler: rx,
          maxUpdatesPerSecond: Infinity,
          onError: (p) => problems.push(p),
        }),
      )
      .subscribe((g) => groups.push(g));
    source.next(values.a);
    const sub = groups[0].subscribe((u) => seen.push(u));
    source.next(values.b);
    sub.unsubscribe();
    source.next(values.c);
    expect(seen).toEqual([out.b]);
    expect(groups).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([
      'progress for token "A" after its stream ended; dropped',
    ]);
  });

  it('multicasts a group and replays its end to late subscribers', () => {
    const source = new Subject<unknown>();
    const groups: Group[] = [];
    source
      .pipe(trackProgress({ scheduler: rx, maxUpdatesPerSecond: Infinity }))
      .subscribe((g) => groups.push(g));
    const first: ProgressUpdate[] = [];
    const second: ProgressUpdate[] = [];
    source.next(values.a);
    groups[0].subscribe((u) => first.push(u));
    groups[0].subscribe((u) => second.push(u));
    source.next(values.b);
    source.next(values.F);
    expect(first).toEqual([out.b, out.F]);
    expect(second).toEqual([out.b, out.F]);
    let completed = false;
    groups[0].subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });

  it('remembers at most maxCompletedTokens ended tokens', () => {
    const source = new Subject<unknown>();
    const keys: ProgressToken[] = [];
    source
      .pipe(
        trackProgress({ scheduler: rx, maxCompletedTokens: 1 }),
        mergeMap((g) => g.pipe(map(() => g.key))),
      )
      .subscribe((k) => keys.push(k));
    source.next(progressMessage('p', 1, 1));
    source.next(progressMessage('q', 1, 1));
    source.next(progressMessage('q', 2, 2)); // q remembered: dropped
    source.next(progressMessage('p', 2, 2)); // p forgotten: a new group
    expect(keys).toEqual(['p', 'q', 'p']);
  });

  it('keeps one timer for all throttle windows, however many tokens', () => {
    const counting = trackingScheduler(rx);
    rx.run(() => {
      const source = new Subject<unknown>();
      source.pipe(trackProgress({ scheduler: counting }), flatten).subscribe();
      for (let i = 0; i < 1000; i++) source.next(progressMessage(i, 1, 10));
      for (let i = 0; i < 1000; i++) source.next(progressMessage(i, 2, 10));
      expect(counting.scheduled).toBe(1);
    });
  });

  it('cuts long messages to maxMessageLength', () => {
    const source = new Subject<unknown>();
    const seen: (string | undefined)[] = [];
    source
      .pipe(trackProgress({ scheduler: rx, maxMessageLength: 3 }), flatten)
      .subscribe((u) => seen.push(u.message));
    source.next(progressMessage('m', 1, undefined, 'hello'));
    expect(seen).toEqual(['he…']);
  });
});

describe('trackProgress groups with several subscribers', () => {
  it('deliver to every subscriber even when one leaves inside next (regression)', () => {
    const source = new Subject<unknown>();
    const a: number[] = [];
    const b: number[] = [];
    source.pipe(trackProgress({ maxUpdatesPerSecond: Infinity })).subscribe((group) => {
      group.pipe(take(1)).subscribe((u) => a.push(u.progress));
      group.subscribe((u) => b.push(u.progress));
    });
    source.next(progressMessage('g', 1));
    source.next(progressMessage('g', 2));
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('deliver in subscription order as subscribers come and go, and release the token only when the last one leaves', () => {
    const source = new Subject<unknown>();
    const problems: ProgressErrorResult[] = [];
    const groups: Group[] = [];
    source
      .pipe(trackProgress({ maxUpdatesPerSecond: Infinity, onError: (p) => problems.push(p) }))
      .subscribe((g) => groups.push(g));
    const seen: string[] = [];
    const listen = (name: string) =>
      groups[0].subscribe((u) => seen.push(`${name}${String(u.progress)}`));
    source.next(progressMessage('g', 1));
    const s1 = listen('a');
    const s2 = listen('b');
    source.next(progressMessage('g', 2));
    s1.unsubscribe(); // the first subscriber leaves: b stays, c comes after b
    const s3 = listen('c');
    source.next(progressMessage('g', 3));
    s1.unsubscribe(); // twice: nothing changes
    s2.unsubscribe();
    source.next(progressMessage('g', 4));
    s3.unsubscribe(); // the last one leaves: the token is released
    source.next(progressMessage('g', 5));
    expect(seen).toEqual(['a2', 'b2', 'b3', 'c3', 'c4']);
    expect(problems.map((p) => p.message)).toEqual([
      'progress for token "g" after its stream ended; dropped',
    ]);
    expect(groups).toHaveLength(1);
  });
});

describe('trackProgress({ maxActiveTokens })', () => {
  it('allocates no group beyond the limit, reports the update, and makes room as groups end', () => {
    const source = new Subject<unknown>();
    const problems: ProgressErrorResult[] = [];
    const keys: ProgressToken[] = [];
    source
      .pipe(
        trackProgress({
          maxUpdatesPerSecond: Infinity,
          maxActiveTokens: 2,
          onError: (p) => problems.push(p),
        }),
      )
      .subscribe((group) => {
        keys.push(group.key);
        group.subscribe();
      });
    source.next(progressMessage('a', 1));
    source.next(progressMessage('b', 1));
    source.next(progressMessage('c', 1)); // a third token: over the limit
    source.next(progressMessage('a', 2, 2)); // a ends
    source.next(progressMessage('c', 2)); // room again
    expect(keys).toEqual(['a', 'b', 'c']);
    expect(problems).toEqual([
      {
        error: ProgressError.INVALID_TOKEN,
        message: 'progress for new token "c" while 2 tokens are active (maxActiveTokens); dropped',
        details: { progressToken: 'c', reason: 'tooMany', maxActiveTokens: 2 },
      },
    ]);
  });

  it('defaults to 10,000 and takes Infinity; rejects anything else', () => {
    expect(() => trackProgress({ maxActiveTokens: Infinity })).not.toThrow();
    expect(() => trackProgress({ maxActiveTokens: 0 })).toThrow(
      'maxActiveTokens must be an integer >= 1 or Infinity, got 0',
    );
    const source = new Subject<unknown>();
    let groups = 0;
    source.pipe(trackProgress({ maxUpdatesPerSecond: Infinity })).subscribe((g) => {
      groups++;
      g.subscribe();
    });
    for (let i = 0; i < 10_001; i++) source.next(progressMessage(i, 1));
    expect(groups).toBe(10_000);
  });
});
