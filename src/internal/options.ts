import { DEFAULT_MAX_MESSAGE_LENGTH } from '../wire/truncateMessage.js';
import { kindOf, previewValue } from '../wire/previewValue.js';

/** The longest delay a timer keeps, in milliseconds (2^31 - 1; Node fires a longer one after 1 ms). @internal */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Checks a rate option and turns it into a throttle interval: `maxUpdatesPerSecond` must be a number
 * > 0; `Infinity` turns throttling off (interval 0).
 *
 * @throws RangeError naming the option when the value is not a positive number.
 * @internal
 */
export const throttleIntervalOf = (
  maxUpdatesPerSecond: number,
  name = 'maxUpdatesPerSecond',
): number => {
  if (typeof maxUpdatesPerSecond !== 'number' || !(maxUpdatesPerSecond > 0)) {
    throw new RangeError(
      `${name} must be a number > 0 (Infinity turns throttling off), got ${previewValue(maxUpdatesPerSecond)}`,
    );
  }
  return maxUpdatesPerSecond === Infinity ? 0 : 1000 / maxUpdatesPerSecond;
};

/**
 * Checks an optional duration option: absent, or a finite number > 0.
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const optionalDuration = (value: number | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(
      `${name} must be a finite number of milliseconds > 0, got ${previewValue(value)}`,
    );
  }
  return value;
};

/**
 * Checks the `maxMessageLength` option: an integer >= 1, or `Infinity` for no limit; not provided,
 * the default (1024).
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const messageLimitOf = (value: number = DEFAULT_MAX_MESSAGE_LENGTH): number =>
  limitOf(value, 'maxMessageLength');

/**
 * Checks a limit option: an integer >= 1, or `Infinity` for none.
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const limitOf = (value: number, name: string): number => {
  if (value !== Infinity && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw new RangeError(`${name} must be an integer >= 1 or Infinity, got ${previewValue(value)}`);
  }
  return value;
};

/**
 * Checks a count option: an integer >= 0.
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const countOf = (value: number, name: string): number => {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be an integer >= 0, got ${previewValue(value)}`);
  }
  return value;
};

/**
 * Checks a delay option: a finite number of milliseconds >= 0 that a timer keeps (at most
 * {@link MAX_TIMER_MS}).
 *
 * @throws RangeError naming the option.
 * @internal
 */
export const delayOf = (value: number, name: string): number => {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_TIMER_MS)) {
    throw new RangeError(
      `${name} must be a number of milliseconds from 0 to ${String(MAX_TIMER_MS)}, got ${previewValue(value)}`,
    );
  }
  return value;
};

/**
 * The error for an argument of the wrong kind (a common slip: the handler's `args` passed where its
 * `extra` belongs), instead of a `TypeError` about some property deep inside.
 *
 * @internal
 */
export const argumentError = (where: string, expected: string, value: unknown): TypeError =>
  new TypeError(`${where}: expected ${expected}, got ${shapeOf(value)}`);

/**
 * What kind of value an argument is, without its content (a misplaced argument is often the user's
 * data, which an error message should not copy into logs): `undefined`, `a string`, `a Promise`,
 * `an object with keys query, limit`.
 */
const shapeOf = (value: unknown): string => {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'object': {
      if (Array.isArray(value)) return `an array of ${String(value.length)}`;
      const kind = kindOf(value);
      let keys: string[];
      try {
        keys = Object.keys(value);
      } catch {
        keys = [];
      }
      if (keys.length === 0) return kind === 'an Object' ? 'an empty object' : kind;
      const shown = keys.slice(0, 5).map((key) => (key.length > 30 ? `${key.slice(0, 29)}…` : key));
      return `${kind === 'an Object' ? 'an object' : kind} with keys ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
    }
    default:
      return `a ${typeof value}`;
  }
};

/** Whether `value` has a method `name` (an object or function with a function at that key). @internal */
export const hasMethod = (value: unknown, name: string): boolean =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as Record<string, unknown>)[name] === 'function';
