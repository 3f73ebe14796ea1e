/**
 * A set that remembers at most `capacity` values, forgetting the oldest first. Used to recognise
 * updates for tokens that completed recently without letting a peer that invents tokens grow memory.
 *
 * @internal
 */
export class RecentSet<T> {
  private readonly values = new Set<T>();

  constructor(readonly capacity: number) {}

  has(value: T): boolean {
    return this.values.has(value);
  }

  add(value: T): void {
    if (this.capacity <= 0) return;
    this.values.delete(value);
    this.values.add(value);
    if (this.values.size > this.capacity) {
      const oldest = this.values.values().next();
      if (oldest.done !== true) this.values.delete(oldest.value);
    }
  }

  delete(value: T): void {
    this.values.delete(value);
  }

  get size(): number {
    return this.values.size;
  }
}
