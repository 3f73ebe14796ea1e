const MAX_PREVIEW = 60;
/** Larger BigInts are not converted at all: the conversion alone costs time for a huge one. */
const LARGEST_SHOWN = 10n ** 50n;

/**
 * A short, safe rendering of any value for a diagnostic message: never throws (cycles, BigInt,
 * getters that throw), never longer than about 60 characters, and shows `NaN`, `Infinity` and
 * `undefined` as themselves rather than as JSON's `null`.
 *
 * @internal
 */
export const previewValue = (value: unknown): string => {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'bigint':
      return value > LARGEST_SHOWN || value < -LARGEST_SHOWN
        ? '(a BigInt of more than 50 digits)'
        : `${String(value)}n`;
    case 'function':
      return '[function]';
    case 'string':
      return truncate(JSON.stringify(value));
    case 'object':
      return value === null ? 'null' : truncate(safeJson(value));
  }
};

const safeJson = (value: object): string => {
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};

const truncate = (text: string): string =>
  text.length <= MAX_PREVIEW ? text : `${text.slice(0, MAX_PREVIEW - 1)}…`;
