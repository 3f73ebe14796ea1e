/**
 * Properties of the sending side's state machine (through `toProgressNotifications`, which shares it
 * with `ProgressReporter`), over generated inputs, timings and configurations: what goes out is
 * valid, strictly increasing, within the token bucket, never late by more than one refill, ends with
 * the newest accepted input, and leaves no timer behind.
 */
import fc from 'fast-check';
import { Subject } from 'rxjs';
import {
  isFinalUpdate,
  ProgressNotification,
  toProgressNotifications,
  type ProgressInput,
} from '../../src/index.js';
import { ManualClock } from './support.js';

type Step =
  | { readonly kind: 'up'; readonly by: number; readonly total?: number; readonly message?: string }
  | { readonly kind: 'final' }
  | { readonly kind: 'bad'; readonly input: unknown };

interface Event {
  readonly gap: number;
  readonly step: Step;
}

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record(
      {
        kind: fc.constant('up' as const),
        by: fc.oneof(fc.constant(1), fc.double({ min: 0.001, max: 3, noNaN: true })),
        total: fc.constant(1_000_000),
        message: fc.string({ maxLength: 5 }),
      },
      { requiredKeys: ['kind', 'by'] },
    ),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'final' as const }) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom<unknown>(
        { progress: NaN },
        { progress: -1 },
        { progress: 0 }, // valid only as the very first input
        { progress: 1, total: 0 },
        { progress: 5, message: 5 },
        null,
        'progress',
      )
      .map((input) => ({ kind: 'bad' as const, input })),
  },
);

const scenario = fc.record({
  burst: fc.integer({ min: 1, max: 5 }),
  maxUpdatesPerSecond: fc.constantFrom(Infinity, 50, 100, 250, 300, 1000),
  events: fc.array(fc.record({ gap: fc.integer({ min: 0, max: 12 }), step }), { maxLength: 60 }),
  end: fc.constantFrom('complete', 'error', 'none'),
});

describe('toProgressNotifications (properties)', () => {
  it('sends valid, increasing, rate-limited, timely notifications ending with the newest input', () => {
    fc.assert(
      fc.property(scenario, ({ burst, maxUpdatesPerSecond, events, end }) => {
        const clock = new ManualClock();
        const interval = maxUpdatesPerSecond === Infinity ? 0 : 1000 / maxUpdatesPerSecond;
        const source = new Subject<ProgressInput>();
        const sent: { at: number; n: ProgressNotification }[] = [];
        const status: { ended?: 'complete' | 'error' } = {};
        const subscription = source
          .pipe(toProgressNotifications('t', { burst, maxUpdatesPerSecond, scheduler: clock }))
          .subscribe({
            next: (n) => sent.push({ at: clock.now(), n }),
            complete: () => (status.ended = 'complete'),
            error: () => (status.ended = 'error'),
          });

        // Feed the events at their times, and keep the model of what is accepted.
        const accepted: { at: number; progress: number; final: boolean }[] = [];
        let progress = 0;
        let last = -1;
        let closed = false;
        let t = 0;
        for (const { gap, step: s } of events as Event[]) {
          t += gap;
          clock.advanceTo(t);
          let input: unknown;
          if (s.kind === 'up') {
            progress += s.by;
            input = { progress, total: s.total, message: s.message };
          } else if (s.kind === 'final') {
            progress += 1;
            input = { progress, total: progress };
          } else {
            input = s.input;
          }
          source.next(input as ProgressInput);
          const candidate = input as { progress?: unknown; total?: unknown } | null;
          if (closed || s.kind === 'bad') {
            const zeroFirst = s.kind === 'bad' && last === -1 && candidate?.progress === 0;
            if (!closed && zeroFirst) {
              last = 0;
              accepted.push({ at: t, progress: 0, final: false });
            }
            continue;
          }
          last = progress;
          const final = isFinalUpdate(candidate as { progress: number; total?: number });
          accepted.push({ at: t, progress, final });
          if (final) closed = true;
        }
        t += 1;
        clock.advanceTo(t);
        if (end === 'complete') source.complete();
        if (end === 'error') source.error(new Error('stop'));
        const endedBy = closed ? 'final' : end;
        clock.advanceTo(t + 10_000);

        // Valid, with the token, strictly increasing, each one an accepted input sent no earlier.
        const byProgress = new Map(accepted.map((a) => [a.progress, a]));
        for (const [i, { at, n }] of sent.entries()) {
          expect(ProgressNotification.is(n)).toBe(true);
          expect(n.params.progressToken).toBe('t');
          if (i > 0) expect(n.params.progress).toBeGreaterThan(sent[i - 1].n.params.progress);
          const source = byProgress.get(n.params.progress);
          expect(source).toBeDefined();
          expect(at).toBeGreaterThanOrEqual(source!.at);
        }

        // How it ended, and with what.
        const newest = accepted.at(-1);
        if (endedBy === 'final' || endedBy === 'complete') {
          expect(status.ended).toBe('complete');
          if (newest !== undefined)
            expect(sent[sent.length - 1].n.params.progress).toBe(newest.progress);
        } else if (endedBy === 'error') {
          expect(status.ended).toBe('error');
        } else {
          expect(status.ended).toBeUndefined();
          // Nothing held back forever: the newest accepted input has gone out.
          if (newest !== undefined)
            expect(sent[sent.length - 1].n.params.progress).toBe(newest.progress);
        }

        if (interval > 0) {
          // Within the bucket, except the one flushed at the end (a final input, or complete()).
          const flushed = endedBy === 'final' || endedBy === 'complete' ? 1 : 0;
          const times = sent.slice(0, sent.length - flushed).map((s) => s.at);
          for (let i = 0; i < times.length; i++) {
            for (let j = i; j < times.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(
                burst + (times[j] - times[i]) / interval + 1e-9,
              );
            }
          }
        }

        // Timely: each accepted input, or a newer one, goes out within one refill of it arriving.
        if (endedBy !== 'error') {
          for (const a of accepted) {
            const out = sent.find((s) => s.n.params.progress >= a.progress);
            expect(out).toBeDefined();
            expect(out!.at).toBeLessThanOrEqual(a.at + interval + 1e-9);
          }
        }

        subscription.unsubscribe();
        expect(clock.pendingActions).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
