import {
  connect,
  filter,
  merge,
  take,
  takeUntil,
  throttleTime,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import { isFinalUpdate } from '../wire/isFinalUpdate.js';
import { monotonicScheduler } from '../internal/monotonicScheduler.js';
import { previewValue } from '../wire/previewValue.js';

/**
 * Rate-limits a progress stream without ever losing its newest or its final update.
 *
 * In plain words: the first update goes out at once and opens a window of `intervalMs`; updates
 * inside the window are held, latest wins, and the held one goes out when the window ends (opening
 * the next). A final update (`total` defined and `progress >= total`) goes out at once, replaces
 * anything held, and completes the stream: nothing follows it.
 *
 * ```
 * window:   |---|
 * updates:  a-b-c-----d-e-F--g--|     F: final
 *            throttleProgress(time('---|'))
 * result:   a--c------d--(F|)        e is replaced by F, g never comes
 * ```
 *
 * It is `throttleTime(intervalMs, scheduler, { leading: true, trailing: true })` for everything but
 * the final update. When the source completes with an update held, it goes out at the end of its
 * window, then the result completes (as with `throttleTime`).
 *
 * ## Examples
 * ```ts
 * import { throttleProgress } from 'rx-mcp-progress';
 *
 * oneTokenUpdates$.pipe(throttleProgress(100)).subscribe(render); // at most 10 a second
 * ```
 *
 * @see {@link trackProgress} applies it per token.
 * @param intervalMs The window, in milliseconds: a finite number >= 0; `0` lets every update through
 * at once (the final one still completes the stream).
 * @param scheduler The scheduler for the windows. If not provided, defaults to `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`).
 * @return A function that returns an Observable of throttled updates.
 */
export function throttleProgress<T extends { readonly progress: number; readonly total?: number }>(
  intervalMs: number,
  scheduler: SchedulerLike = monotonicScheduler,
): MonoTypeOperatorFunction<T> {
  if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 0) {
    throw new RangeError(
      `throttleProgress: intervalMs must be a finite number >= 0, got ${previewValue(intervalMs)}`,
    );
  }
  return connect((shared) => {
    const final$ = shared.pipe(
      filter((update: T) => isFinalUpdate(update)),
      take(1),
    );
    const others$ = shared.pipe(filter((update) => !isFinalUpdate(update)));
    return merge(
      (intervalMs === 0
        ? others$
        : others$.pipe(throttleTime(intervalMs, scheduler, { leading: true, trailing: true }))
      ).pipe(takeUntil(final$)),
      final$,
    );
  });
}
