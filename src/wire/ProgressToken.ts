import * as t from 'io-ts';
import { Integer } from './numbers.js';

/**
 * A progress token: a string, or an integer number. It is chosen by the requester, carried in a
 * request's `params._meta.progressToken`, and echoed by every progress notification for that request.
 *
 * `1.5`, `NaN`, booleans, `null` and objects are rejected. The string `"1"` and the number `1` are
 * different tokens (the official TypeScript SDK converts tokens with `Number(token)`; this library
 * keeps them apart, so string tokens route end to end).
 *
 * ## Examples
 * ```ts
 * import { ProgressToken } from 'rx-mcp-progress';
 *
 * ProgressToken.is('job-1'); // true
 * ProgressToken.is(7);       // true
 * ProgressToken.is(1.5);     // false
 * ```
 */
export const ProgressToken = t.union([t.string, Integer], 'a string or an integer');

/** A progress token: a string, or an integer number. */
export type ProgressToken = t.TypeOf<typeof ProgressToken>;
