import { TokenBucket, tokenBucketOf } from '../../src/internal/TokenBucket.js';

/** Takes a token at `now` if one is available; says whether it did. */
const tryTake = (bucket: TokenBucket, now: number): boolean => {
  if (bucket.wait(now) > 0) return false;
  bucket.take(now);
  return true;
};

describe('TokenBucket', () => {
  it('starts full: `burst` tokens back to back, then none', () => {
    const bucket = new TokenBucket(100, 3);
    expect([1, 2, 3, 4].map(() => tryTake(bucket, 0))).toEqual([true, true, true, false]);
    expect(bucket.wait(0)).toBe(100);
  });

  it('refills continuously, one token per interval, up to the capacity', () => {
    const bucket = new TokenBucket(100, 3);
    for (let i = 0; i < 3; i++) bucket.take(0);
    expect(bucket.wait(40)).toBe(60);
    expect(tryTake(bucket, 100)).toBe(true);
    expect(tryTake(bucket, 100)).toBe(false);
    // Idle for a long time: full again, but never more than the capacity.
    expect([1, 2, 3, 4].map(() => tryTake(bucket, 10_000))).toEqual([true, true, true, false]);
  });

  it('holds a long flood to the rate, without drift, with a non-integer interval', () => {
    const bucket = new TokenBucket(1000 / 3, 1);
    let taken = 0;
    for (let now = 0; now <= 60_000; now++) if (tryTake(bucket, now)) taken++;
    // 3 a second for 60 s, plus the first; a ms of rounding may cost at most one.
    expect(taken).toBeGreaterThanOrEqual(180);
    expect(taken).toBeLessThanOrEqual(181);
  });

  it('is unlimited with an interval of 0', () => {
    const bucket = new TokenBucket(0, 1);
    expect(bucket.unlimited).toBe(true);
    for (let i = 0; i < 1000; i++) expect(tryTake(bucket, 0)).toBe(true);
  });

  describe('tokenBucketOf', () => {
    it('turns a rate into an interval', () => {
      expect(tokenBucketOf(10, 10).interval).toBe(100);
      expect(tokenBucketOf(Infinity, 1).unlimited).toBe(true);
    });

    it.each([[0], [-1], [NaN], ['10' as unknown as number]])(
      'rejects maxUpdatesPerSecond %p',
      (rate) => {
        expect(() => tokenBucketOf(rate, 1)).toThrow(/^maxUpdatesPerSecond must be a number > 0/);
      },
    );

    it.each([
      [0, '0'],
      [-1, '-1'],
      [1.5, '1.5'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      ['2' as unknown as number, '"2"'],
    ])('rejects burst %p', (burst, shown) => {
      expect(() => tokenBucketOf(10, burst)).toThrow(
        new RangeError(`burst must be an integer >= 1, got ${shown}`),
      );
    });
  });
});
