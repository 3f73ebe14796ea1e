import { filter, map, pipe, scan, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { nonIncreasing } from '../internal/diagnostics.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';

interface MonotonicState<T> {
  /** The last emitted progress, -1 before the first. */
  readonly last: number;
  /** The update to emit for this step, if it increased. */
  readonly accepted: T | undefined;
  /** The update dropped in this step, if it did not. */
  readonly dropped: T | undefined;
}

const initial: MonotonicState<never> = { last: -1, accepted: undefined, dropped: undefined };

/**
 * Lets through only updates whose progress is strictly greater than the last one let through.
 *
 * In plain words: the MCP specification says progress MUST increase with each notification; this
 * drops the ones that do not, and says so. A first update of `0` is fine.
 *
 * ```
 * progress: --1--3--2--3--5--|
 *            monotonicProgress(onError)
 * result:   --1--3--------5--|     2 and the second 3 go to onError
 * ```
 *
 * Apply it to one token's stream (as {@link trackProgress} does per group).
 *
 * ## Examples
 * ```ts
 * import { monotonicProgress } from 'rx-mcp-progress';
 *
 * oneTokenUpdates$.pipe(monotonicProgress((problem) => console.warn(problem.message)));
 * ```
 *
 * @see {@link throttleProgress}
 * @param onError Called with an `INVALID_PROGRESS` diagnostic for each dropped update. If not provided,
 * defaults to dropping them silently.
 * @return A function that returns an Observable of strictly increasing updates.
 */
export function monotonicProgress<T extends ProgressUpdate>(
  onError?: (problem: ProgressErrorResult) => void,
): MonoTypeOperatorFunction<T> {
  return pipe(
    scan<T, MonotonicState<T>>(
      (state, update) =>
        update.progress > state.last
          ? { last: update.progress, accepted: update, dropped: undefined }
          : { last: state.last, accepted: undefined, dropped: update },
      initial,
    ),
    tap((state) => {
      if (state.dropped !== undefined) onError?.(nonIncreasing(state.dropped, state.last));
    }),
    filter((state): state is MonotonicState<T> & { accepted: T } => state.accepted !== undefined),
    map((state) => state.accepted),
  );
}
