import { Subject } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import { ProgressError, progressNotifications, type ProgressErrorResult } from '../../src/index.js';
import { progressMessage, request, response, update } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

describe('progressNotifications', () => {
  let rx: TestScheduler;
  beforeEach(() => {
    rx = testScheduler();
  });

  const values = {
    a: progressMessage('t', 1, 10),
    b: progressMessage(7, 2, undefined, 'hello'),
    r: request(1),
    s: response(1),
    x: progressMessage(1.5, 1),
    y: {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 't', progress: -1 },
    },
    n: { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 1 } },
    z: 42,
  };
  const updates = { A: update('t', 1, 10), B: update(7, 2, undefined, 'hello') };

  it('decodes progress notifications and lets every other message pass by', () => {
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot(' -r-a-n-s-z-b-|', values);
      const subs = '     ^------------!';
      const want = '     ---A-------B-|';
      expectObservable(src.pipe(progressNotifications())).toBe(want, updates);
      expectSubscriptions(src.subscriptions).toBe(subs);
    });
  });

  it('reports malformed progress notifications to onError and drops them', () => {
    const problems: ProgressErrorResult[] = [];
    rx.run(({ hot, expectObservable }) => {
      const src = hot('-x-a-y-|', values);
      expectObservable(src.pipe(progressNotifications((p) => problems.push(p)))).toBe(
        '             ---A---|',
        updates,
      );
    });
    expect(problems.map((p) => p.error)).toEqual([
      ProgressError.INVALID_TOKEN,
      ProgressError.INVALID_PROGRESS,
    ]);
    expect(problems[1].message).toContain('params.progress: -1');
  });

  it('completes with an empty source', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('|').pipe(progressNotifications())).toBe('|');
    });
  });

  it('never emits for a source that never emits', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('-').pipe(progressNotifications())).toBe('-');
    });
  });

  it('passes on the source error', () => {
    rx.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', values).pipe(progressNotifications())).toBe('-A-#', updates);
    });
  });

  it('unsubscribes from the source early', () => {
    rx.run(({ hot, expectObservable, expectSubscriptions }) => {
      const src = hot('-a--b--|', values);
      expectObservable(src.pipe(progressNotifications()), '^--!').toBe('-A--', updates);
      expectSubscriptions(src.subscriptions).toBe('^--!');
    });
  });

  it('errors the result when onError throws, like a throwing projection', () => {
    const source = new Subject<unknown>();
    const seen: unknown[] = [];
    source
      .pipe(
        progressNotifications(() => {
          throw new Error('callback failed');
        }),
      )
      .subscribe({ error: (e: unknown) => seen.push(e) });
    source.next(values.x);
    expect(seen).toEqual([new Error('callback failed')]);
    expect(source.observed).toBe(false);
  });
});

describe('progressNotifications({ maxMessageLength })', () => {
  it('cuts long messages (1024 by default) and keeps the update', () => {
    const source = new Subject<unknown>();
    const seen: string[] = [];
    source.pipe(progressNotifications()).subscribe((u) => seen.push(u.message ?? ''));
    source
      .pipe(progressNotifications({ maxMessageLength: 5 }))
      .subscribe((u) => seen.push(u.message ?? ''));
    source.next(progressMessage('t', 1, undefined, 'x'.repeat(5000)));
    expect(seen[0]).toHaveLength(1024);
    expect(seen[0].endsWith('…')).toBe(true);
    expect(seen[1]).toBe('xxxx…');
  });

  it('takes onError in the options object too', () => {
    const problems: ProgressErrorResult[] = [];
    const source = new Subject<unknown>();
    source.pipe(progressNotifications({ onError: (p) => problems.push(p) })).subscribe();
    source.next(progressMessage(1.5, 1));
    expect(problems).toHaveLength(1);
  });

  it('rejects a limit that is not an integer >= 1 or Infinity', () => {
    expect(() => progressNotifications({ maxMessageLength: 0 })).toThrow(
      'maxMessageLength must be an integer >= 1 or Infinity, got 0',
    );
    expect(() => progressNotifications({ maxMessageLength: Infinity })).not.toThrow();
  });
});
