import { throttleIntervalOf } from './options.js';
import { previewValue } from '../wire/previewValue.js';

/**
 * A token bucket of capacity `burst` that starts full and refills continuously, one token every
 * `interval` ms, kept as a single number: the "theoretical arrival time" of the generic cell rate
 * algorithm (GCRA), which is exactly equivalent to a bucket and needs no refill timer.
 *
 * `tat` is the moment the bucket would be full again if nothing more were taken. At time `now` the
 * bucket holds `burst - max(0, tat - now) / interval` tokens, so a token is available when
 * `tat - now <= (burst - 1) * interval`, and taking one moves `tat` one interval further.
 *
 * ```
 * burst 3, one token per 4 ms; each letter is a take, placed at its time:
 * time:    0   4   8   12  16  20  24
 * takes:   abc d   e   f       gh      a b c empty the full bucket; d e f each wait for a refill;
 * left:    0   0   0   0   1   0       by 20 two tokens have come back, so g and h go at once
 * ```
 *
 * The clock is read only by whoever calls {@link take} and {@link wait}: a caller that is holding an
 * input back anyway (because one is pending or a send is in flight) never needs it. An `interval`
 * of 0 is an unlimited bucket: {@link unlimited} is true and callers skip it (and the clock).
 *
 * @internal
 */
export class TokenBucket {
  private tat = -Infinity;
  private readonly tolerance: number;

  /**
   * @param interval Milliseconds per token (`1000 / maxUpdatesPerSecond`); 0 for no limit.
   * @param burst The capacity: how many tokens may be taken back to back from a full bucket.
   */
  constructor(
    readonly interval: number,
    readonly burst: number,
  ) {
    this.tolerance = (burst - 1) * interval;
  }

  /** Whether the bucket never runs out (`maxUpdatesPerSecond: Infinity`). */
  get unlimited(): boolean {
    return this.interval === 0;
  }

  /** How many milliseconds after `now` a token is available: 0 when one is available now. */
  wait(now: number): number {
    const wait = this.tat - this.tolerance - now;
    return wait > 0 ? wait : 0;
  }

  /**
   * Takes one token at `now`. The caller has checked {@link wait}, or its timer for that wait has
   * fired: a `now` a hair before the due time (clock rounding) takes the same token, since a token
   * is counted from the later of `now` and the bucket's schedule, so the bucket cannot drift.
   */
  take(now: number): void {
    this.tat = (this.tat > now ? this.tat : now) + this.interval;
  }
}

/**
 * Checks the rate options of the sending side and makes their bucket.
 *
 * @param maxUpdatesPerSecond The refill rate: a number > 0; `Infinity` for no limit.
 * @param burst The capacity: an integer >= 1.
 * @throws RangeError naming the option when a value is out of range.
 * @internal
 */
export const tokenBucketOf = (maxUpdatesPerSecond: number, burst: number): TokenBucket => {
  const interval = throttleIntervalOf(maxUpdatesPerSecond);
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
    throw new RangeError(`burst must be an integer >= 1, got ${previewValue(burst)}`);
  }
  return new TokenBucket(interval, burst);
};
