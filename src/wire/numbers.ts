import * as t from 'io-ts';

/**
 * A number codec narrowed by a predicate. Its static type stays `number` (not an io-ts brand), so that
 * users can pass plain number literals where these codecs describe the wire format.
 *
 * @internal
 */
const refinedNumber = (name: string, predicate: (n: number) => boolean): t.Type<number> => {
  const is = (u: unknown): u is number => typeof u === 'number' && predicate(u);
  return new t.Type<number>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c)),
    t.identity,
  );
};

/** An integer (any number for which `Number.isInteger` holds). @internal */
export const Integer = refinedNumber('an integer', Number.isInteger);

/** A finite number greater than or equal to zero. @internal */
export const NonNegativeFinite = refinedNumber(
  'a finite number >= 0',
  (n) => Number.isFinite(n) && n >= 0,
);
