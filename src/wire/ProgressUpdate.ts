import type { ProgressToken } from './ProgressToken.js';

/**
 * One progress update: the value every receiving operator emits and the reporter sends.
 *
 * `total` is absent when the total is unknown (a wire `total` of `0` is read as unknown), and
 * `message` is absent when the sender gave none. An update with `total` defined and
 * `progress >= total` is final: see {@link isFinalUpdate}.
 */
export interface ProgressUpdate {
  readonly progressToken: ProgressToken;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}
