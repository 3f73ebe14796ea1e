/**
 * Whether an update completes its operation: `total` is known and `progress >= total`.
 *
 * ## Examples
 * ```ts
 * import { isFinalUpdate } from 'rx-mcp-progress';
 *
 * isFinalUpdate({ progressToken: 1, progress: 10, total: 10 }); // true
 * isFinalUpdate({ progressToken: 1, progress: 10 });            // false: total unknown
 * ```
 *
 * @param update Anything with `progress` and an optional `total`.
 * @return `true` when `total !== undefined && progress >= total`.
 */
export const isFinalUpdate = (update: {
  readonly progress: number;
  readonly total?: number;
}): boolean => update.total !== undefined && update.progress >= update.total;
