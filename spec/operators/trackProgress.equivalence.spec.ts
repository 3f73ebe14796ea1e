/**
 * trackProgress fuses progressNotifications, groupBy, monotonicProgress, throttleProgress and
 * completeOnTotal for speed. This checks, over generated message sequences and timings, that it emits
 * exactly what the literal composition of those public operators emits: the same updates, at the
 * same virtual times, and the same completions, token by token.
 */
import fc from 'fast-check';
import { groupBy, map, type Observable } from 'rxjs';
import type { TestScheduler } from 'rxjs/testing';
import {
  completeOnTotal,
  monotonicProgress,
  progressNotifications,
  throttleProgress,
  trackProgress,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
import { progressMessage, request } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';

type Event = readonly [frame: number, kind: 'N' | 'C' | 'E', progress?: number];
type Timeline = Map<ProgressToken, Event[]>;

/** Runs a per-token stream of groups and records every notification with its frame. */
const record = (
  rx: TestScheduler,
  groups$: Observable<{ key: ProgressToken; updates: Observable<ProgressUpdate> }>,
  timeline: Timeline,
): void => {
  const log = (key: ProgressToken, event: Event): void => {
    const events = timeline.get(key) ?? [];
    events.push(event);
    timeline.set(key, events);
  };
  groups$.subscribe({
    next: ({ key, updates }) => {
      timeline.set(key, timeline.get(key) ?? []);
      updates.subscribe({
        next: (u) => {
          log(key, [rx.now(), 'N', u.progress]);
        },
        complete: () => {
          log(key, [rx.now(), 'C']);
        },
        error: () => {
          log(key, [rx.now(), 'E']);
        },
      });
    },
    error: () => undefined,
  });
};

/** One generated input: a progress step of a token (a random walk, mostly upwards), or noise. */
const input = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      token: fc.constantFrom<ProgressToken>('a', 'b', 1),
      delta: fc.integer({ min: -2, max: 3 }),
      total: fc.constantFrom(undefined, undefined, undefined, 0, 12),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ noise: request(1) }) },
  { weight: 1, arbitrary: fc.constant({ noise: progressMessage(1.5, 1) }) },
);

const scenario = fc.record({
  steps: fc
    .array(fc.tuple(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })), input), {
      maxLength: 40,
    })
    .map((steps) => {
      const walk = new Map<ProgressToken, number>();
      return steps.map(([gap, step]): [number, unknown] => {
        if ('noise' in step) return [gap, step.noise];
        const progress = Math.max(0, (walk.get(step.token) ?? 0) + step.delta);
        walk.set(step.token, progress);
        return [gap, progressMessage(step.token, progress, step.total)];
      });
    }),
  rate: fc.constantFrom(Infinity, 1000, 500, 250, 1000 / 3),
  end: fc.constantFrom<'complete' | 'error' | 'never'>('complete', 'error', 'never'),
});

describe('trackProgress equals the composition of the public operators', () => {
  it('for any messages, timings and rate', () => {
    fc.assert(
      fc.property(scenario, ({ steps, rate, end }) => {
        const rx = testScheduler();
        const fused: Timeline = new Map();
        const composed: Timeline = new Map();
        rx.run(({ hot }) => {
          // Lay the messages out on a marble timeline: a gap of `g` frames before each one.
          let marble = '';
          const values: Record<string, unknown> = {};
          steps.forEach(([gap, msg], i) => {
            const name = String.fromCharCode(0x100 + i);
            values[name] = msg;
            marble += '-'.repeat(gap) + name;
          });
          marble += end === 'complete' ? '|' : end === 'error' ? '#' : '-';
          const source = hot(marble, values);
          const interval = rate === Infinity ? 0 : 1000 / rate;

          record(
            rx,
            source.pipe(
              trackProgress({ maxUpdatesPerSecond: rate, scheduler: rx }),
              map((g) => ({ key: g.key, updates: g })),
            ),
            fused,
          );
          record(
            rx,
            source.pipe(
              progressNotifications(),
              groupBy((u) => u.progressToken),
              map((g) => ({
                key: g.key,
                updates: g.pipe(
                  monotonicProgress(),
                  throttleProgress(interval, rx),
                  completeOnTotal(),
                ),
              })),
            ),
            composed,
          );
        });
        expect(fused).toEqual(composed);
      }),
      { numRuns: 500 },
    );
  });
});
