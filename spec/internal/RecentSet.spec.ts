import fc from 'fast-check';
import { RecentSet } from '../../src/internal/RecentSet.js';

describe('RecentSet', () => {
  it('remembers the last `capacity` values added', () => {
    const set = new RecentSet<number>(3);
    for (const v of [1, 2, 3, 4]) set.add(v);
    expect([1, 2, 3, 4].map((v) => set.has(v))).toEqual([false, true, true, true]);
    expect(set.size).toBe(3);
  });

  it('keeps a value added again in its place', () => {
    const set = new RecentSet<string>(2);
    set.add('a');
    set.add('a');
    set.add('b');
    expect(set.size).toBe(2);
    expect(set.has('a')).toBe(true);
    // Added again, 'a' is still the oldest (not moved to the newest place): 'c' replaces it.
    set.add('a');
    set.add('c');
    expect(set.has('a')).toBe(false);
    expect(set.has('b')).toBe(true);
    expect(set.has('c')).toBe(true);
    expect(set.size).toBe(2);
  });

  it('remembers nothing with capacity 0', () => {
    const set = new RecentSet<number>(0);
    set.add(1);
    expect(set.has(1)).toBe(false);
  });

  it('never holds more than its capacity, whatever is added and deleted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 9 })), { maxLength: 200 }),
        (capacity, ops) => {
          const set = new RecentSet<number>(capacity);
          for (const [add, v] of ops) {
            if (add) {
              set.add(v);
              expect(set.has(v)).toBe(true);
            } else {
              set.delete(v);
              expect(set.has(v)).toBe(false);
            }
            expect(set.size).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });
});
