import { Subject, VirtualTimeScheduler } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { progressRate, type ProgressUpdate, type RatedProgress } from '../../src/index.js';
import { update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

/** An update with a rate (per second) and an ETA, as `progressRate` emits it. */
const rated = (u: ProgressUpdate, rate?: number, etaMs?: number): RatedProgress => ({
  ...u,
  ...(rate === undefined ? {} : { rate }),
  ...(etaMs === undefined ? {} : { etaMs }),
});

describe('progressRate', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    a: update('t', 0, 100),
    b: update('t', 10, 100),
    c: update('t', 30, 100),
    F: update('t', 100, 100),
  };

  it('measures the rate between updates and estimates the time left', () => {
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot(' a 9ms b 9ms c|', values);
      const subs = '     ^ 20ms !';
      const want = '     A 9ms B 9ms C|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        A: rated(values.a),
        B: rated(values.b, 1000, 90), // 10 units in 10 ms; 90 left
        C: rated(values.c, 2000, 35), // 20 units in 10 ms; 70 left
      });
      expectSubscriptions(src.subscriptions).toBe(subs);
    });
  });

  it('gives the first update no rate and no ETA', () => {
    rx.run(({ cold, expectObservable }) => {
      const src = cold(' --b|', values);
      const want = '     --B|';
      expectObservable(src.pipe(progressRate({ scheduler: rx }))).toBe(want, {
        B: rated(values.b),
      });
    });
  });

  it('gives a final update an ETA of 0, even as the first update', () => {
    rx.run(({ cold, expectObservable }) => {
      const src = cold(' F 9ms F|', values);
      const want = '     G 9ms H|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        G: rated(values.F, undefined, 0),
        H: rated(values.F, 0, 0),
      });
    });
  });

  it('gives a rate but no ETA when the total is unknown', () => {
    rx.run(({ cold, expectObservable }) => {
      const src = cold(' a 4ms b|', { a: update('t', 5), b: update('t', 25) });
      const want = '     A 4ms B|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        A: update('t', 5),
        B: rated(update('t', 25), 4000),
      });
    });
  });

  it('gives no ETA for a rate of 0, and never a negative rate', () => {
    rx.run(({ cold, expectObservable }) => {
      const steps = { a: update('t', 5, 10), b: update('t', 5, 10), c: update('t', 3, 10) };
      const src = cold(' a 9ms b 9ms c|', steps);
      const want = '     A 9ms B 9ms C|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        A: rated(steps.a),
        B: rated(steps.b, 0), // no progress in 10 ms: stalled, no estimate
        C: rated(steps.c, 0), // progress went down: measured as no progress
      });
    });
  });

  it('keeps the rate for updates at the same instant and counts their progress in the next interval', () => {
    rx.run(({ cold, expectObservable }) => {
      const src = cold(' (ab) 6ms c|', values);
      const want = '     (AB) 6ms C|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        A: rated(values.a),
        B: rated(values.b), // no time has passed: no rate yet
        C: rated(values.c, 3000, 70 / 3), // 30 units since a, 10 ms ago
      });
    });
  });

  it('copies the updates and keeps their other fields', () => {
    const source = new Subject<ProgressUpdate & { readonly extra: string }>();
    const seen: RatedProgress<ProgressUpdate & { readonly extra: string }>[] = [];
    source.pipe(progressRate()).subscribe((u) => seen.push(u));
    const input = { ...update('t', 1, 2, 'one'), extra: 'kept' };
    source.next(input);
    expect(seen).toEqual([input]);
    expect(seen[0]).not.toBe(input);
  });

  it('drops a rate and an ETA the input already had, instead of passing them on stale', () => {
    rx.run(({ cold, expectObservable }) => {
      const stale = { ...values.b, rate: 999, etaMs: 5 };
      const src = cold(' b 9ms c|', { b: stale, c: { ...values.c, rate: 999 } });
      const want = '     B 9ms C|';
      expectObservable(src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }))).toBe(want, {
        B: rated(values.b), // first update: no rate, no ETA (not 999 and 5)
        C: rated(values.c, 2000, 35),
      });
    });
  });

  it('types a rate the input had as optional, since it is not passed on (checked by tsc)', () => {
    const source = new Subject<ProgressUpdate & { readonly rate: number }>();
    const seen: (number | undefined)[] = [];
    source.pipe(progressRate()).subscribe((u) => {
      // @ts-expect-error: the input's required `rate` does not carry over to the output's type
      const required: number = u.rate;
      seen.push(required);
    });
    source.next({ ...update('t', 1, 10), rate: 5 });
    expect(seen).toEqual([undefined]);
  });

  it('keeps a union input narrowable (checked by tsc)', () => {
    type Build = ProgressUpdate & { readonly kind: 'build'; readonly target: string };
    type Test = ProgressUpdate & { readonly kind: 'test'; readonly suite: string };
    const source = new Subject<Build | Test>();
    const seen: string[] = [];
    source.pipe(progressRate()).subscribe((u) => {
      seen.push(u.kind === 'build' ? u.target : u.suite);
    });
    source.next({ ...update('t', 1, 10), kind: 'build', target: 'docs' });
    source.next({ ...update('t', 2, 10), kind: 'test', suite: 'unit' });
    expect(seen).toEqual(['docs', 'unit']);
  });

  it('gives each subscription its own clock and state (cold)', () => {
    rx.run(({ hot, expectObservable }) => {
      const src = hot(' a 9ms b 9ms c|', values);
      const rate$ = src.pipe(progressRate({ halfLifeMs: 0, scheduler: rx }));
      expectObservable(rate$).toBe('A 9ms B 9ms C|', {
        A: rated(values.a),
        B: rated(values.b, 1000, 90),
        C: rated(values.c, 2000, 35),
      });
      expectObservable(rate$, '5ms ^').toBe('10ms B 9ms C|', {
        B: rated(values.b),
        C: rated(values.c, 2000, 35),
      });
    });
  });

  it('handles empty, never, error and early unsubscribe', () => {
    rx.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const op = progressRate<ProgressUpdate>({ scheduler: rx });
      expectObservable(cold<ProgressUpdate>('|').pipe(op)).toBe('|');
      expectObservable(cold<ProgressUpdate>('-').pipe(op)).toBe('-');
      expectObservable(cold<ProgressUpdate>('a-#', values).pipe(op)).toBe('A-#', {
        A: rated(values.a),
      });
      const src = hot('-a-b-c-|', values);
      expectObservable(src.pipe(op), '^--!').toBe('-A--', { A: rated(values.a) });
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  describe('halfLifeMs', () => {
    it('blends each new measurement in by the time it took: half after one half-life', () => {
      rx.run(({ cold, expectObservable }) => {
        const src = cold(' a 9ms b 9ms c|', values);
        const want = '     A 9ms B 9ms C|';
        expectObservable(src.pipe(progressRate({ halfLifeMs: 10, scheduler: rx }))).toBe(want, {
          A: rated(values.a),
          B: rated(values.b, 1000, 90), // the first measurement is taken as it is
          C: rated(values.c, 1500, 70 / 1.5), // 1000 + (2000 - 1000) / 2
        });
      });
    });

    it('weighs a long interval more than a short one', () => {
      rx.run(({ cold, expectObservable }) => {
        const src = cold(' a 9ms b 29ms c|', values);
        const want = '     A 9ms B 29ms C|';
        // 20 units in 30 ms after three half-lives: 1000 + (1 - 1/8) * (666.67 - 1000)
        const rate = 1 + (1 - Math.pow(2, -3)) * (20 / 30 - 1);
        expectObservable(src.pipe(progressRate({ halfLifeMs: 10, scheduler: rx }))).toBe(want, {
          A: rated(values.a),
          B: rated(values.b, 1000, 90),
          C: rated(values.c, rate * 1000, 70 / rate),
        });
      });
    });

    it('defaults to 2000 ms', () => {
      const scheduler = new VirtualTimeScheduler();
      const source = new Subject<ProgressUpdate>();
      const seen: RatedProgress[] = [];
      source.pipe(progressRate({ scheduler })).subscribe((u) => seen.push(u));
      const at = (ms: number, u: ProgressUpdate): void => {
        scheduler.schedule(() => {
          source.next(u);
        }, ms);
      };
      at(0, values.a);
      at(1000, values.b); // 10 units/s
      at(3000, values.c); // 20 units in 2 s: 10 units/s again
      at(5000, update('t', 70, 100)); // 40 units in 2 s: 20 units/s, blended half-way
      scheduler.flush();
      expect(seen[0].rate).toBeUndefined();
      expect(seen[1].rate).toBeCloseTo(10, 9);
      expect(seen[2].rate).toBeCloseTo(10, 9);
      expect(seen[3].rate).toBeCloseTo(15, 9);
      expect(seen[3].etaMs).toBeCloseTo(2000, 6);
    });

    it('rejects a negative, NaN or infinite half-life with a RangeError naming it', () => {
      expect(() => progressRate({ halfLifeMs: -1 })).toThrow(RangeError);
      expect(() => progressRate({ halfLifeMs: NaN })).toThrow(
        /progressRate: halfLifeMs must be a finite number >= 0, got NaN/,
      );
      expect(() => progressRate({ halfLifeMs: Infinity })).toThrow(RangeError);
    });
  });

  describe('scheduler', () => {
    it('reads its clock at each arrival (here a VirtualTimeScheduler)', () => {
      const scheduler = new VirtualTimeScheduler();
      const source = new Subject<ProgressUpdate>();
      const seen: RatedProgress[] = [];
      source.pipe(progressRate({ halfLifeMs: 0, scheduler })).subscribe((u) => seen.push(u));
      scheduler.schedule(() => {
        source.next(values.a);
      }, 100);
      scheduler.schedule(() => {
        source.next(values.c);
      }, 400);
      scheduler.flush();
      expect(seen).toEqual([rated(values.a), rated(values.c, (30 / 300) * 1000, 70 / (30 / 300))]);
    });
  });
});
