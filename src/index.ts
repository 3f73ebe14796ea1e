/**
 * rx-mcp-progress: RxJS operators for the Model Context Protocol progress utility.
 *
 * This root entry runs anywhere RxJS runs (Node, browsers, edge runtimes): it uses no Node-only API.
 * Everything that needs the official MCP SDK lives under `rx-mcp-progress/sdk`.
 *
 * @packageDocumentation
 */

// Scheduling
export { monotonicScheduler } from './internal/monotonicScheduler.js';

// Error model
export { ProgressError } from './errors/ProgressError.js';
export type { ProgressErrorResult } from './errors/ProgressErrorResult.js';
export { ProgressFailure } from './errors/ProgressFailure.js';

// Wire layer
export { ProgressToken } from './wire/ProgressToken.js';
export { ProgressNotificationParams } from './wire/ProgressNotificationParams.js';
export { ProgressNotification, PROGRESS_METHOD } from './wire/ProgressNotification.js';
export type { ProgressUpdate } from './wire/ProgressUpdate.js';
export { isFinalUpdate } from './wire/isFinalUpdate.js';
export { decodeProgressNotification } from './wire/decodeProgressNotification.js';
export type { DecodeIssue, DecodeFailureDetails } from './wire/describeDecodeFailure.js';
export { toProgressNotification } from './wire/toProgressNotification.js';

// Receiving side
export {
  progressNotifications,
  type ProgressNotificationsOptions,
} from './operators/progressNotifications.js';
export { monotonicProgress } from './operators/monotonicProgress.js';
export { throttleProgress } from './operators/throttleProgress.js';
export { completeOnTotal } from './operators/completeOnTotal.js';
export { trackProgress, type TrackProgressOptions } from './operators/trackProgress.js';
export {
  ProgressManager,
  type ProgressManagerConfig,
  type TrackOptions,
} from './manager/ProgressManager.js';
export type { RequestId } from './internal/jsonRpc.js';

// Sending side
export type { ProgressInput } from './reporter/ProgressInput.js';
export { ProgressReporter, type ProgressReporterConfig } from './reporter/ProgressReporter.js';
export {
  toProgressNotifications,
  type ToProgressNotificationsConfig,
} from './reporter/toProgressNotifications.js';

// Rate and ETA
export {
  progressRate,
  type ProgressRate,
  type ProgressRateOptions,
  type RatedProgress,
} from './operators/progressRate.js';
