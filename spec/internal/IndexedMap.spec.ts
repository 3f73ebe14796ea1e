import fc from 'fast-check';
import { IndexedMap } from '../../src/internal/IndexedMap.js';

type Key = string | number;

/** Keys that collide in a 16-slot index, keys far apart, and the odd numbers a Map must handle. */
const keyArb: fc.Arbitrary<Key> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -8, max: 80 }) },
  { weight: 1, arbitrary: fc.integer().map((n) => n * 16) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(2 ** 31, 2 ** 32 + 1, 2 ** 53, -(2 ** 40), 1.5, -0, NaN),
  },
  { weight: 1, arbitrary: fc.constantFrom('1', '17', 'a', '') },
);

type Op =
  | { readonly kind: 'set'; readonly key: Key; readonly value: number }
  | { readonly kind: 'delete' | 'get'; readonly key: Key }
  | { readonly kind: 'clear' };

/**
 * Operations on `keys`; `clearWeight` against 5 sets, 3 deletes and 3 gets: 0 lets the map grow past
 * several index sizes and shrink back, so keys collide when the index is rebuilt.
 */
const opsOn = (keys: fc.Arbitrary<Key>, clearWeight: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({ kind: fc.constant('set' as const), key: keys, value: fc.nat() }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keys }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), key: keys }) },
    { weight: clearWeight, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
  );

/** Applies an op to both; returns what each answered. */
const apply = (op: Op, map: IndexedMap<Key, { v: number }>, model: Map<Key, { v: number }>) => {
  switch (op.kind) {
    case 'set': {
      const value = { v: op.value };
      map.set(op.key, value);
      model.set(op.key, value);
      return [undefined, undefined];
    }
    case 'delete':
      return [map.delete(op.key), model.delete(op.key)];
    case 'get':
      return [map.get(op.key), model.get(op.key)];
    case 'clear':
      map.clear();
      model.clear();
      return [undefined, undefined];
  }
};

/** How many times `read` called `Map.prototype.get` (the index's fallback). */
const mapGetsDuring = (read: () => void): number => {
  const get = jest.spyOn(Map.prototype, 'get');
  try {
    read();
    return get.mock.calls.length;
  } finally {
    get.mockRestore();
  }
};

/**
 * Plays `ops` on an IndexedMap and a Map; returns the first disagreement (an answer, the size, a
 * lookup of a probe or of a key, a view), or `undefined`. Plain comparisons, one `expect` by the
 * caller: fast enough for fast-check to shrink a failing case of a thousand operations.
 */
const disagreement = (ops: readonly Op[], probes: readonly Key[]): string | undefined => {
  const map = new IndexedMap<Key, { v: number }>();
  const model = new Map<Key, { v: number }>();
  for (const [n, op] of ops.entries()) {
    const [got, want] = apply(op, map, model);
    if (!Object.is(got, want))
      return `op ${String(n)} (${op.kind}) answered ${JSON.stringify(got)}`;
    if (map.size !== model.size) return `size ${String(map.size)} after op ${String(n)}`;
  }
  for (const key of [...probes, ...model.keys()]) {
    if (map.get(key) !== model.get(key)) return `get(${String(key)})`;
    if (map.has(key) !== model.has(key)) return `has(${String(key)})`;
  }
  const seen: [Key, { v: number }][] = [];
  map.forEach((value, key, self) => {
    if (self === map) seen.push([key, value]);
  });
  const views = [[...map], [...map.keys()], [...map.values()], seen];
  const wanted = [[...model], [...model.keys()], [...model.values()], [...model.entries()]];
  return JSON.stringify(views) === JSON.stringify(wanted) ? undefined : 'a view';
};

/** The property: no disagreement. */
const agreesWithMap = (ops: readonly Op[], probes: readonly Key[]): void => {
  expect(disagreement(ops, probes)).toBeUndefined();
};

describe('IndexedMap', () => {
  it('answers every operation as a Map does, whatever the keys', () => {
    fc.assert(
      fc.property(
        fc.array(opsOn(keyArb, 1), { maxLength: 400 }),
        fc.array(keyArb, { maxLength: 20 }),
        agreesWithMap,
      ),
      { numRuns: 300 },
    );
  });

  it('answers as a Map does while it grows and shrinks through several index sizes', () => {
    const keys = fc.integer({ min: 0, max: 300 });
    fc.assert(
      fc.property(
        fc.array(opsOn(keys, 0), { minLength: 200, maxLength: 1000 }),
        fc.array(keys, { maxLength: 50 }),
        agreesWithMap,
      ),
      { numRuns: 100 },
    );
  });

  it('keeps answering through growth and shrinking (100,000 keys in, then out)', () => {
    const map = new IndexedMap<number, number>();
    for (let k = 0; k < 100_000; k++) map.set(k * 3, k);
    for (let k = 0; k < 100_000; k += 997) expect(map.get(k * 3)).toBe(k);
    for (let k = 0; k < 100_000; k++) {
      if (k % 1000 !== 0) expect(map.delete(k * 3)).toBe(true);
    }
    expect(map.size).toBe(100);
    for (let k = 0; k < 100_000; k += 1000) expect(map.get(k * 3)).toBe(k);
    expect(map.get(3)).toBeUndefined();
  });

  it('serves consecutive integer keys from its index, without asking the Map', () => {
    const map = new IndexedMap<number, string>();
    for (let k = 1; k <= 1000; k++) map.set(k, `v${k}`);
    const asked = mapGetsDuring(() => {
      for (let k = 1; k <= 1000; k++) expect(map.get(k)).toBe(`v${k}`);
    });
    expect(asked).toBe(0);
    // With no key pushed out of its slot, an absent number is answered by the index too; a string
    // key goes to the Map.
    expect(
      mapGetsDuring(() => {
        expect(map.get(5000)).toBeUndefined();
        expect(map.get(-1)).toBeUndefined();
        expect(map.get('1' as unknown as number)).toBeUndefined();
      }),
    ).toBe(1);
  });

  it('asks the Map for an absent number while a key is out of its slot, and not after', () => {
    const map = new IndexedMap<number, string>();
    // 16 slots: 1 and 17 share one; 17 lives in the Map alone.
    map.set(1, 'one').set(17, 'seventeen');
    expect(
      mapGetsDuring(() => {
        expect(map.get(33)).toBeUndefined();
      }),
    ).toBe(1);
    map.delete(17);
    expect(
      mapGetsDuring(() => {
        expect(map.get(33)).toBeUndefined();
      }),
    ).toBe(0);
    expect(map.get(17)).toBeUndefined();
    expect(map.get(1)).toBe('one');
  });

  it('serves a key that collided from its slot once the slot is free', () => {
    const map = new IndexedMap<number, string>();
    // 16 slots: 1 and 17 share one; 17 lives in the Map alone.
    map.set(1, 'one').set(17, 'seventeen');
    map.delete(1);
    expect(map.get(17)).toBe('seventeen'); // through the Map, which moves it into the slot
    expect(
      mapGetsDuring(() => {
        expect(map.get(17)).toBe('seventeen');
      }),
    ).toBe(0);
    // Nothing is out of its slot any more: an absent number is answered by the index.
    expect(
      mapGetsDuring(() => {
        expect(map.get(33)).toBeUndefined();
      }),
    ).toBe(0);
  });

  it('never gives NaN a slot (no lookup could find it, nor free it)', () => {
    const map = new IndexedMap<number, string>();
    map.set(NaN, 'nan');
    expect(map.get(NaN)).toBe('nan');
    map.delete(NaN);
    // NaN & 15 is slot 0: still free for 0.
    map.set(0, 'zero');
    expect(
      mapGetsDuring(() => {
        expect(map.get(0)).toBe('zero');
      }),
    ).toBe(0);
  });
});
