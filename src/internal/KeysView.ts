/**
 * A read-only, live view of a map's keys as a `ReadonlySet`, so that a class can expose what it
 * tracks without copying it on every read or letting callers change it.
 *
 * @internal
 */
export class KeysView<K> implements ReadonlySet<K> {
  constructor(private readonly map: ReadonlyMap<K, unknown>) {}

  get size(): number {
    return this.map.size;
  }

  has(value: K): boolean {
    return this.map.has(value);
  }

  forEach(callback: (value: K, value2: K, set: ReadonlySet<K>) => void, thisArg?: unknown): void {
    for (const key of this.map.keys()) callback.call(thisArg, key, key, this);
  }

  *entries(): SetIterator<[K, K]> {
    for (const key of this.map.keys()) yield [key, key];
  }

  keys(): SetIterator<K> {
    return this.values();
  }

  *values(): SetIterator<K> {
    yield* this.map.keys();
  }

  [Symbol.iterator](): SetIterator<K> {
    return this.values();
  }
}
