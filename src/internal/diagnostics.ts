import { ProgressError } from '../errors/ProgressError.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { previewValue } from '../wire/previewValue.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';

/**
 * The diagnostics the receiving side raises besides decode failures, worded in one place.
 *
 * @internal
 */

const name = (token: ProgressToken): string => previewValue(token);

/** An update whose progress does not increase on the last accepted one. */
export const nonIncreasing = (update: ProgressUpdate, last: number): ProgressErrorResult => ({
  error: ProgressError.INVALID_PROGRESS,
  message: `progress ${String(update.progress)} for token ${name(update.progressToken)} does not increase on ${String(last)}; dropped`,
  details: { progressToken: update.progressToken, progress: update.progress, last },
});

/** An update for a token that is not (or no longer) tracked. */
export const inactiveToken = (token: ProgressToken, completed: boolean): ProgressErrorResult => ({
  error: ProgressError.INVALID_TOKEN,
  message: completed
    ? `progress for token ${name(token)} after its stream ended; dropped`
    : `progress for unknown token ${name(token)}; dropped`,
  details: { progressToken: token, reason: completed ? 'ended' : 'unknown' },
});

/** Updates replaced inside a throttle window: the peer sends faster than the rate. */
export const rateLimited = (
  token: ProgressToken,
  maxUpdatesPerSecond: number,
): ProgressErrorResult => ({
  error: ProgressError.RATE_LIMIT,
  message: `token ${name(token)} sends progress faster than ${String(maxUpdatesPerSecond)}/s; intermediate updates coalesced (latest wins)`,
  details: { progressToken: token, maxUpdatesPerSecond },
});

/** An update for a new token while `maxActiveTokens` groups are alive. */
export const tooManyTokens = (token: ProgressToken, limit: number): ProgressErrorResult => ({
  error: ProgressError.INVALID_TOKEN,
  message: `progress for new token ${name(token)} while ${String(limit)} tokens are active (maxActiveTokens); dropped`,
  details: { progressToken: token, reason: 'tooMany', maxActiveTokens: limit },
});
