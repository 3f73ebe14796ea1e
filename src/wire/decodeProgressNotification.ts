import type { Either } from 'fp-ts/lib/Either.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { describeDecodeFailure } from './describeDecodeFailure.js';
import { matchesProgressNotification } from './matchesProgressNotification.js';
import { ProgressNotification } from './ProgressNotification.js';
import type { ProgressNotificationParams } from './ProgressNotificationParams.js';
import type { ProgressToken } from './ProgressToken.js';
import type { ProgressUpdate } from './ProgressUpdate.js';
import { truncateMessage } from './truncateMessage.js';

/**
 * Decodes one JSON-RPC message as a `notifications/progress` notification into a
 * {@link ProgressUpdate}. Never throws.
 *
 * The {@link ProgressNotification} codec decides what is valid. A `total` of `0` is read as unknown
 * (the update has no `total`); `_meta` and unknown fields are left out of the update.
 *
 * ## Examples
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { decodeProgressNotification } from 'rx-mcp-progress';
 *
 * pipe(
 *   decodeProgressNotification(JSON.parse(line)),
 *   E.fold(
 *     (problem) => console.warn(problem.error, problem.message),
 *     (update) => console.log(update.progressToken, update.progress, update.total),
 *   ),
 * );
 * ```
 *
 * @param input Anything, typically a parsed JSON-RPC message.
 * @return `Right(update)`, or `Left(diagnostic)`: `INVALID_TOKEN` when `params.progressToken` is
 * malformed, `INVALID_PROGRESS` for anything else, with a message naming each field and value.
 */
export const decodeProgressNotification = (
  input: unknown,
): Either<ProgressErrorResult, ProgressUpdate> => {
  const update = readProgressNotification(input);
  // fp-ts's own Either values, built here: an import of fp-ts at run time would have to be its
  // CommonJS build (the only one Node's ES modules can load), which bundlers would then ship next
  // to the ES build that io-ts imports (docs/decisions.md, "Packaging").
  return update === undefined
    ? { _tag: 'Left', left: explainProgressNotification(input) }
    : { _tag: 'Right', right: update };
};

/**
 * The allocation-light half of {@link decodeProgressNotification} for hot paths: the update, or
 * `undefined` when the codec rejects the input. A well-formed notification is recognised by
 * {@link matchesProgressNotification} (the codec's rules as plain checks, proven to accept nothing
 * the codec rejects); anything else is left to the codec's own guard, `ProgressNotification.is`,
 * which accepts exactly what its `decode` accepts. A `message` longer than `maxMessageLength` is
 * cut to it (ending in `…`).
 *
 * @internal
 */
export const readProgressNotification = (
  input: unknown,
  maxMessageLength = Infinity,
): ProgressUpdate | undefined =>
  matchesProgressNotification(input) || ProgressNotification.is(input)
    ? toUpdate(input.params, maxMessageLength)
    : undefined;

/**
 * The diagnostic for an input that {@link readProgressNotification} rejected.
 *
 * @internal
 */
export const explainProgressNotification = (input: unknown): ProgressErrorResult => {
  const result = ProgressNotification.decode(input);
  return result._tag === 'Left'
    ? describeDecodeFailure(input, result.left)
    : describeDecodeFailure(input, []);
};

/** Copies the known fields into a fresh update with no `undefined` keys. */
const toUpdate = (
  { progressToken, progress, total, message }: ProgressNotificationParams,
  maxMessageLength: number,
): ProgressUpdate =>
  progressUpdate(
    progressToken,
    progress,
    total !== undefined && total > 0 ? total : undefined,
    message === undefined ? undefined : truncateMessage(message, maxMessageLength),
  );

/**
 * A fresh update with no `undefined` keys, from fields already checked: `total` `undefined` when
 * unknown, `message` already cut to length. Every update the receiving side emits is made here, so
 * they all have one of four shapes (hidden classes), whichever path made them.
 *
 * @internal
 */
export const progressUpdate = (
  progressToken: ProgressToken,
  progress: number,
  total: number | undefined,
  message: string | undefined,
): ProgressUpdate => {
  if (message === undefined) {
    return total !== undefined ? { progressToken, progress, total } : { progressToken, progress };
  }
  return total !== undefined
    ? { progressToken, progress, total, message }
    : { progressToken, progress, message };
};
