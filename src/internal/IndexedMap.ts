/** The index's smallest capacity, in slots (it never shrinks below this). */
const MIN_CAPACITY = 16;

/** `capacity` free slots: a packed array of `2 * capacity` `undefined`s (key, value per slot). */
const freeSlots = (capacity: number): unknown[] => {
  const slots: unknown[] = [];
  for (let i = 0; i < 2 * capacity; i++) slots.push(undefined);
  return slots;
};

/**
 * A `Map` with a direct-mapped index in front of it for number keys: the per-token state of the
 * receiving path, looked up once per message, and the request ids that responses are matched with.
 *
 * ```
 * get(7):  slots[2 × (7 & mask)] === 7 ?  slots[2 × (7 & mask) + 1]     one load, usually
 *          no key pushed out of its slot?  undefined                    absent: one load too
 *                                       :  map.get(7)                   a collision, or a string key
 * ```
 *
 * Why: with thousands of tokens, a `Map` lookup is two or more dependent cache misses (its bucket,
 * then the entries of the bucket's chain), and at 10,000 tokens they were half of the receiving
 * path's time per message (`perf` on the benchmark's `ProgressManager` pass; docs/decisions.md,
 * "Performance"). The index keeps each key beside its value, so a hit is one load; and the tokens
 * and request ids of the official SDK are its request ids, consecutive integers, which fall in
 * consecutive slots: no collisions, and a pass over the tokens in order reads the index in order.
 *
 * The `Map` stays the authority; the index caches its number keys. A key whose slot another key
 * holds ("spilled") lives in the `Map` alone until its slot is free (a lookup through the `Map` then
 * moves it in), so keys a peer picks to collide cost a `Map` lookup each, as without the index,
 * never a probe sequence. While no key is spilled, the index holds every number key, and a number
 * it does not hold is absent without asking the `Map` (a response to a request nobody tracks). The
 * index has at least as many slots as the map has keys (doubling as it grows, halving when it falls
 * below a quarter full): 16 to 64 bytes per key beside the `Map`'s own.
 *
 * @internal
 */
export class IndexedMap<K extends string | number, V> implements ReadonlyMap<K, V> {
  private readonly map = new Map<K, V>();
  /** Key, value, key, value, ...: slot `i` at `2i` and `2i + 1`, `undefined` when free. */
  private slots: unknown[] = freeSlots(MIN_CAPACITY);
  /** The number of slots, less one (a power of two, less one). */
  private mask = MIN_CAPACITY - 1;
  /** How many number keys of the `Map` are not in their slot (`NaN` never is). */
  private spilled = 0;

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    if (typeof key !== 'number') return this.map.get(key);
    const i = (key & this.mask) << 1;
    const slots = this.slots;
    if (slots[i] === key) return slots[i + 1] as V;
    return this.spilled === 0 ? undefined : this.getSpilled(key, i);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): this {
    const size = this.map.size;
    this.map.set(key, value);
    if (typeof key !== 'number') return this;
    const i = (key & this.mask) << 1;
    const slots = this.slots;
    if (slots[i] === key) {
      slots[i + 1] = value;
    } else if (this.map.size > size) {
      // A new key (a new value for a spilled key stays spilled).
      if (this.map.size > this.mask + 1) this.reindex(2 * (this.mask + 1));
      else if (!this.place(key, value, i)) this.spilled++;
    }
    return this;
  }

  delete(key: K): boolean {
    let inSlot = false;
    if (typeof key === 'number') {
      const i = (key & this.mask) << 1;
      const slots = this.slots;
      if (slots[i] === key) {
        slots[i] = slots[i + 1] = undefined;
        inSlot = true;
      }
    }
    if (!this.map.delete(key)) return false;
    if (typeof key === 'number' && !inSlot) this.spilled--;
    const capacity = this.mask + 1;
    if (capacity > MIN_CAPACITY && this.map.size < capacity / 4) this.reindex(capacity / 2);
    return true;
  }

  clear(): void {
    this.map.clear();
    this.slots = freeSlots(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.spilled = 0;
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.map) callback.call(thisArg, value, key, this);
  }

  entries(): MapIterator<[K, V]> {
    return this.map.entries();
  }

  keys(): MapIterator<K> {
    return this.map.keys();
  }

  values(): MapIterator<V> {
    return this.map.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.map.entries();
  }

  /** The `Map`'s answer for a number key not in its slot; moves it in if the slot is free. */
  private getSpilled(key: K & number, i: number): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined && this.place(key, value, i)) this.spilled--;
    return value;
  }

  /**
   * Puts a key that is not in its slot into it, if the slot (at `i`) is free; returns whether it did.
   * Never `NaN`, which no lookup could find there (`NaN !== NaN`), nor free.
   */
  private place(key: number, value: V, i: number): boolean {
    const slots = this.slots;
    if (slots[i] !== undefined || key !== key) return false;
    slots[i] = key;
    slots[i + 1] = value;
    return true;
  }

  /** A fresh index of `capacity` slots (a power of two) holding every number key that fits. */
  private reindex(capacity: number): void {
    this.slots = freeSlots(capacity);
    this.mask = capacity - 1;
    this.spilled = 0;
    for (const [key, value] of this.map) {
      if (typeof key === 'number' && !this.place(key, value, (key & this.mask) << 1)) {
        this.spilled++;
      }
    }
  }
}
