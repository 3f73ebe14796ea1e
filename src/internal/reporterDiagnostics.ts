import { ProgressError } from '../errors/ProgressError.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { previewValue } from '../wire/previewValue.js';

/**
 * The diagnostics of the sending side (`ProgressReporter`, `toProgressNotifications`), worded in one
 * place. Every message starts with the reporter's token, names the field and shows the value.
 *
 * @internal
 */

/** Why a reporter no longer accepts input. */
export type ClosedReason = 'completed' | 'errored' | 'failed';

const who = (token: unknown): string =>
  token === undefined
    ? 'progress reporter (no token)'
    : `progress reporter for token ${previewValue(token)}`;

/** An input field that is missing or malformed. */
export const invalidField = (
  token: unknown,
  field: 'input' | 'progress' | 'total' | 'message',
  value: unknown,
  expected: string,
): ProgressErrorResult => {
  const received = previewValue(value);
  return {
    error: ProgressError.INVALID_PROGRESS,
    message: `${who(token)}: ${field} ${received} is not ${expected}; nothing sent`,
    details: { progressToken: token, field, received, expected },
  };
};

/** An input whose progress does not increase on the last accepted one. */
export const notIncreasing = (
  token: unknown,
  progress: number,
  last: number,
): ProgressErrorResult => ({
  error: ProgressError.INVALID_PROGRESS,
  message: `${who(token)}: progress ${String(progress)} does not increase on ${String(last)} (the last accepted progress); nothing sent`,
  details: {
    progressToken: token,
    field: 'progress',
    received: previewValue(progress),
    expected: `a number > ${String(last)}`,
    last,
  },
});

/** An input after the reporter closed. */
export const afterClose = (
  token: unknown,
  value: unknown,
  reason: ClosedReason,
): ProgressErrorResult => {
  const received = previewValue(value);
  return {
    error: ProgressError.STATE_ERROR,
    message: `${who(token)}: next(${received}) after the reporter ${reason === 'failed' ? 'failed' : reason === 'errored' ? 'was closed by error()' : 'completed'}; nothing sent (progress notifications must stop after completion)`,
    details: { progressToken: token, received, reason },
  };
};

/** A `send` that threw or rejected. */
export const sendFailed = (token: unknown, cause: unknown): ProgressErrorResult => ({
  error: ProgressError.STATE_ERROR,
  message: `${who(token)}: send failed (${cause instanceof Error ? cause.message : previewValue(cause)}); the reporter is closed and sends nothing more`,
  details: { progressToken: token, cause },
});

/** A token that is neither absent nor a progress token. */
export const invalidToken = (token: unknown): ProgressErrorResult => ({
  error: ProgressError.INVALID_TOKEN,
  message: `progress reporter: ${previewValue(token)} is not a progress token (a string or an integer); nothing will be sent`,
  details: { progressToken: token },
});
