import type { TestScheduler } from 'rxjs/testing';
import { monotonicProgress, ProgressError, type ProgressErrorResult } from '../../src/index.js';
import type { ProgressUpdate } from '../../src/index.js';
import { update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

describe('monotonicProgress', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    z: update('t', 0),
    a: update('t', 1),
    b: update('t', 2),
    c: update('t', 3),
    e: update('t', 5),
  };

  it('lets through strictly increasing progress and reports the rest', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable }) => {
      const src = hot('-a-c-b-c-e-|', values);
      expectObservable(src.pipe(monotonicProgress((p) => problems.push(p)))).toBe(
        '           -a-c-----e-|',
        values,
      );
    });
    expect(problems).toHaveLength(2);
    expect(problems.every((p) => p.error === ProgressError.INVALID_PROGRESS)).toBe(true);
    expect(problems[0].message).toBe('progress 2 for token "t" does not increase on 3; dropped');
    expect(problems[1].details).toEqual({ progressToken: 't', progress: 3, last: 3 });
  });

  it('accepts a first update of 0, but not a second', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('-z-z-a|', values).pipe(monotonicProgress())).toBe('-z---a|', values);
    });
  });

  it('keeps separate state per subscription', () => {
    rx.run(({ cold, expectObservable }) => {
      const piped = cold('-a-b|', values).pipe(monotonicProgress());
      expectObservable(piped).toBe('-a-b|', values);
      expectObservable(piped).toBe('-a-b|', values);
    });
  });

  it('handles empty, never, error and early unsubscribe', () => {
    rx.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      expectObservable(cold<ProgressUpdate>('|').pipe(monotonicProgress())).toBe('|');
      expectObservable(cold<ProgressUpdate>('-').pipe(monotonicProgress())).toBe('-');
      expectObservable(cold('-a-#', values).pipe(monotonicProgress())).toBe('-a-#', values);
      const src = hot('-a-b-c-|', values);
      expectObservable(src.pipe(monotonicProgress()), '^--!').toBe('-a--', values);
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});
