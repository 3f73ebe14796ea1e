/**
 * Properties of `ProgressManager` over generated message sequences, timings and lifecycles (track,
 * unsubscribe, response, cancellation, dispose, idle timeout, the end of `messages$`), in virtual
 * time, against an oracle that knows only the documented rules: which inputs are well formed (the
 * codec), which tokens are active, and how a tracked stream ends. The throttle itself is not
 * modelled: its effects are checked as invariants (spacing, and the count of replaced updates on
 * `errors$`).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Subject } from 'rxjs';
import {
  isFinalUpdate,
  ProgressError,
  ProgressFailure,
  ProgressManager,
  type ProgressErrorResult,
  type ProgressToken,
  type ProgressUpdate,
  type RequestId,
} from '../../src/index.js';
import { errorResponse, response } from '../helpers/messages.js';
import { testScheduler } from '../helpers/testScheduler.js';
import { trackingScheduler } from '../helpers/trackingScheduler.js';
import {
  notification,
  slot,
  SLOTS,
  StepWriter,
  stepGap,
  TOKENS,
  wireSteps,
  type SlotIndex,
  type WireStep,
} from './arbitraries.js';
import { MAX_DIAGNOSTIC_LENGTH, prototypeIsClean, read, Tally } from './model.js';

/** The request ids of the requests carrying TOKENS. */
const REQUEST_IDS: readonly RequestId[] = [1, 'r-b', 3, '3'];

type Action =
  | WireStep
  | { readonly kind: 'track'; readonly slot: SlotIndex }
  | { readonly kind: 'unsubscribe'; readonly slot: SlotIndex }
  | { readonly kind: 'response'; readonly slot: SlotIndex; readonly error: boolean }
  | { readonly kind: 'cancelled'; readonly slot: SlotIndex }
  | { readonly kind: 'dispose' };

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('track' as const), slot }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unsubscribe' as const), slot }) },
  ...wireSteps,
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('response' as const), slot, error: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancelled' as const), slot }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'dispose' as const }) },
);

const scenario = fc.record({
  // Window lengths 1000/rate that no sum of whole frames can hit (no ties with message times).
  rate: fc.constantFrom(Infinity, 377, 263, 139),
  // Idle timeouts of half frames: restarted at whole frames, they never tie with a message either.
  idleTimeoutMs: fc.constantFrom(undefined, undefined, 40.5, 12.5),
  completeOnCancelled: fc.boolean(),
  maxMessageLength: fc.constantFrom(1024, 5),
  // Which tokens are tracked from the start (others start later, or never).
  initial: fc.subarray([...SLOTS]),
  // Bursts (gap 0) as often as spread-out messages, so that windows fill up.
  steps: fc.array(fc.tuple(stepGap, action), {
    maxLength: 80,
    size: 'max',
  }),
  end: fc.constantFrom('complete', 'error', 'never'),
  /** Frames between the last message and the end of the source: 0 and 1 catch held updates. */
  endGap: fc.constantFrom(0, 1, 5),
});

type Ending =
  | { readonly kind: 'complete'; readonly at: number }
  | { readonly kind: 'error'; readonly at: number; readonly error: 'source' | 'idle' }
  | { readonly kind: 'unsubscribed'; readonly at: number };

/** One subscription to `track(token)`, as the oracle sees it and as it happened. */
interface Lifecycle {
  readonly slot: SlotIndex;
  readonly token: ProgressToken;
  readonly requestId: RequestId;
  last: number;
  idleDue: number;
  readonly accepted: { readonly at: number; readonly update: ProgressUpdate }[];
  expected: Ending | undefined;
  // What happened:
  readonly emitted: { readonly at: number; readonly update: ProgressUpdate }[];
  observed:
    | { readonly kind: 'complete' | 'error'; readonly at: number; readonly error?: unknown }
    | undefined;
  unsubscribe: () => void;
}

const sourceFailure = new Error('messages$ failed');

describe('ProgressManager (properties)', () => {
  it('for any messages, lifecycles and timings: increasing, received, complete, rate-bounded, accounted, bounded', () => {
    fc.assert(
      fc.property(
        scenario,
        ({
          rate,
          idleTimeoutMs,
          completeOnCancelled,
          maxMessageLength,
          initial,
          steps,
          end,
          endGap,
        }) => {
          const rx = testScheduler();
          const scheduler = trackingScheduler(rx);
          const interval = rate === Infinity ? 0 : 1000 / rate;
          const messages$ = new Subject<unknown>();
          const manager = new ProgressManager(messages$, {
            scheduler,
            maxUpdatesPerSecond: rate,
            idleTimeoutMs,
            completeOnCancelled,
            maxMessageLength,
          });
          const diagnostics: { at: number; d: ProgressErrorResult }[] = [];
          let errorsEnded: 'complete' | 'error' | undefined;
          manager.errors$.subscribe({
            next: (d) => diagnostics.push({ at: rx.now(), d }),
            complete: () => (errorsEnded = 'complete'),
            error: () => (errorsEnded = 'error'),
          });

          // The oracle.
          const expected = new Tally();
          const lifecycles: Lifecycle[] = [];
          const active = new Map<SlotIndex, Lifecycle>();
          const writer = new StepWriter();
          let phase: 'connected' | 'over' = 'connected';
          const refusals: { slot: SlotIndex; error: unknown }[] = [];
          const timerBound = (interval > 0 ? 1 : 0) + 1 + (idleTimeoutMs === undefined ? 0 : 1);
          let maxPending = 0;

          const endLifecycle = (l: Lifecycle, ending: Ending): void => {
            l.expected = ending;
            active.delete(l.slot);
          };
          const timeOutUpTo = (t: number): void => {
            if (idleTimeoutMs === undefined) return;
            for (const l of [...active.values()]) {
              if (l.idleDue < t) endLifecycle(l, { kind: 'error', at: l.idleDue, error: 'idle' });
            }
          };
          const deliver = (message: unknown, t: number): void => {
            if (phase === 'over') {
              messages$.next(message); // nobody listens any more
              return;
            }
            const reading = read(message, maxMessageLength);
            if (reading.kind === 'malformed') {
              expected.add(reading.error, reading.token);
            } else if (reading.kind === 'update') {
              const u = reading.update;
              const l = [...active.values()].find((x) => x.token === u.progressToken);
              if (l === undefined) {
                expected.add(ProgressError.INVALID_TOKEN, u.progressToken);
              } else {
                l.idleDue = t + (idleTimeoutMs ?? 0);
                if (u.progress <= l.last) {
                  expected.add(ProgressError.INVALID_PROGRESS, u.progressToken);
                } else {
                  l.last = u.progress;
                  l.accepted.push({ at: t, update: u });
                  if (isFinalUpdate(u)) {
                    endLifecycle(l, { kind: 'complete', at: t });
                  }
                }
              }
            } else if (
              reading.kind === 'response' ||
              (reading.kind === 'cancelled' && completeOnCancelled)
            ) {
              const l = [...active.values()].find((x) => x.requestId === reading.id);
              if (l !== undefined) endLifecycle(l, { kind: 'complete', at: t });
            }
            messages$.next(message);
          };
          const checkLive = (): void => {
            assert.equal(manager.activeTokens.size, active.size);
            for (const s of SLOTS) assert.equal(manager.activeTokens.has(TOKENS[s]), active.has(s));
            maxPending = Math.max(maxPending, scheduler.pending);
          };

          const perform = (a: Action, t: number): void => {
            switch (a.kind) {
              case 'track': {
                const token = TOKENS[a.slot];
                const l: Lifecycle = {
                  slot: a.slot,
                  token,
                  requestId: REQUEST_IDS[a.slot],
                  last: -1,
                  idleDue: t + (idleTimeoutMs ?? 0),
                  accepted: [],
                  expected: undefined,
                  emitted: [],
                  observed: undefined,
                  unsubscribe: () => undefined,
                };
                const refused = phase === 'over' || active.has(a.slot);
                let refusal: unknown;
                const subscription = manager.track(token, { requestId: l.requestId }).subscribe({
                  next: (update) => l.emitted.push({ at: rx.now(), update }),
                  complete: () => (l.observed = { kind: 'complete', at: rx.now() }),
                  error: (error: unknown) => {
                    if (refused) refusal = error;
                    else l.observed = { kind: 'error', at: rx.now(), error };
                  },
                });
                if (refused) {
                  refusals.push({ slot: a.slot, error: refusal });
                } else {
                  l.unsubscribe = () => {
                    subscription.unsubscribe();
                  };
                  lifecycles.push(l);
                  active.set(a.slot, l);
                }
                return;
              }
              case 'unsubscribe': {
                const l = active.get(a.slot);
                if (l === undefined) return;
                endLifecycle(l, { kind: 'unsubscribed', at: t });
                l.unsubscribe();
                return;
              }
              case 'progress':
              case 'malformed':
              case 'noise':
              case 'invented':
                deliver(writer.messageOf(a), t);
                return;
              case 'response':
                deliver(
                  a.error ? errorResponse(REQUEST_IDS[a.slot]) : response(REQUEST_IDS[a.slot]),
                  t,
                );
                return;
              case 'cancelled':
                deliver(
                  {
                    jsonrpc: '2.0',
                    method: 'notifications/cancelled',
                    params: { requestId: REQUEST_IDS[a.slot] },
                  },
                  t,
                );
                return;
              case 'dispose':
                if (phase === 'connected') {
                  for (const l of [...active.values()])
                    endLifecycle(l, { kind: 'complete', at: t });
                  phase = 'over';
                }
                manager.dispose();
                return;
            }
          };

          let endAt = 0;
          rx.run(() => {
            rx.schedule(() => {
              for (const s of initial) perform({ kind: 'track', slot: s }, 0);
              checkLive();
            }, 0);
            let t = 0;
            for (const [gap, a] of steps) {
              t += gap;
              const at = t;
              rx.schedule(() => {
                timeOutUpTo(at);
                perform(a, at);
                checkLive();
              }, at);
            }
            endAt = t + endGap;
            rx.schedule(() => {
              timeOutUpTo(endAt);
              if (phase === 'connected' && end !== 'never') {
                for (const l of [...active.values()]) {
                  endLifecycle(
                    l,
                    end === 'complete'
                      ? { kind: 'complete', at: endAt }
                      : { kind: 'error', at: endAt, error: 'source' },
                  );
                }
                phase = 'over';
              }
              if (end === 'complete') messages$.complete();
              if (end === 'error') messages$.error(sourceFailure);
              checkLive();
            }, endAt);
          });
          // Whatever is still tracked (no end, no idle timeout) ends with dispose().
          timeOutUpTo(Infinity);
          const disposeAt = rx.now();
          for (const l of [...active.values()])
            endLifecycle(l, { kind: 'complete', at: disposeAt });
          manager.dispose();

          for (const { slot: s, error } of refusals) {
            assert.ok(error instanceof ProgressFailure);
            assert.equal(error.error, ProgressError.STATE_ERROR, `slot ${String(s)}`);
          }

          const lost = new Tally();
          // Per token, how many replaced updates may go uncounted: a stream its subscriber left may
          // drop its held update silently (the subscriber is gone), at most one each.
          const slack = new Tally();

          for (const l of lifecycles) {
            const ending = l.expected!;
            assert.notEqual(ending, undefined);
            // Per token, strictly increasing; each emitted update was received for this token while
            // it was tracked, is emitted no earlier than received, and nothing comes after the end.
            for (const [i, e] of l.emitted.entries()) {
              assert.equal(e.update.progressToken, l.token);
              if (i > 0)
                assert.ok(
                  e.update.progress > l.emitted[i - 1].update.progress,
                  `${String(e.update.progress)} > ${String(l.emitted[i - 1].update.progress)}`,
                );
              const source = l.accepted.find((a) => a.update.progress === e.update.progress);
              assert.notEqual(source, undefined);
              assert.deepEqual(e.update, source!.update);
              assert.ok(e.at >= source!.at, `${String(e.at)} >= ${String(source!.at)}`);
              assert.ok(e.at <= ending.at, `${String(e.at)} <= ${String(ending.at)}`);
              if (e.update.message !== undefined) {
                assert.ok(
                  e.update.message.length <= maxMessageLength,
                  `${String(e.update.message.length)} <= ${String(maxMessageLength)}`,
                );
              }
            }
            // How it ended: exactly as the oracle says, at the moment it says.
            if (ending.kind === 'unsubscribed') {
              assert.equal(l.observed, undefined);
              slack.add(ProgressError.RATE_LIMIT, l.token);
            } else {
              const observed = l.observed;
              assert.ok(observed !== undefined, 'the stream did not end');
              assert.equal(observed.kind, ending.kind);
              assert.equal(observed.at, ending.at);
              if (ending.kind === 'error' && ending.error === 'source') {
                assert.equal(observed.error, sourceFailure);
              }
              if (ending.kind === 'error' && ending.error === 'idle') {
                const failure = observed.error as ProgressFailure;
                assert.ok(failure instanceof ProgressFailure);
                assert.equal(failure.error, ProgressError.STATE_ERROR);
                assert.equal((failure.details as { reason: string }).reason, 'idleTimeout');
              }
              // The last valid update received before the end is always emitted, and last.
              const lastAccepted = l.accepted.at(-1);
              if (lastAccepted !== undefined) {
                assert.deepEqual(l.emitted.at(-1)?.update, lastAccepted.update);
              }
            }
            // The rate: consecutive emissions at least one window apart, except the last one of a
            // stream that ended (its final update, or the held update flushed at the end).
            const spaced = ending.kind === 'unsubscribed' ? l.emitted : l.emitted.slice(0, -1);
            for (let i = 1; i < spaced.length; i++) {
              assert.ok(
                spaced[i].at - spaced[i - 1].at >= interval - 1e-9,
                `${String(spaced[i].at - spaced[i - 1].at)} >= ${String(interval - 1e-9)}`,
              );
            }
            if (interval === 0) assert.equal(l.emitted.length, l.accepted.length);
            // Accepted but never emitted: replaced inside a window.
            assert.ok(
              l.accepted.length >= l.emitted.length,
              `${String(l.accepted.length)} >= ${String(l.emitted.length)}`,
            );
            lost.add(ProgressError.RATE_LIMIT, l.token, l.accepted.length - l.emitted.length);
          }

          // errors$: every rejected input is counted exactly once, per kind and token.
          const observed = Tally.of(
            diagnostics.map(({ d }) => d).filter((d) => d.error !== ProgressError.STATE_ERROR),
          );
          const withoutRate = (tally: Tally): Record<string, number> =>
            Object.fromEntries(
              Object.entries(tally.toJSON()).filter(
                ([k]) => !k.startsWith(ProgressError.RATE_LIMIT),
              ),
            );
          assert.deepEqual(withoutRate(observed), withoutRate(expected));
          // RATE_LIMIT: each update replaced inside a window, per token.
          for (const token of TOKENS) {
            const counted = observed.get(ProgressError.RATE_LIMIT, token);
            const replaced = lost.get(ProgressError.RATE_LIMIT, token);
            assert.ok(counted <= replaced, `${String(counted)} <= ${String(replaced)}`);
            assert.ok(
              replaced - counted <= slack.get(ProgressError.RATE_LIMIT, token),
              `token ${String(token)}: ${String(replaced - counted)} replaced updates not counted`,
            );
          }

          // errors$ ends, with a STATE_ERROR for a failed messages$, and its messages stay short.
          assert.equal(errorsEnded, 'complete');
          const stateErrors = diagnostics.filter(({ d }) => d.error === ProgressError.STATE_ERROR);
          const failedWhileConnected =
            end === 'error' && !steps.some(([, a]) => a.kind === 'dispose');
          assert.equal(stateErrors.length, failedWhileConnected ? 1 : 0);
          if (failedWhileConnected) {
            assert.equal((stateErrors[0].d.details as { cause: unknown }).cause, sourceFailure);
          }
          for (const { d } of diagnostics) {
            assert.ok(
              d.message.length <= MAX_DIAGNOSTIC_LENGTH,
              `${String(d.message.length)} <= ${String(MAX_DIAGNOSTIC_LENGTH)}`,
            );
          }

          // Memory: nothing tracked, no timer left; meanwhile one timer per kind of deadline at most.
          assert.equal(manager.activeTokens.size, 0);
          assert.equal(scheduler.pending, 0);
          assert.ok(maxPending <= timerBound, `${String(maxPending)} <= ${String(timerBound)}`);
          assert.equal(prototypeIsClean(), true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('under a flood of invented tokens and bad input: every input counted, errors$ bounded per window, timers and state bounded', () => {
    const flood = fc.record({
      maxDiagnosticKeys: fc.constantFrom(0, 1, 4, 16, 256),
      diagnosticsWindowMs: fc.constantFrom(10.5, 100.5),
      tracked: fc.integer({ min: 0, max: 8 }),
      events: fc.array(
        fc.tuple(
          fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 3 })),
          fc.oneof(
            { weight: 4, arbitrary: fc.constant({ kind: 'invented' as const }) },
            {
              weight: 2,
              arbitrary: fc.boolean().map((token) => ({ kind: 'malformed' as const, token })),
            },
            { weight: 1, arbitrary: fc.constant({ kind: 'backwards' as const }) },
            { weight: 2, arbitrary: fc.constant({ kind: 'fast' as const }) },
          ),
        ),
        { minLength: 200, maxLength: 3000 },
      ),
    });
    fc.assert(
      fc.property(flood, ({ maxDiagnosticKeys, diagnosticsWindowMs, tracked, events }) => {
        const rx = testScheduler();
        const scheduler = trackingScheduler(rx);
        const messages$ = new Subject<unknown>();
        const manager = new ProgressManager(messages$, {
          scheduler,
          maxDiagnosticKeys,
          diagnosticsWindowMs,
          maxUpdatesPerSecond: 139,
          idleTimeoutMs: 1_000_000,
          maxCompletedTokens: 16,
        });
        const diagnostics: { at: number; d: ProgressErrorResult }[] = [];
        manager.errors$.subscribe((d) => diagnostics.push({ at: rx.now(), d }));
        const tokens = Array.from({ length: tracked }, (_, i) => `tracked-${String(i)}`);
        const emitted = new Map<string, number>();
        for (const token of tokens) {
          manager.track(token).subscribe(() => emitted.set(token, (emitted.get(token) ?? 0) + 1));
        }
        let rejected = 0;
        let accepted = 0;
        let n = 0;
        let maxPending = 0;
        let end = 0;
        rx.run(() => {
          rx.schedule(() => {
            // Each tracked token starts at 0.5, so that progress 0 is always backwards.
            for (const token of tokens)
              messages$.next(notification({ progressToken: token, progress: 0.5 }));
            accepted += tokens.length;
          }, 0);
          let t = 0;
          for (const [gap, e] of events) {
            t += gap;
            rx.schedule(() => {
              n++;
              const token = tokens.length === 0 ? undefined : tokens[n % tokens.length];
              if (e.kind === 'invented' || token === undefined) {
                messages$.next(
                  notification({ progressToken: `invented-${String(n)}`, progress: 1 }),
                );
                rejected++;
              } else if (e.kind === 'malformed') {
                messages$.next(
                  notification({ progressToken: e.token ? token : n + 0.5, progress: -n }),
                );
                rejected++;
              } else if (e.kind === 'backwards') {
                messages$.next(notification({ progressToken: token, progress: 0 }));
                rejected++;
              } else {
                messages$.next(notification({ progressToken: token, progress: n }));
                accepted++;
              }
              maxPending = Math.max(maxPending, scheduler.pending);
            }, t);
          }
          end = t + 1;
          rx.schedule(() => {
            manager.dispose();
          }, end);
        });

        // Every rejected input, and every update replaced inside a window, is in exactly one count.
        const counted = Tally.of(diagnostics.map(({ d }) => d));
        const lost = accepted - [...emitted.values()].reduce((a, b) => a + b, 0);
        assert.equal(counted.total(), rejected + lost);
        // At most one diagnostic per key per window, and at most maxDiagnosticKeys keys plus one
        // shared key per kind: in any window, however many tokens were invented.
        const bound = maxDiagnosticKeys + 4;
        const times = diagnostics.filter(({ at }) => at < end).map(({ at }) => at);
        for (let i = 0, j = 0; i < times.length; i++) {
          while (times[i] - times[j] >= diagnosticsWindowMs) j++;
          assert.ok(
            i - j + 1 <= bound,
            `${String(i - j + 1)} diagnostics in one window > ${String(bound)}`,
          );
        }
        assert.ok(diagnostics.filter(({ at }) => at === end).length <= bound);
        for (const { d } of diagnostics) assert.ok(d.message.length <= MAX_DIAGNOSTIC_LENGTH);
        // One timer per kind of deadline (throttle, idle, diagnostics), whatever the flood; none after.
        assert.ok(maxPending <= 3, `${String(maxPending)} timers`);
        assert.equal(scheduler.pending, 0);
        assert.equal(manager.activeTokens.size, 0);
      }),
      { numRuns: 40 },
    );
  });
});
