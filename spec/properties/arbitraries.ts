/**
 * Generators shared by the property tests and the wire fuzzer: what a hostile or broken peer can put
 * on the wire, and well-formed notifications to mutate.
 */
import fc from 'fast-check';
import type { ProgressToken } from '../../src/index.js';

/** The method of a progress notification. */
export const PROGRESS = 'notifications/progress';

/** A string of `n` characters, built once per length (fast-check would spend its time building it). */
const hugeStrings = new Map<number, string>();
export const huge = (n: number): string => {
  let s = hugeStrings.get(n);
  if (s === undefined) hugeStrings.set(n, (s = 'x'.repeat(n)));
  return s;
};

/** An object nested `depth` levels deep, parsed from JSON as a transport would. */
export const deep = (depth: number): unknown =>
  JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`) as unknown;

/** An array nested `depth` levels deep, parsed from JSON. */
export const deepArray = (depth: number): unknown =>
  JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown;

/** Objects with prototype-polluting keys, made the way a transport makes them: by `JSON.parse`. */
export const pollutingObjects: readonly unknown[] = [
  '{"__proto__":{"polluted":true,"progress":1,"total":1}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"prototype":{"polluted":true},"__proto__":null}',
  '{"__proto__":[1,2,3]}',
  '{"toString":"x","valueOf":1,"hasOwnProperty":null}',
].map((json) => JSON.parse(json) as unknown);

/** The big constants: too costly to send through JSON in every run. */
const bigValues = new Set<unknown>();
const big = <T>(value: T): T => {
  bigValues.add(value);
  return value;
};

/** Whether a generated value holds one of the big constants (they sit at most a few levels deep). */
const holdsBig = (value: unknown, depth = 0): boolean => {
  if (bigValues.has(value)) return true;
  if (depth > 4 || typeof value !== 'object' || value === null) return false;
  return Object.values(value).some((v) => holdsBig(v, depth + 1));
};

/** Values on the edges of every rule of the codec, and then some. */
export const edgyValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom<unknown>(
      0,
      -0,
      1,
      -1,
      1.5,
      -1e-300,
      2 ** 53,
      2 ** 53 + 2,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
      '',
      '1',
      '2.0',
      '__proto__',
      '\ud800',
      'a\udc00',
      PROGRESS,
      true,
      false,
      null,
      undefined,
      [],
      {},
      [1],
      10n,
      new Date(0),
      Object.create(null) as object,
    ),
  },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(...pollutingObjects) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(big(huge(100_000)), big(huge(1_000_001))) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(big(deep(2_000)), big(deepArray(5_000))) },
  { weight: 3, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
);

/**
 * Any value at all: fast-check's `anything` with every kind of value switched on (BigInt, boxed
 * values, dates, maps, sets, typed arrays, sparse arrays, null prototypes, `__proto__` keys), plus
 * the edgy values.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({
    maxDepth: 3,
    maxKeys: 5,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype')),
  }),
  fc.jsonValue({ maxDepth: 3 }),
  edgyValue,
);

/** A well-formed notification's `params` fields for a token (before any mutation). */
export interface ValidParams {
  readonly progressToken: ProgressToken;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
  readonly _meta?: Record<string, unknown>;
}

/** A well-formed `notifications/progress` message. */
export const notification = (params: ValidParams, extra: Record<string, unknown> = {}): object => ({
  jsonrpc: '2.0',
  method: PROGRESS,
  params: { ...params },
  ...extra,
});

/** Well-formed notifications of any token, with edgy but valid numbers, messages and `_meta`. */
export const validNotification: fc.Arbitrary<object> = fc
  .record(
    {
      progressToken: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.integer(),
        fc.constantFrom<ProgressToken>(
          '',
          '__proto__',
          'constructor',
          -0,
          2 ** 53,
          big(huge(100_000)),
        ),
      ),
      progress: fc.oneof(
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
        fc.nat(),
        fc.constantFrom(0, -0, Number.MAX_VALUE, Number.MIN_VALUE),
      ),
      total: fc.oneof(
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(0, -0),
      ),
      message: fc.oneof(
        fc.string({ maxLength: 30, unit: 'grapheme' }),
        fc.constantFrom(
          '',
          '\ud800',
          huge(1023),
          huge(1024),
          huge(1025),
          big(huge(1_000_001)),
          '😀'.repeat(600),
        ),
      ),
      _meta: fc.oneof(fc.object({ maxDepth: 1 }), fc.constantFrom(...pollutingObjects.slice(0, 3))),
    },
    { requiredKeys: ['progressToken', 'progress'] },
  )
  .map((params) => notification(params as ValidParams));

/** A path into a notification to mutate. */
const mutationPath = fc.constantFrom<readonly string[]>(
  [],
  ['jsonrpc'],
  ['method'],
  ['params'],
  ['params', 'progressToken'],
  ['params', 'progress'],
  ['params', 'total'],
  ['params', 'message'],
  ['params', '_meta'],
  ['params', '__proto__'],
  ['__proto__'],
);

/** Replaces (or, with `undefined`, deletes) the value at `path` in a JSON-like copy of `value`. */
const mutate = (value: object, path: readonly string[], replacement: unknown): unknown => {
  if (path.length === 0) return replacement;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const [head, ...rest] = path;
  const inner = copy[head];
  const next =
    rest.length === 0
      ? replacement
      : mutate(typeof inner === 'object' && inner !== null ? inner : {}, rest, replacement);
  if (next === undefined) Reflect.deleteProperty(copy, head);
  else Object.defineProperty(copy, head, { value: next, enumerable: true, writable: true });
  return copy;
};

/** Valid notifications with one to three fields replaced by hostile values, deleted, or re-parsed. */
export const mutatedNotification: fc.Arbitrary<unknown> = fc
  .tuple(
    validNotification,
    fc.array(fc.tuple(mutationPath, fc.oneof(hostileValue, fc.constant(undefined))), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([valid, mutations, reparse]) => {
    let value: unknown = valid;
    for (const [path, replacement] of mutations) {
      value = mutate(typeof value === 'object' && value !== null ? value : {}, path, replacement);
    }
    if (!reparse || holdsBig(value)) return value;
    // Through JSON and back, as a transport would deliver it (what JSON cannot carry is kept).
    try {
      const json = JSON.stringify(value);
      return typeof json === 'string' ? (JSON.parse(json) as unknown) : value;
    } catch {
      return value;
    }
  });

/** Anything a peer might send: noise, hostile values, valid and mutated notifications. */
export const wireMessage: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 2, arbitrary: hostileValue },
  { weight: 3, arbitrary: validNotification },
  { weight: 5, arbitrary: mutatedNotification },
);

/** Whether a message claims to be a progress notification. */
export const isProgressMethod = (message: unknown): boolean =>
  typeof message === 'object' &&
  message !== null &&
  (message as { method?: unknown }).method === PROGRESS;

/** Whether `token` is a progress token: a string or an integer. */
export const isToken = (token: unknown): token is ProgressToken =>
  typeof token === 'string' || (typeof token === 'number' && Number.isInteger(token));

/** The tokens the receiving property tests use: strings and integers, with "7" and 7 apart. */
export const TOKENS: readonly ProgressToken[] = ['a', 'b', 7, '7'];
export const SLOTS = [0, 1, 2, 3] as const;
export type SlotIndex = (typeof SLOTS)[number];

/** Mostly the first token, so that its windows fill up. */
export const slot = fc.constantFrom<SlotIndex>(0, 0, 0, 0, 1, 1, 2, 3);

/** A gap in frames before a step: bursts (0) as often as spread-out messages. */
export const stepGap = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }));

/** What the peer sends in a receiving property test. */
export type WireStep =
  | {
      readonly kind: 'progress';
      readonly slot: SlotIndex;
      /** Added to the token's progress so far (a random walk, clamped at 0). */
      readonly delta: number;
      readonly shape: 'plain' | 'final' | 'total' | 'zeroTotal';
      readonly message?: string;
    }
  | { readonly kind: 'malformed'; readonly message: unknown }
  | { readonly kind: 'invented'; readonly progress: number }
  | { readonly kind: 'noise'; readonly message: unknown };

/** The {@link WireStep}s, weighted as the receiving property tests want them. */
export const wireSteps: readonly fc.WeightedArbitrary<WireStep>[] = [
  {
    weight: 40,
    arbitrary: fc.record(
      {
        kind: fc.constant('progress' as const),
        slot,
        delta: fc.oneof(fc.integer({ min: -2, max: 3 }), fc.constant(0.5)),
        shape: fc.constantFrom(
          ...([
            'plain',
            'plain',
            'plain',
            'plain',
            'total',
            'total',
            'zeroTotal',
            'final',
          ] as const),
        ),
        message: fc.oneof(fc.string({ maxLength: 12 }), fc.constant('m'.repeat(40))),
      },
      { requiredKeys: ['kind', 'slot', 'delta', 'shape'] },
    ),
  },
  {
    weight: 6,
    arbitrary: mutatedNotification.map((message) => ({ kind: 'malformed' as const, message })),
  },
  {
    weight: 4,
    arbitrary: fc.nat(5).map((progress) => ({ kind: 'invented' as const, progress })),
  },
  {
    weight: 4,
    arbitrary: hostileValue
      .filter((m) => !isProgressMethod(m))
      .map((message) => ({ kind: 'noise' as const, message })),
  },
];

/**
 * Turns {@link WireStep}s into messages: keeps each token's progress walk (a final step ends one
 * above where it was) and numbers the invented tokens.
 */
export class StepWriter {
  private readonly walk = [0, 0, 0, 0];
  private invented = 0;

  messageOf(step: WireStep): unknown {
    switch (step.kind) {
      case 'progress': {
        const w = Math.max(0, this.walk[step.slot] + step.delta);
        this.walk[step.slot] = step.shape === 'final' ? w + 1 : w;
        const progressToken = TOKENS[step.slot];
        const params =
          step.shape === 'final'
            ? { progressToken, progress: w + 1, total: w + 1 }
            : step.shape === 'total'
              ? { progressToken, progress: w, total: w + 100 }
              : step.shape === 'zeroTotal'
                ? { progressToken, progress: w, total: 0 }
                : { progressToken, progress: w };
        return notification(
          step.message === undefined ? params : { ...params, message: step.message },
        );
      }
      case 'malformed':
      case 'noise':
        return step.message;
      case 'invented':
        return notification({
          progressToken: `invented-${String(++this.invented)}`,
          progress: step.progress,
        });
    }
  }
}
