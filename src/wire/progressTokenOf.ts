import { isRecord } from './isRecord.js';
import { ProgressToken } from './ProgressToken.js';

/**
 * The well-formed `params.progressToken` of a message, or `undefined` when `params` is not a
 * (non-array) object or its token is malformed or missing. It looks at nothing else: a message
 * whose other fields are malformed still has a token to route or report by.
 *
 * @internal
 */
export const progressTokenOf = (message: unknown): ProgressToken | undefined => {
  const params = paramsOf(message);
  return params === undefined ? undefined : tokenIn(params);
};

/** The well-formed `progressToken` of a `params` record, or `undefined`. @internal */
export const tokenIn = (params: Record<string, unknown>): ProgressToken | undefined => {
  const token = params.progressToken;
  return ProgressToken.is(token) ? token : undefined;
};

/**
 * The `params` of a message when it is what io-ts's `UnknownRecord` accepts (a non-null object that
 * is not an array), else `undefined`.
 *
 * @internal
 */
export const paramsOf = (message: unknown): Record<string, unknown> | undefined => {
  if (typeof message !== 'object' || message === null) return undefined;
  const params: unknown = (message as { params?: unknown }).params;
  return isRecord(params) ? params : undefined;
};
