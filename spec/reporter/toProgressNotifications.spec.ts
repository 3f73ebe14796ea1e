import { map, Observable, of } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  ProgressError,
  toProgressNotifications,
  type ProgressErrorResult,
  type ProgressInput,
} from '../../src/index.js';
import { inputs, notes } from './support.js';
import { testScheduler } from '../helpers/testScheduler.js';

/** 250 per second is one token every 4 frames, which keeps the marbles short. */
const RATE = 250;

describe('toProgressNotifications', () => {
  let rx: TestScheduler;
  const out = notes('job');

  beforeEach(() => {
    rx = testScheduler();
  });

  it('behaves as drawn in its JSDoc', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const config = {
        scheduler: rx,
        burst: 2,
        maxUpdatesPerSecond: RATE,
        onError: (p: ProgressErrorResult) => problems.push(p),
      };
      const src = hot<ProgressInput>('-abxdef-F--g|', { ...inputs, x: { progress: NaN } });
      const subs = '                  ^-------!';
      const want = '                  -ab--e--(F|)';
      expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      expectSubscriptions(src.subscriptions).toBe(subs);
    });
    expect(problems.map((p) => p.error)).toEqual([ProgressError.INVALID_PROGRESS]);
  });

  describe('standard cases', () => {
    it('completes on an empty source', () => {
      rx.run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold<ProgressInput>('|');
        expectObservable(src.pipe(toProgressNotifications('job', { scheduler: rx }))).toBe('|');
        expectSubscriptions(src.subscriptions).toBe('(^!)');
      });
    });

    it('never emits on a source that never emits', () => {
      rx.run(({ cold, expectObservable, expectSubscriptions }) => {
        const src = cold<ProgressInput>('-');
        expectObservable(src.pipe(toProgressNotifications('job', { scheduler: rx }))).toBe('-');
        expectSubscriptions(src.subscriptions).toBe('^');
      });
    });

    it("errors with the source's error", () => {
      rx.run(({ cold, expectObservable }) => {
        const src = cold<ProgressInput>('#', undefined, new Error('boom'));
        expectObservable(src.pipe(toProgressNotifications('job', { scheduler: rx }))).toBe(
          '#',
          undefined,
          new Error('boom'),
        );
      });
    });

    it('stops on early unsubscribe: the pending input is dropped and its timer cancelled', () => {
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('-ab-------|', inputs);
        const subs = '                  ^-!';
        const unsub = '                 ^-!';
        const want = '                 -a-';
        expectObservable(src.pipe(toProgressNotifications('job', config)), unsub).toBe(want, out);
        expectSubscriptions(src.subscriptions).toBe(subs);
      });
    });

    it('is cold: each subscription has its own bucket', () => {
      rx.run(({ cold, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const result = cold<ProgressInput>('ab|', inputs).pipe(
          toProgressNotifications('job', config),
        );
        expectObservable(result).toBe('a-(b|)', out);
        expectObservable(result).toBe('a-(b|)', out);
      });
    });
  });

  describe('rate control (token bucket)', () => {
    it('sends up to `burst` at once from a full bucket, then the newest when a token refills', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 2, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('(abcd)----e|', inputs);
        const want = '                  (ab)d-----e|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('coalesces inputs while the bucket is empty: only the newest goes out', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 2, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('-abcdef-----|', inputs);
        const want = '                  -ab--e---f--|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('holds a sustained flood to the rate, sending the latest each time', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('abcdefghijklmnopqrst|', inputs);
        const want = '                  a---e---i---m---q---(t|)';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('refills continuously: after a pause, as many as have refilled go out at once', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 3, maxUpdatesPerSecond: RATE };
        // abc empty the bucket at 0; by frame 8 two tokens are back, the third at 12.
        const src = hot<ProgressInput>('(abc)---(def)-------|', inputs);
        const want = '                  (abc)---(de)f-------|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('never sends more than `burst` in any window, nor more than the rate over time', () => {
      rx.run(({ hot, expectObservable }) => {
        // 100 inputs, one per frame; burst 4, one token per 10 frames: at most 4 + 100/10 + 1.
        const letters = Array.from({ length: 100 }, (_, i) => String.fromCharCode(0x100 + i));
        const values = Object.fromEntries(letters.map((l, i) => [l, { progress: i + 1 }]));
        const src = hot<ProgressInput>(`${letters.join('')}|`, values);
        const config = { scheduler: rx, burst: 4, maxUpdatesPerSecond: 100 };
        const times: number[] = [];
        const sent = src.pipe(
          toProgressNotifications('job', config),
          map((n) => {
            times.push(rx.now());
            return n.params.progress;
          }),
        );
        expectObservable(sent.pipe(map(() => 'x'))).toBe(
          // four at once, then one every 10 frames, the last (pending at completion) at 100
          `xxxx------x${'---------x'.repeat(8)}---------(x|)`,
        );
        rx.schedule(() => {
          // Sends i..j (inclusive) fit in a bucket of 4 refilled every 10 frames.
          for (let i = 0; i < times.length; i++) {
            for (let j = i; j < times.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(4 + Math.floor((times[j] - times[i]) / 10));
            }
          }
        }, 200);
      });
    });

    it('does not limit anything with maxUpdatesPerSecond: Infinity', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: Infinity };
        const src = hot<ProgressInput>('(abcdef)|', inputs);
        const want = '                  (abcdef)|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });
  });

  describe('completion', () => {
    it('sends a final input at once, bypassing the bucket and replacing the pending one, then completes', () => {
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('ab-F-c--|', inputs);
        const subs = '                  ^--!';
        const want = '                  a--(F|)';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
        expectSubscriptions(src.subscriptions).toBe(subs);
      });
    });

    it('sends a final input with progress above total', () => {
      rx.run(({ hot, expectObservable }) => {
        const over = { a: { progress: 1, total: 5 }, z: { progress: 7, total: 5 } };
        const src = hot<ProgressInput>('az', over);
        expectObservable(src.pipe(toProgressNotifications(3, { scheduler: rx }))).toBe('a(z|)', {
          a: {
            jsonrpc: '2.0',
            method: 'notifications/progress',
            params: { progressToken: 3, progress: 1, total: 5 },
          },
          z: {
            jsonrpc: '2.0',
            method: 'notifications/progress',
            params: { progressToken: 3, progress: 7, total: 5 },
          },
        });
      });
    });

    it('ignores what a synchronous source emits after the final input', () => {
      rx.run(({ cold, expectObservable }) => {
        const onError = jest.fn();
        const src = cold<ProgressInput>('(aFbc|)', inputs);
        const result = src.pipe(toProgressNotifications('job', { scheduler: rx, onError }));
        expectObservable(result).toBe('(aF|)', out);
        rx.schedule(() => {
          expect(onError).not.toHaveBeenCalled();
        }, 1);
      });
    });

    it('on source completion, sends the pending input at once and completes', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: 100 };
        const src = hot<ProgressInput>('abc-|', inputs);
        const want = '                  a---(c|)';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('on source completion with nothing pending, completes at once', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('a-------b-|', inputs);
        const want = '                  a-------b-|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });

    it('on source error, drops the pending input and errors', () => {
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, burst: 1, maxUpdatesPerSecond: RATE };
        const src = hot<ProgressInput>('ab-#', inputs);
        const want = '                  a--#';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
    });
  });

  describe('validation', () => {
    it('drops invalid inputs, reports each as INVALID_PROGRESS naming the field and value, and keeps going', () => {
      const bad: Record<string, unknown> = {
        a: { progress: 1 },
        n: { progress: NaN },
        m: { progress: -1 },
        i: { progress: Infinity },
        s: { progress: '2' },
        z: { progress: 2, total: 0 },
        y: { progress: 2, total: -3 },
        x: { progress: 2, total: Infinity },
        w: { progress: 2, message: 42 },
        v: null,
        u: { progress: 1 },
        b: { progress: 2, message: 'two' },
      };
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable }) => {
        const src = hot<ProgressInput>('anmiszyxwvub|', bad as Record<string, ProgressInput>);
        const config = {
          scheduler: rx,
          maxUpdatesPerSecond: Infinity,
          onError: (p: ProgressErrorResult) => problems.push(p),
        };
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe('a----------b|', {
          a: out.a,
          b: { ...out.b, params: { ...out.b.params, message: 'two' } },
        });
      });
      expect(problems.map((p) => p.error)).toEqual(Array(10).fill(ProgressError.INVALID_PROGRESS));
      expect(problems.map((p) => p.message)).toEqual([
        'progress reporter for token "job": progress NaN is not a finite number >= 0; nothing sent',
        'progress reporter for token "job": progress -1 is not a finite number >= 0; nothing sent',
        'progress reporter for token "job": progress Infinity is not a finite number >= 0; nothing sent',
        'progress reporter for token "job": progress "2" is not a finite number >= 0; nothing sent',
        'progress reporter for token "job": total 0 is not a finite number > 0; nothing sent',
        'progress reporter for token "job": total -3 is not a finite number > 0; nothing sent',
        'progress reporter for token "job": total Infinity is not a finite number > 0; nothing sent',
        'progress reporter for token "job": message 42 is not a string; nothing sent',
        'progress reporter for token "job": input null is not an object with a progress number; nothing sent',
        'progress reporter for token "job": progress 1 does not increase on 1 (the last accepted progress); nothing sent',
      ]);
      expect(problems[0].details).toMatchObject({
        progressToken: 'job',
        field: 'progress',
        received: 'NaN',
        expected: 'a finite number >= 0',
      });
      expect(problems[0].details).not.toHaveProperty('count');
    });

    it('accepts a first progress of 0 and fractional progress', () => {
      rx.run(({ hot, expectObservable }) => {
        const values = { z: { progress: 0 }, h: { progress: 0.5 } };
        const src = hot<ProgressInput>('zh|', values);
        expectObservable(src.pipe(map((v) => v.progress))).toBe('zh|', { z: 0, h: 0.5 });
        expectObservable(
          src.pipe(
            toProgressNotifications('job', { scheduler: rx }),
            map((n) => n.params.progress),
          ),
        ).toBe('zh|', { z: 0, h: 0.5 });
      });
    });

    it('measures increase against the last accepted input, even one that was coalesced away', () => {
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable }) => {
        const config = {
          scheduler: rx,
          burst: 1,
          maxUpdatesPerSecond: RATE,
          onError: (p: ProgressErrorResult) => problems.push(p),
        };
        // c (3) is accepted and pending; b (2) then does not increase on it, although only a was sent.
        const src = hot<ProgressInput>('acb-----|', inputs);
        const want = '                  a---c---|';
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe(want, out);
      });
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toContain('progress 2 does not increase on 3');
    });

    it('hands every diagnostic to onError as it comes, uncoalesced, as the receiving operators do', () => {
      const problems: number[] = [];
      rx.run(({ hot, expectObservable }) => {
        const config = { scheduler: rx, onError: () => problems.push(rx.now()) };
        const src = hot<ProgressInput>('nnnnnnn------|', { n: { progress: NaN } });
        expectObservable(src.pipe(toProgressNotifications('job', config))).toBe('-------------|');
      });
      expect(problems).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });

    it('errors the output when onError throws', () => {
      rx.run(({ hot, expectObservable }) => {
        const failure = new Error('listener broke');
        const onError = (): never => {
          throw failure;
        };
        const src = hot<ProgressInput>('a-n-b', { ...inputs, n: { progress: NaN } });
        const result = src.pipe(toProgressNotifications('job', { scheduler: rx, onError }));
        expectObservable(result).toBe('a-#', out, failure);
      });
    });
  });

  describe('without a token', () => {
    it('emits nothing, but ends and validates the same', () => {
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable, expectSubscriptions }) => {
        const onError = (p: ProgressErrorResult): void => {
          problems.push(p);
        };
        const src = hot<ProgressInput>('abaF-c|', inputs);
        const subs = '                  ^--!';
        const result = src.pipe(toProgressNotifications(undefined, { scheduler: rx, onError }));
        expectObservable(result).toBe('---|');
        expectSubscriptions(src.subscriptions).toBe(subs);
      });
      expect(problems).toHaveLength(1);
      expect(problems[0].message).toBe(
        'progress reporter (no token): progress 1 does not increase on 2 (the last accepted progress); nothing sent',
      );
    });

    it('completes with the source and errors with it', () => {
      rx.run(({ hot, expectObservable }) => {
        expectObservable(
          hot<ProgressInput>('ab-|', inputs).pipe(
            toProgressNotifications(undefined, { scheduler: rx }),
          ),
        ).toBe('---|');
        expectObservable(
          hot<ProgressInput>('ab-#', inputs).pipe(
            toProgressNotifications(undefined, { scheduler: rx }),
          ),
        ).toBe('---#');
      });
    });

    it('treats a malformed token as none and reports it once as INVALID_TOKEN', () => {
      const problems: ProgressErrorResult[] = [];
      rx.run(({ hot, expectObservable }) => {
        const onError = (p: ProgressErrorResult): void => {
          problems.push(p);
        };
        const src = hot<ProgressInput>('abc|', inputs);
        const token = 1.5 as unknown as string;
        expectObservable(src.pipe(toProgressNotifications(token, { scheduler: rx, onError }))).toBe(
          '---|',
        );
      });
      expect(problems.map((p) => [p.error, p.message])).toEqual([
        [
          ProgressError.INVALID_TOKEN,
          'progress reporter: 1.5 is not a progress token (a string or an integer); nothing will be sent',
        ],
      ]);
    });
  });

  describe('configuration', () => {
    it.each([
      [{ maxUpdatesPerSecond: 0 }, /maxUpdatesPerSecond must be a number > 0 .*got 0/],
      [{ maxUpdatesPerSecond: -1 }, /maxUpdatesPerSecond .*got -1/],
      [{ maxUpdatesPerSecond: NaN }, /maxUpdatesPerSecond .*got NaN/],
      [{ burst: 0 }, /burst must be an integer >= 1, got 0/],
      [{ burst: 1.5 }, /burst must be an integer >= 1, got 1.5/],
      [{ burst: Infinity }, /burst must be an integer >= 1, got Infinity/],
    ])('rejects %p with a RangeError naming the option, when called', (config, message) => {
      expect(() => toProgressNotifications('job', config)).toThrow(RangeError);
      expect(() => toProgressNotifications('job', config)).toThrow(message);
    });

    it('defaults to bursts of 10 and 10 per second', () => {
      rx.run(({ hot, expectObservable }) => {
        const letters = 'abcdefghijkl';
        const src = hot<ProgressInput>(`(${letters})`, inputs);
        const sent = src.pipe(
          toProgressNotifications('job', { scheduler: rx }),
          map((n) => n.params.progress),
        );
        expectObservable(sent).toBe('(abcdefghij) 88ms l', {
          ...Object.fromEntries(letters.split('').map((l, i) => [l, i + 1])),
        });
      });
    });

    it('uses asyncScheduler when no scheduler is given', async () => {
      const sent: number[] = [];
      await new Promise<void>((resolve) => {
        new Observable<ProgressInput>((s) => {
          s.next({ progress: 1 });
          s.next({ progress: 2 });
          s.next({ progress: 3 });
        })
          .pipe(toProgressNotifications('job', { burst: 1, maxUpdatesPerSecond: 200 }))
          .subscribe((n) => {
            sent.push(n.params.progress);
            if (n.params.progress === 3) resolve();
          });
      });
      expect(sent).toEqual([1, 3]);
    });
  });
});

describe('toProgressNotifications, an onError that throws on the INVALID_TOKEN report', () => {
  it('errors the output once and is not called again for the same input (regression)', () => {
    const calls: string[] = [];
    const errors: unknown[] = [];
    of({ progress: 1 })
      .pipe(
        toProgressNotifications(1.5, {
          onError: (p) => {
            calls.push(p.error);
            throw new Error('callback failed');
          },
        }),
      )
      .subscribe({ error: (e: unknown) => errors.push(e) });
    expect(calls).toEqual(['invalid_token']);
    expect(errors).toEqual([new Error('callback failed')]);
  });
});
