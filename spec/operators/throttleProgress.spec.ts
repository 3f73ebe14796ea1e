import type { TestScheduler } from 'rxjs/testing';
import { throttleProgress } from '../../src/index.js';
import type { ProgressUpdate } from '../../src/index.js';
import { update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

describe('throttleProgress', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    a: update('t', 1, 10),
    b: update('t', 2, 10),
    c: update('t', 3, 10),
    d: update('t', 4, 10),
    e: update('t', 5, 10),
    F: update('t', 10, 10),
    g: update('t', 11, 20),
  };

  it('emits the first update at once, then the newest at the end of each window', () => {
    rx.run(({ hot, time, expectObservable, expectSubscriptions }) => {
      const window = time('---|');
      const src = hot(' a-b-c-----|', values);
      const subs = '     ^---------!';
      const want = '     a--b--c---|';
      expectObservable(src.pipe(throttleProgress(window, rx))).toBe(want, values);
      expectSubscriptions(src.subscriptions).toBe(subs);
    });
  });

  it('keeps only the newest update of a window (latest wins)', () => {
    rx.run(({ hot, time, expectObservable }) => {
      const window = time('----|');
      const src = hot(' abcd----e---|', values);
      const want = '     a---d---e---|';
      expectObservable(src.pipe(throttleProgress(window, rx))).toBe(want, values);
    });
  });

  describe('the final update', () => {
    it('goes out at once, replaces the held update and completes the stream', () => {
      rx.run(({ hot, time, expectObservable, expectSubscriptions }) => {
        const window = time('-----|');
        const src = hot(' a-b-F-g--|', values);
        const subs = '     ^---!';
        const want = '     a---(F|)';
        expectObservable(src.pipe(throttleProgress(window, rx))).toBe(want, values);
        expectSubscriptions(src.subscriptions).toBe(subs);
      });
    });

    it('goes out at once after an idle gap too', () => {
      rx.run(({ hot, time, expectObservable }) => {
        const window = time('--|');
        const src = hot(' a-----F-|', values);
        expectObservable(src.pipe(throttleProgress(window, rx))).toBe('a-----(F|)', values);
      });
    });
  });

  it('emits the held update at the end of its window when the source completes', () => {
    rx.run(({ hot, time, expectObservable }) => {
      const window = time('----|');
      const src = hot(' a-b|', values);
      expectObservable(src.pipe(throttleProgress(window, rx))).toBe('a---(b|)', values);
    });
  });

  it('completes at once when the source completes with nothing held', () => {
    rx.run(({ hot, time, expectObservable }) => {
      const window = time('----|');
      const src = hot(' a-|', values);
      expectObservable(src.pipe(throttleProgress(window, rx))).toBe('a-|', values);
    });
  });

  it('drops the held update when the source errors (as throttleTime does)', () => {
    rx.run(({ hot, time, expectObservable }) => {
      const window = time('----|');
      const src = hot(' a-b#', values);
      expectObservable(src.pipe(throttleProgress(window, rx))).toBe('a--#', values);
    });
  });

  it('handles empty, never and early unsubscribe', () => {
    rx.run(({ cold, hot, time, expectObservable, expectSubscriptions }) => {
      const window = time('--|');
      expectObservable(cold<ProgressUpdate>('|').pipe(throttleProgress(window, rx))).toBe('|');
      expectObservable(cold<ProgressUpdate>('-').pipe(throttleProgress(window, rx))).toBe('-');
      const src = hot('-a-b-c-|', values);
      expectObservable(src.pipe(throttleProgress(window, rx)), '^--!').toBe('-a--', values);
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  describe('with intervalMs 0', () => {
    it('lets every update through and still completes on the final one', () => {
      rx.run(({ hot, expectObservable }) => {
        const src = hot('abc-F-g|', values);
        expectObservable(src.pipe(throttleProgress(0, rx))).toBe('abc-(F|)', values);
      });
    });
  });

  it('rejects a negative or non-finite interval with a RangeError naming it', () => {
    expect(() => throttleProgress(-1)).toThrow(RangeError);
    expect(() => throttleProgress(NaN)).toThrow(/intervalMs must be a finite number >= 0, got NaN/);
  });
});
