/**
 * One progress step as the operation reports it: how far it is, and optionally out of how much and
 * what it is doing. The reporter adds the progress token and builds the wire message.
 *
 * - `progress`: a finite number >= 0, strictly greater than the last accepted input's (a first
 *   input of `0` is fine). It need not be an integer.
 * - `total` (optional): a finite number > 0. It may change between inputs (an estimate). An input
 *   with `total` defined and `progress >= total` is final: the reporter sends it at once and closes.
 * - `message` (optional): a short human-readable string.
 *
 * Inputs that break these rules are not sent: the reporter reports them as `INVALID_PROGRESS` and
 * keeps working.
 *
 * ## Examples
 * ```ts
 * import type { ProgressInput } from 'rx-mcp-progress';
 *
 * const step: ProgressInput = { progress: 3, total: 10, message: 'indexing file 3 of 10' };
 * ```
 */
export interface ProgressInput {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}
