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

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.nat() }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('get' as const), key: keyArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
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

describe('IndexedMap', () => {
  it('answers every operation as a Map does, whatever the keys', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 400 }),
        fc.array(keyArb, { maxLength: 20 }),
        (ops, probes) => {
          const map = new IndexedMap<Key, { v: number }>();
          const model = new Map<Key, { v: number }>();
          for (const op of ops) {
            const [got, want] = apply(op, map, model);
            expect(got).toBe(want);
            expect(map.size).toBe(model.size);
          }
          for (const key of [...probes, ...model.keys()]) {
            expect(map.get(key)).toBe(model.get(key));
            expect(map.has(key)).toBe(model.has(key));
          }
          expect([...map]).toEqual([...model]);
          expect([...map.keys()]).toEqual([...model.keys()]);
          expect([...map.values()]).toEqual([...model.values()]);
          const seen: [Key, { v: number }][] = [];
          map.forEach((value, key, self) => {
            expect(self).toBe(map);
            seen.push([key, value]);
          });
          expect(seen).toEqual([...model.entries()]);
        },
      ),
      { numRuns: 300 },
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
    // A string key, and a number that is not there, go to the Map.
    expect(
      mapGetsDuring(() => {
        expect(map.get('1' as unknown as number)).toBeUndefined();
        expect(map.get(5000)).toBeUndefined();
      }),
    ).toBe(2);
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
