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
      if (value === null) return 'null';
      return isPlain(value) ? truncate(safeJson(value)) : previewInstance(value);
  }
};

/** Whether `value` is a plain object or an array (what JSON makes). */
const isPlain = (value: object): boolean => {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null || Array.isArray(value);
  } catch {
    return false; // a Proxy whose getPrototypeOf trap throws
  }
};

/**
 * What kind of object `value` is: `a Promise`, `a Map`, `an Error`, the name of its class, or its
 * `Object.prototype.toString` tag. Never throws.
 *
 * @internal
 */
export const kindOf = (value: object): string => {
  let kind: string;
  try {
    const name = (value.constructor as { readonly name?: unknown } | undefined)?.name;
    kind =
      typeof name === 'string' && name !== '' && name !== 'Object'
        ? name.slice(0, 40)
        : Object.prototype.toString.call(value).slice(8, -1);
  } catch {
    kind = 'Object'; // a Proxy whose traps throw
  }
  return `${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`;
};

/** A class instance, a Promise, a Map...: its kind, then its JSON when that says more than `{}`. */
const previewInstance = (value: object): string => {
  let source: string | undefined;
  try {
    source = value instanceof RegExp ? value.toString() : undefined;
  } catch {
    source = undefined; // a Proxy whose traps throw
  }
  if (source !== undefined) return truncate(source);
  const json = safeJson(value);
  return truncate(
    json === '{}' || json.startsWith('[object') ? kindOf(value) : `${kindOf(value)} ${json}`,
  );
};

const safeJson = (value: object): string => {
  try {
    return JSON.stringify(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '[object]'; // a Proxy whose traps throw
    }
  }
};

const truncate = (text: string): string =>
  text.length <= MAX_PREVIEW ? text : `${text.slice(0, MAX_PREVIEW - 1)}…`;
