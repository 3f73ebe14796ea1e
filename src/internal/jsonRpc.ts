import { PROGRESS_METHOD } from '../wire/ProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';

/** The method of a cancellation notification. @internal */
export const CANCELLED_METHOD = 'notifications/cancelled';

/** A JSON-RPC request id: a string or a number. */
export type RequestId = string | number;

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;

const isRequestId = (u: unknown): u is RequestId =>
  typeof u === 'string' || (typeof u === 'number' && Number.isFinite(u));

/**
 * Whether a message claims to be a progress notification (its `method` is `notifications/progress`).
 * Whether it is a well-formed one is the codec's decision.
 *
 * @internal
 */
export const isProgressMessage = (message: unknown): boolean =>
  isObject(message) && message.method === PROGRESS_METHOD;

/**
 * The `id` of a JSON-RPC response (a message with no `method`, an `id`, and a `result` or an `error`),
 * or `undefined` for anything else.
 *
 * @internal
 */
export const responseIdOf = (message: unknown): RequestId | undefined => {
  if (!isObject(message) || message.method !== undefined) return undefined;
  const id = message.id;
  return isRequestId(id) && ('result' in message || 'error' in message) ? id : undefined;
};

/**
 * The `params.requestId` of a `notifications/cancelled` message, or `undefined` for anything else.
 *
 * @internal
 */
export const cancelledRequestIdOf = (message: unknown): RequestId | undefined => {
  if (!isObject(message) || message.method !== CANCELLED_METHOD) return undefined;
  const params = message.params;
  if (!isObject(params)) return undefined;
  const id = params.requestId;
  return isRequestId(id) ? id : undefined;
};

/**
 * The `id` of a JSON-RPC request (a message with a `method` and an `id`) carrying `token` in
 * `params._meta.progressToken`, or `undefined` for anything else.
 *
 * @internal
 */
export const requestIdCarrying = (
  message: unknown,
  token: ProgressToken,
): RequestId | undefined => {
  if (!isObject(message) || message.method === undefined) return undefined;
  const params = message.params;
  const meta = isObject(params) ? params._meta : undefined;
  if (!isObject(meta) || meta.progressToken !== token) return undefined;
  const id = message.id;
  return isRequestId(id) ? id : undefined;
};
