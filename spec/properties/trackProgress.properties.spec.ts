/**
 * Properties of `trackProgress` over generated message sequences (valid progress of a few tokens,
 * tokens a peer invents, malformed notifications, any other value), consumers that leave a group,
 * `isActive`, `maxCompletedTokens` and the end of the source, in virtual time, against an oracle that
 * knows only the documented rules. (That the fused operator emits exactly what the composition of
 * the public operators emits is `spec/operators/trackProgress.equivalence.spec.ts`.)
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Subject, type Subscription } from 'rxjs';
import {
  isFinalUpdate,
  ProgressError,
  trackProgress,
  type ProgressErrorResult,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
import { testScheduler } from '../helpers/testScheduler.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';
import {
  notification,
  slot,
  StepWriter,
  stepGap,
  TOKENS,
  wireSteps,
  type SlotIndex,
  type WireStep,
} from './arbitraries.js';
import { MAX_DIAGNOSTIC_LENGTH, prototypeIsClean, read, Tally } from './model.js';

type Action = WireStep | { readonly kind: 'leave'; readonly slot: SlotIndex };

const action: fc.Arbitrary<Action> = fc.oneof(
  wireSteps[0],
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), slot }) },
  ...wireSteps.slice(1),
);

const scenario = fc.record({
  rate: fc.constantFrom(Infinity, 377, 263, 139),
  /** `isActive` that rejects every invented token, or none (every token may start a group). */
  guarded: fc.boolean(),
  maxCompletedTokens: fc.constantFrom(1024, 1, 0),
  maxMessageLength: fc.constantFrom(1024, 5),
  steps: fc.array(fc.tuple(stepGap, action), {
    maxLength: 80,
    size: 'max',
  }),
  end: fc.constantFrom('complete', 'error', 'never'),
  /** Frames between the last message and the end of the source: 0 and 1 catch held updates. */
  endGap: fc.constantFrom(0, 1, 5),
});

/** One group, as the oracle sees it and as it happened. */
interface Group {
  readonly token: ProgressToken;
  last: number;
  readonly accepted: { readonly at: number; readonly update: ProgressUpdate }[];
  expected: 'live' | 'final' | 'left' | 'drain' | 'error';
  endedAt: number;
  readonly emitted: { readonly at: number; readonly update: ProgressUpdate }[];
  observed:
    | { readonly kind: 'complete' | 'error'; readonly at: number; readonly error?: unknown }
    | undefined;
  subscription: Subscription | undefined;
}

/** The `RecentSet` of the documentation: the last `capacity` ended tokens, oldest forgotten first. */
class Recent {
  private readonly values = new Set<ProgressToken>();
  constructor(private readonly capacity: number) {}
  has(token: ProgressToken): boolean {
    return this.values.has(token);
  }
  add(token: ProgressToken): void {
    if (this.capacity === 0) return;
    this.values.delete(token);
    this.values.add(token);
    if (this.values.size > this.capacity) this.values.delete(this.values.values().next().value!);
  }
}

const sourceFailure = new Error('source failed');

describe('trackProgress (properties)', () => {
  it('for any messages, consumers and timings: increasing, received, complete, rate-bounded, accounted, bounded', () => {
    fc.assert(
      fc.property(
        scenario,
        ({ rate, guarded, maxCompletedTokens, maxMessageLength, steps, end, endGap }) => {
          const rx = testScheduler();
          const scheduler = trackingScheduler(rx);
          const interval = rate === Infinity ? 0 : 1000 / rate;
          const source = new Subject<unknown>();
          const problems: ProgressErrorResult[] = [];
          const isActive = guarded
            ? (token: ProgressToken): boolean => !String(token).startsWith('invented')
            : undefined;

          // The oracle.
          const expected = new Tally();
          const live = new Map<ProgressToken, Group>();
          const ended = new Recent(maxCompletedTokens);
          const groups: Group[] = [];
          const writer = new StepWriter();
          let maxPending = 0;
          let outer: { kind: 'complete' | 'error'; at: number } | undefined;

          // What happened. Each group emitted is the one the oracle expects the message being
          // delivered to start, and each one it expects is emitted (both checked as each message is
          // delivered): every group of `groups` was emitted once, keyed by its token, and no other.
          /** The group the oracle expects the message being delivered to start. */
          let created: Group | undefined;
          source
            .pipe(
              trackProgress({
                scheduler,
                maxUpdatesPerSecond: rate,
                isActive,
                maxCompletedTokens,
                maxMessageLength,
                onError: (p) => problems.push(p),
              }),
            )
            .subscribe({
              next: (group$) => {
                const g = created;
                created = undefined;
                // Tokens compare as Map keys do (SameValueZero: a peer's -0 is the token 0).
                assert.ok(g?.token === group$.key, `unexpected group for ${String(group$.key)}`);
                g.subscription = group$.subscribe({
                  next: (update) => g.emitted.push({ at: rx.now(), update }),
                  complete: () => (g.observed = { kind: 'complete', at: rx.now() }),
                  error: (error: unknown) => (g.observed = { kind: 'error', at: rx.now(), error }),
                });
              },
              complete: () => (outer = { kind: 'complete', at: rx.now() }),
              error: () => (outer = { kind: 'error', at: rx.now() }),
            });

          const finish = (g: Group, how: Group['expected'], at: number): void => {
            g.expected = how;
            g.endedAt = at;
            live.delete(g.token);
            if (how !== 'error') ended.add(g.token);
          };
          const deliver = (message: unknown, t: number): void => {
            const reading = read(message, maxMessageLength);
            if (reading.kind === 'malformed') {
              expected.add(reading.error, reading.token);
            } else if (reading.kind === 'update') {
              const u = reading.update;
              let g = live.get(u.progressToken);
              if (g === undefined) {
                if (
                  ended.has(u.progressToken) ||
                  (isActive !== undefined && !isActive(u.progressToken))
                ) {
                  expected.add(ProgressError.INVALID_TOKEN, u.progressToken);
                } else {
                  g = {
                    token: u.progressToken,
                    last: -1,
                    accepted: [],
                    expected: 'live',
                    endedAt: Infinity,
                    emitted: [],
                    observed: undefined,
                    subscription: undefined,
                  };
                  live.set(g.token, g);
                  groups.push(g);
                  created = g;
                }
              }
              if (g !== undefined) {
                if (u.progress <= g.last) {
                  expected.add(ProgressError.INVALID_PROGRESS, u.progressToken);
                } else {
                  g.last = u.progress;
                  g.accepted.push({ at: t, update: u });
                  if (isFinalUpdate(u)) finish(g, 'final', t);
                }
              }
            }
            source.next(message);
            assert.equal(created, undefined, 'a group the oracle expected was not emitted');
          };
          const perform = (a: Action, t: number): void => {
            switch (a.kind) {
              case 'progress':
              case 'malformed':
              case 'noise':
              case 'invented':
                deliver(writer.messageOf(a), t);
                return;
              case 'leave': {
                const g = live.get(TOKENS[a.slot]);
                if (g === undefined) return;
                finish(g, 'left', t);
                g.subscription?.unsubscribe();
                return;
              }
            }
          };
          const checkLive = (): void => {
            const open = groups.filter((g) => g.observed === undefined && g.expected !== 'left');
            assert.equal(open.length, live.size, 'groups alive');
            maxPending = Math.max(maxPending, scheduler.pending);
          };

          let endAt = 0;
          rx.run(() => {
            let t = 0;
            for (const [gap, a] of steps) {
              t += gap;
              const at = t;
              rx.schedule(() => {
                perform(a, at);
                checkLive();
              }, at);
            }
            endAt = t + endGap;
            rx.schedule(() => {
              for (const g of [...live.values()]) {
                if (end === 'complete') finish(g, 'drain', endAt);
                if (end === 'error') finish(g, 'error', endAt);
              }
              if (end === 'complete') source.complete();
              if (end === 'error') source.error(sourceFailure);
            }, endAt);
          });

          for (const g of groups) {
            // Strictly increasing; each emitted update was received for this token, no earlier.
            for (const [i, e] of g.emitted.entries()) {
              assert.ok(e.update.progressToken === g.token, 'an update of another token');
              if (i > 0)
                assert.ok(e.update.progress > g.emitted[i - 1].update.progress, 'increasing');
              const source = g.accepted.find((a) => a.update.progress === e.update.progress);
              assert.notEqual(source, undefined, 'emitted but never received');
              assert.deepEqual(e.update, source!.update);
              assert.ok(e.at >= source!.at, 'emitted before received');
              if (g.expected === 'final' || g.expected === 'left' || g.expected === 'error') {
                assert.ok(e.at <= g.endedAt, 'emitted after the end');
              }
            }
            // How it ended.
            switch (g.expected) {
              case 'final':
                assert.deepEqual(g.observed, { kind: 'complete', at: g.endedAt });
                break;
              case 'drain':
                // Completes once its held update has gone out, within one window of the end.
                assert.equal(g.observed?.kind, 'complete');
                assert.ok(g.observed.at >= g.endedAt && g.observed.at <= g.endedAt + interval);
                break;
              case 'error':
                assert.deepEqual(g.observed, {
                  kind: 'error',
                  at: g.endedAt,
                  error: sourceFailure,
                });
                break;
              case 'left':
              case 'live':
                assert.equal(g.observed, undefined);
            }
            // The last valid update received is always emitted (unless the consumer left or the
            // source failed), held ones within one window.
            if (g.expected === 'final' || g.expected === 'drain' || g.expected === 'live') {
              const last = g.accepted.at(-1);
              if (last !== undefined) {
                assert.deepEqual(g.emitted.at(-1)?.update, last.update);
                assert.ok(g.emitted.at(-1)!.at <= last.at + interval + 1e-9);
              }
            }
            // The rate: consecutive emissions at least one window apart, but the final update.
            const spaced = g.expected === 'final' ? g.emitted.slice(0, -1) : g.emitted;
            for (let i = 1; i < spaced.length; i++) {
              assert.ok(spaced[i].at - spaced[i - 1].at >= interval - 1e-9, 'over the rate');
            }
            if (interval === 0) assert.equal(g.emitted.length, g.accepted.length);
          }

          // The outer stream ends only with the source.
          if (end === 'never') assert.equal(outer, undefined);
          else assert.deepEqual(outer, { kind: end, at: endAt });

          // onError: each dropped input exactly once (trackProgress does not report replaced ones).
          assert.deepEqual(Tally.of(problems).toJSON(), expected.toJSON());
          for (const p of problems) assert.ok(p.message.length <= MAX_DIAGNOSTIC_LENGTH);

          // One timer for every window, none left.
          assert.ok(maxPending <= 1, `${String(maxPending)} timers`);
          assert.equal(scheduler.pending, 0);
          if (guarded) assert.ok(groups.every((g) => !String(g.token).startsWith('invented')));
          assert.equal(prototypeIsClean(), true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('allocates nothing for tokens isActive rejects, however many a peer invents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(Infinity, 10), (n, rate) => {
        const scheduler = trackingScheduler(testScheduler());
        const source = new Subject<unknown>();
        let groups = 0;
        let problems = 0;
        source
          .pipe(
            trackProgress({
              scheduler,
              maxUpdatesPerSecond: rate,
              isActive: (token) => token === 'mine',
              onError: () => problems++,
            }),
          )
          .subscribe(() => groups++);
        for (let i = 0; i < n; i++)
          source.next(notification({ progressToken: `x${String(i)}`, progress: i }));
        assert.equal(groups, 0);
        assert.equal(problems, n);
        assert.equal(scheduler.scheduled, 0);
      }),
      { numRuns: 20 },
    );
  });
});
