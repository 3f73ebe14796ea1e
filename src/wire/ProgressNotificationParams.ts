import * as t from 'io-ts';
import { NonNegativeFinite } from './numbers.js';
import { ProgressToken } from './ProgressToken.js';

/**
 * The `params` of a `notifications/progress` message.
 *
 * - `progressToken`: the {@link ProgressToken} of the request the progress belongs to.
 * - `progress`: a finite number >= 0.
 * - `total` (optional): a finite number >= 0. A `total` of `0` is accepted and read as "unknown" by
 *   {@link decodeProgressNotification}, because some SDKs send it for an unknown total; a negative,
 *   infinite or non-numeric total is rejected.
 * - `message` (optional): a human-readable string (spec revision 2025-03-26 and later).
 * - `_meta` (optional): an object, passed over.
 *
 * Unknown extra fields are allowed (later protocol revisions may add some).
 */
export const ProgressNotificationParams = t.intersection(
  [
    t.type({ progressToken: ProgressToken, progress: NonNegativeFinite }),
    t.partial({ total: NonNegativeFinite, message: t.string, _meta: t.UnknownRecord }),
  ],
  'ProgressNotificationParams',
);

/** The `params` of a `notifications/progress` message. */
export type ProgressNotificationParams = t.TypeOf<typeof ProgressNotificationParams>;
