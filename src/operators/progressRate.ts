import { map, pipe, scan, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { monotonicScheduler } from '../internal/monotonicScheduler.js';
import { previewValue } from '../wire/previewValue.js';

/** What {@link progressRate} adds to each update. */
export interface ProgressRate {
  /**
   * The smoothed rate, in progress units per second (`>= 0`). Absent on the first update (there is
   * no interval to measure yet) and on updates that arrive at the same instant as the first one.
   */
  readonly rate?: number;
  /**
   * The estimated time to completion, in milliseconds: `(total - progress) / rate`. `0` once
   * `progress >= total`. Absent when `total` is unknown, or when there is no rate yet or the rate is
   * `0` (a stalled operation has no finite estimate).
   */
  readonly etaMs?: number;
}

/**
 * An update with its {@link ProgressRate}: what {@link progressRate} emits. A `rate` or `etaMs` of
 * the input is replaced (or left out), never passed on, so the input's own types for them do not
 * carry over. Distributes over a union input, so that narrowing the output still works.
 */
export type RatedProgress<T = ProgressUpdate> = T extends unknown
  ? Omit<T, keyof ProgressRate> & ProgressRate
  : never;

/** Options of {@link progressRate}. Every field is optional. */
export interface ProgressRateOptions {
  /**
   * How fast old measurements fade, in milliseconds: a rate measured this long ago weighs half as
   * much as one measured now (an exponential moving average weighted by time, so irregular update
   * intervals are handled). `0` turns smoothing off (each rate is the last interval's). A finite
   * number `>= 0`. If not provided, defaults to `2000`.
   */
  readonly halfLifeMs?: number;
  /** The clock (`scheduler.now()`) that times the updates. If not provided, defaults to `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`). */
  readonly scheduler?: SchedulerLike;
}

interface RateState<T> {
  /** When the last interval ended (the last update that arrived later than its predecessor). */
  readonly at: number;
  /** The progress at `at`. */
  readonly progress: number;
  /** The smoothed rate, in units per millisecond; `undefined` before the first interval. */
  readonly perMs: number | undefined;
  /** What to emit for this step. */
  readonly out: RatedProgress<T>;
}

/**
 * Adds a smoothed rate (units per second) and an estimated time to completion to each update.
 *
 * In plain words: each update is timed on arrival with `scheduler.now()`; the progress made since
 * the previous update, over the time it took, is blended into a running rate whose older
 * measurements fade with `halfLifeMs`; the ETA is what is left of `total` at that rate.
 *
 * ```
 * halfLifeMs: 0, one character = 1 ms
 * updates:  a 9ms b 9ms c|      a: 0 of 100, b: 10 of 100, c: 30 of 100
 *            progressRate({ halfLifeMs: 0, scheduler })
 * result:   A 9ms B 9ms C|      A: a, no rate yet; B: rate 1000, etaMs 90; C: rate 2000, etaMs 35
 * ```
 *
 * - The first update has no `rate` (nothing to measure yet) and, unless it is final, no `etaMs`.
 * - Updates that arrive at the same instant as the previous one (several in one read) keep the
 *   current rate; their progress counts towards the next interval that takes time.
 * - Unknown `total`: `rate` only. Final update (`progress >= total`): `etaMs` is `0`.
 * - A rate of `0` (no progress over an interval) gives no `etaMs`. Progress that goes down is
 *   measured as no progress (the rate never goes negative); apply {@link monotonicProgress} first if
 *   the stream may carry such updates.
 * - The rate is measured between updates: a stall shows only when the next update arrives.
 *
 * Apply it to one operation's stream (one token), after any throttling: the rate is the same however
 * the stream was sampled. The updates are copied, never mutated, with every field except a `rate`
 * or `etaMs` the input already had (never passed on stale); each subscription has its own clock and
 * state.
 *
 * ## Examples
 * ```ts
 * import { progressRate } from 'rx-mcp-progress';
 *
 * manager.track(token).pipe(progressRate()).subscribe(({ progress, total, rate, etaMs }) =>
 *   console.log(`${progress}/${total ?? '?'} at ${rate?.toFixed(1) ?? '?'}/s, ETA ${etaMs ?? '?'} ms`),
 * );
 * ```
 *
 * @see {@link throttleProgress} to limit how often a display redraws.
 * @param options See {@link ProgressRateOptions}. If not provided, defaults to `{}` (`halfLifeMs`
 * 2000, `monotonicScheduler`).
 * @return A function that returns an Observable of the updates with their rate and ETA.
 * @throws RangeError at call time when `halfLifeMs` is not a finite number >= 0.
 */
export function progressRate<T extends { readonly progress: number; readonly total?: number }>(
  options: ProgressRateOptions = {},
): OperatorFunction<T, RatedProgress<T>> {
  const halfLifeMs = options.halfLifeMs ?? 2000;
  const scheduler = options.scheduler ?? monotonicScheduler;
  if (typeof halfLifeMs !== 'number' || !Number.isFinite(halfLifeMs) || halfLifeMs < 0) {
    throw new RangeError(
      `progressRate: halfLifeMs must be a finite number >= 0, got ${previewValue(halfLifeMs)}`,
    );
  }
  return pipe(
    scan<T, RateState<T>, undefined>((state, update) => {
      const now = scheduler.now();
      if (state === undefined) {
        return { at: now, progress: update.progress, perMs: undefined, out: rated(update) };
      }
      const elapsed = now - state.at;
      if (!(elapsed > 0)) return { ...state, out: rated(update, state.perMs) };
      const sample = Math.max(0, update.progress - state.progress) / elapsed;
      const weight = halfLifeMs === 0 ? 1 : 1 - Math.pow(2, -elapsed / halfLifeMs);
      const perMs =
        state.perMs === undefined ? sample : state.perMs + weight * (sample - state.perMs);
      return { at: now, progress: update.progress, perMs, out: rated(update, perMs) };
    }, undefined),
    map((state) => state.out),
  );
}

/**
 * A copy of `update` with its rate (per second) and ETA, and no `undefined` keys. A `rate` or
 * `etaMs` the input already had (from an earlier `progressRate`) is not copied: a rate not known yet
 * must not be a stale one.
 */
const rated = <T extends { readonly progress: number; readonly total?: number }>(
  update: T,
  perMs?: number,
): RatedProgress<T> => {
  // One copy: every field but a rate or ETA the input had, then this one's, if known.
  const { rate: _rate, etaMs: _etaMs, ...fields } = update as T & ProgressRate;
  const out = fields as { rate?: number; etaMs?: number };
  const { total, progress } = update;
  const etaMs =
    total === undefined
      ? undefined
      : progress >= total
        ? 0
        : perMs === undefined || perMs === 0
          ? undefined
          : (total - progress) / perMs;
  if (perMs !== undefined) out.rate = perMs * 1000;
  if (etaMs !== undefined) out.etaMs = etaMs;
  return out as RatedProgress<T>;
};
