import type * as t from 'io-ts';
import { ProgressError } from '../errors/ProgressError.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import type { ProgressToken } from './ProgressToken.js';
import { paramsOf, tokenIn } from './progressTokenOf.js';
import { previewValue } from './previewValue.js';

const MAX_LISTED = 3;

/** One problem found in a progress notification. */
export interface DecodeIssue {
  /** Where, as a dotted path from the message: `params.progress`, or `` for the message itself. */
  readonly path: string;
  /** A short rendering of the value found there. */
  readonly received: string;
  /** What was expected, in words. */
  readonly expected: string;
}

/** The `details` of a decode diagnostic. */
export interface DecodeFailureDetails {
  /** The notification's token, when it was well formed. */
  readonly progressToken?: ProgressToken;
  /** Every problem found, at most one per path. */
  readonly issues: readonly DecodeIssue[];
}

/**
 * Turns io-ts validation errors of a progress notification into one diagnostic whose message names
 * each field and value: `invalid progress notification: params.progress: -1 is not a finite number
 * >= 0`. A problem with `params.progressToken` makes it `INVALID_TOKEN`, anything else
 * `INVALID_PROGRESS`.
 *
 * io-ts's `PathReporter` is not used for the message: it names every intermediate codec
 * (`ProgressNotification/params: ProgressNotificationParams/0: {...}`), which makes one line per
 * bad notification unreadable. The paths here skip intersection and union members.
 *
 * @internal
 */
export const describeDecodeFailure = (input: unknown, errors: t.Errors): ProgressErrorResult => {
  const issues: DecodeIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const issue = toIssue(e);
    if (!seen.has(issue.path)) {
      seen.add(issue.path);
      issues.push(issue);
    }
  }
  const { error, progressToken: token } = classifyInvalid(input);
  const listed = issues.slice(0, MAX_LISTED).map(describeIssue).join('; ');
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  const details: DecodeFailureDetails =
    token === undefined ? { issues } : { progressToken: token, issues };
  return {
    error,
    message: `invalid progress notification: ${listed}${more}`,
    details,
  };
};

const describeIssue = ({ path, received, expected }: DecodeIssue): string => {
  const where = path === '' ? 'the message' : path;
  return received === 'undefined'
    ? `${where} is missing (expected ${expected})`
    : `${where}: ${received} is not ${expected}`;
};

const toIssue = (error: t.ValidationError): DecodeIssue => {
  const keys: string[] = [];
  let expected = 'valid';
  // context[0] is the root codec (key ''); intersection and union members have numeric keys.
  for (let i = 1; i < error.context.length; i++) {
    const entry = error.context[i];
    if (!/^\d+$/.test(entry.key)) {
      keys.push(entry.key);
      expected = expectedOf(entry.type.name);
    }
  }
  if (keys.length === 0) expected = 'an object';
  return { path: keys.join('.'), received: previewValue(error.value), expected };
};

/** Object codecs have generated names like `{ progress: ... }`; say "an object" instead. */
const expectedOf = (name: string): string =>
  name.startsWith('{') || name.startsWith('Partial<') || name === 'ProgressNotificationParams'
    ? 'an object'
    : name === 'UnknownRecord'
      ? 'an object'
      : name === 'string'
        ? 'a string'
        : name;

/**
 * The kind and token of a diagnostic for an input the codec rejected, found without decoding it:
 * `INVALID_TOKEN` exactly when `params` is a non-array object whose `progressToken` is malformed or missing
 * (the codec then reports a problem at `params.progressToken`), `INVALID_PROGRESS` otherwise. Hot
 * paths use it to count a rejected input before (or instead of) explaining it.
 *
 * @internal
 */
export const classifyInvalid = (
  input: unknown,
): { readonly error: ProgressError; readonly progressToken?: ProgressToken } => {
  // The codec's UnknownRecord: an array `params` is no record, so it has no token to judge.
  const params = paramsOf(input);
  if (params === undefined) return { error: ProgressError.INVALID_PROGRESS };
  const token = tokenIn(params);
  return token === undefined
    ? { error: ProgressError.INVALID_TOKEN }
    : { error: ProgressError.INVALID_PROGRESS, progressToken: token };
};
