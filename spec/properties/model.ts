/**
 * Helpers for the receiving-side property tests: a scenario runner in virtual time and the oracle's
 * reading of one message (the codec, through the public `decodeProgressNotification`, decides what
 * is well formed; the documented routing decides the rest).
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  decodeProgressNotification,
  ProgressError,
  type ProgressErrorResult,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
// The library's own cut: `checkCut` in maxMessageLength.properties.spec.ts checks the rule itself.
import { truncateMessage } from '../../src/wire/truncateMessage.js';
import { isToken, PROGRESS } from './arbitraries.js';

/** How the oracle reads one message. */
export type Reading =
  | { readonly kind: 'ignored' }
  | { readonly kind: 'update'; readonly update: ProgressUpdate }
  | {
      readonly kind: 'malformed';
      readonly error: ProgressError;
      readonly token: ProgressToken | undefined;
    }
  | { readonly kind: 'response'; readonly id: string | number }
  | { readonly kind: 'cancelled'; readonly id: string | number };

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;

/**
 * The documented reading of a message. A malformed progress notification is `INVALID_TOKEN` exactly
 * when its `params` is an object whose `progressToken` is malformed or missing, `INVALID_PROGRESS`
 * otherwise (docs/decisions.md, "Wire rules").
 */
export const read = (message: unknown, maxMessageLength: number): Reading => {
  if (!isObject(message)) return { kind: 'ignored' };
  const method = message.method;
  if (method === PROGRESS) {
    const decoded = decodeProgressNotification(message);
    if (E.isRight(decoded)) {
      const u = decoded.right;
      return {
        kind: 'update',
        update:
          u.message === undefined
            ? u
            : { ...u, message: truncateMessage(u.message, maxMessageLength) },
      };
    }
    return { kind: 'malformed', ...classify(message) };
  }
  if (method === undefined) {
    const id = message.id;
    if (
      (typeof id === 'string' || typeof id === 'number') &&
      ('result' in message || 'error' in message)
    ) {
      return { kind: 'response', id };
    }
    return { kind: 'ignored' };
  }
  if (method === 'notifications/cancelled' && isObject(message.params)) {
    const id = message.params.requestId;
    if (typeof id === 'string' || typeof id === 'number') return { kind: 'cancelled', id };
  }
  return { kind: 'ignored' };
};

/**
 * The documented kind (and token) of the diagnostic for a rejected input: `INVALID_TOKEN` exactly
 * when `params` is an object (not an array) whose `progressToken` is malformed or missing.
 */
export const classify = (
  input: unknown,
): { readonly error: ProgressError; readonly token: ProgressToken | undefined } => {
  const params = isObject(input) ? input.params : undefined;
  if (!isObject(params) || Array.isArray(params)) {
    return { error: ProgressError.INVALID_PROGRESS, token: undefined };
  }
  const token = params.progressToken;
  return isToken(token)
    ? { error: ProgressError.INVALID_PROGRESS, token }
    : { error: ProgressError.INVALID_TOKEN, token: undefined };
};

/** A diagnostic counter keyed by kind and token (`undefined` for none). */
export class Tally {
  private readonly counts = new Map<string, number>();

  private static key(error: ProgressError, token: ProgressToken | undefined): string {
    return `${error}|${token === undefined ? '-' : `${typeof token}:${String(token)}`}`;
  }

  add(error: ProgressError, token: ProgressToken | undefined, n = 1): void {
    const key = Tally.key(error, token);
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }

  get(error: ProgressError, token: ProgressToken | undefined): number {
    return this.counts.get(Tally.key(error, token)) ?? 0;
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  /** A plain object for `toEqual` (zero counts left out). */
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].filter(([, c]) => c !== 0).sort());
  }

  /** Adds up coalesced diagnostics: each carries `details.count` and, when keyed, `details.progressToken`. */
  static of(diagnostics: readonly ProgressErrorResult[]): Tally {
    const tally = new Tally();
    for (const d of diagnostics) {
      const details = d.details as { count?: unknown; progressToken?: unknown } | undefined;
      const count = typeof details?.count === 'number' ? details.count : 1;
      const token = isToken(details?.progressToken) ? details.progressToken : undefined;
      tally.add(d.error, token, count);
    }
    return tally;
  }
}

/** The longest diagnostic message the receiving side may produce for any input. */
export const MAX_DIAGNOSTIC_LENGTH = 400;

/** Object.prototype is untouched (a `__proto__` key never became a prototype write). */
export const prototypeIsClean = (): boolean => {
  const probe: Record<string, unknown> = {};
  return (
    probe.polluted === undefined &&
    probe.progress === undefined &&
    probe.total === undefined &&
    Object.keys(Object.prototype).length === 0
  );
};
