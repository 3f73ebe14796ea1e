import type { ProgressToken, ProgressUpdate } from '../../src/index.js';

/** A `notifications/progress` message as a peer would send it. */
export const progressMessage = (
  progressToken: ProgressToken,
  progress: number,
  total?: number,
  message?: string,
): Record<string, unknown> => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: {
    progressToken,
    progress,
    ...(total === undefined ? {} : { total }),
    ...(message === undefined ? {} : { message }),
  },
});

/** The update the receiving operators emit for `progressMessage(...)`. */
export const update = (
  progressToken: ProgressToken,
  progress: number,
  total?: number,
  message?: string,
): ProgressUpdate => ({
  progressToken,
  progress,
  ...(total === undefined ? {} : { total }),
  ...(message === undefined ? {} : { message }),
});

/** A JSON-RPC success response. */
export const response = (id: string | number): Record<string, unknown> => ({
  jsonrpc: '2.0',
  id,
  result: {},
});

/** A JSON-RPC error response. */
export const errorResponse = (id: string | number): Record<string, unknown> => ({
  jsonrpc: '2.0',
  id,
  error: { code: -32603, message: 'boom' },
});

/** A `notifications/cancelled` message. */
export const cancelled = (requestId: string | number): Record<string, unknown> => ({
  jsonrpc: '2.0',
  method: 'notifications/cancelled',
  params: { requestId, reason: 'user' },
});

/** A request that is not progress. */
export const request = (id: number): Record<string, unknown> => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/list',
});
