/**
 * A set that remembers at most `capacity` values, forgetting the oldest first. Used to recognise
 * updates for tokens that ended recently without letting a peer that invents tokens grow memory.
 *
 * The order of insertion is a ring of `capacity` slots beside the `Set`, so adding costs two or three
 * hash operations and allocates nothing (this runs once per completed stream).
 *
 * @internal
 */
export class RecentSet<T> {
  private readonly members = new Set<T>();
  /** Grows to `capacity` as values come (a set that sees few values stays small), then cycles. */
  private readonly ring: T[] = [];
  private next = 0;

  constructor(readonly capacity: number) {}

  has(value: T): boolean {
    return this.members.has(value);
  }

  /** Remembers `value`; a value already remembered keeps its place. */
  add(value: T): void {
    if (this.capacity <= 0 || this.members.has(value)) return;
    // The slot to reuse holds the oldest value written: forget it, so that every member has a slot
    // and the set never exceeds the ring (a value deleted and re-added may go a little early).
    if (this.ring.length < this.capacity) {
      this.ring.push(value);
    } else {
      this.members.delete(this.ring[this.next]);
      this.ring[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
    }
    this.members.add(value);
  }

  /** Forgets `value` (its ring slot is reused in turn). */
  delete(value: T): void {
    this.members.delete(value);
  }

  get size(): number {
    return this.members.size;
  }
}
