import { PROGRESS_METHOD, type ProgressNotification } from './ProgressNotification.js';
import type { ProgressUpdate } from './ProgressUpdate.js';

/**
 * Builds the wire message for an update: `{ jsonrpc: '2.0', method: 'notifications/progress',
 * params }`, with `total` and `message` present only when the update has them.
 *
 * It does not validate: pass updates that came from the library's operators or reporter, or check
 * the result with `ProgressNotification.is`.
 *
 * ## Examples
 * ```ts
 * import { toProgressNotification } from 'rx-mcp-progress';
 *
 * transport.send(toProgressNotification({ progressToken: 'job-1', progress: 3, total: 10 }));
 * ```
 *
 * @param update The update to send.
 * @return A `notifications/progress` message.
 */
export const toProgressNotification = ({
  progressToken,
  progress,
  total,
  message,
}: ProgressUpdate): ProgressNotification => {
  const params: { -readonly [K in keyof ProgressUpdate]: ProgressUpdate[K] } = {
    progressToken,
    progress,
  };
  if (total !== undefined) params.total = total;
  if (message !== undefined) params.message = message;
  return { jsonrpc: '2.0', method: PROGRESS_METHOD, params };
};
