import { takeWhile, type MonoTypeOperatorFunction } from 'rxjs';
import { isFinalUpdate } from '../wire/isFinalUpdate.js';

/**
 * Completes right after emitting the final update: the first one with `total` defined and
 * `progress >= total`.
 *
 * In plain words: a progress stream ends when its operation is done, so that `finalize`, `last` and
 * `toArray` work on it.
 *
 * ```
 * updates: --a--b--F--c--|     F: progress >= total
 *           completeOnTotal()
 * result:  --a--b--(F|)
 * ```
 *
 * Updates with no `total` never complete the stream.
 *
 * ## Examples
 * ```ts
 * import { completeOnTotal } from 'rx-mcp-progress';
 *
 * updates$.pipe(completeOnTotal()).subscribe({ complete: () => console.log('done') });
 * ```
 *
 * @see {@link isFinalUpdate}
 * @return A function that returns an Observable that mirrors the source up to and including its
 * final update.
 */
export function completeOnTotal<
  T extends { readonly progress: number; readonly total?: number },
>(): MonoTypeOperatorFunction<T> {
  return takeWhile((update: T) => !isFinalUpdate(update), true);
}
