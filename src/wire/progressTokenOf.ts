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
  if (params === undefined) return undefined;
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
  return typeof params === 'object' && params !== null && !Array.isArray(params)
    ? (params as Record<string, unknown>)
    : undefined;
};
