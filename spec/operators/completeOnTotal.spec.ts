import type { TestScheduler } from 'rxjs/testing';
import { completeOnTotal } from '../../src/index.js';
import type { ProgressUpdate } from '../../src/index.js';
import { update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

describe('completeOnTotal', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    a: update('t', 1, 10),
    b: update('t', 5),
    F: update('t', 10, 10),
    G: update('t', 12, 10),
    c: update('t', 11, 20),
  };

  it('completes right after the update with progress >= total', () => {
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a-b-F-c-|', values);
      expectObservable(src.pipe(completeOnTotal())).toBe('-a-b-(F|)', values);
      expectSubscriptions(src.subscriptions).toBe('^----!');
    });
  });

  it('treats progress beyond total as final', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-G-c|', values).pipe(completeOnTotal())).toBe('-a-(G|)', values);
    });
  });

  it('never completes on updates without a total', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('-b-b-', values).pipe(completeOnTotal())).toBe('-b-b-', values);
    });
  });

  it('handles empty, never, error and early unsubscribe', () => {
    rx.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      expectObservable(cold<ProgressUpdate>('|').pipe(completeOnTotal())).toBe('|');
      expectObservable(cold<ProgressUpdate>('-').pipe(completeOnTotal())).toBe('-');
      expectObservable(cold('-a-#', values).pipe(completeOnTotal())).toBe('-a-#', values);
      const src = hot('-a-b-F-|', values);
      expectObservable(src.pipe(completeOnTotal()), '^--!').toBe('-a--', values);
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });
});
