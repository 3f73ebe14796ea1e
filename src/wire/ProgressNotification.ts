import * as t from 'io-ts';
import { ProgressNotificationParams } from './ProgressNotificationParams.js';

/** The JSON-RPC method name of a progress notification. */
export const PROGRESS_METHOD = 'notifications/progress';

/**
 * A JSON-RPC 2.0 `notifications/progress` message, as it travels on the wire.
 *
 * ## Examples
 * ```ts
 * import { ProgressNotification } from 'rx-mcp-progress';
 *
 * ProgressNotification.is({
 *   jsonrpc: '2.0',
 *   method: 'notifications/progress',
 *   params: { progressToken: 'job-1', progress: 50, total: 100 },
 * }); // true
 * ```
 */
export const ProgressNotification = t.type(
  {
    jsonrpc: t.literal('2.0'),
    method: t.literal(PROGRESS_METHOD),
    params: ProgressNotificationParams,
  },
  'ProgressNotification',
);

/** A JSON-RPC 2.0 `notifications/progress` message. */
export type ProgressNotification = t.TypeOf<typeof ProgressNotification>;
