/**
 * What io-ts's `UnknownRecord.is` accepts: a non-null object that is not an array.
 *
 * @internal
 */
export const isRecord = (u: unknown): u is Record<string, unknown> =>
  u !== null && typeof u === 'object' && !Array.isArray(u);
