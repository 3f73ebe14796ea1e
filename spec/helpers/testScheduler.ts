import { TestScheduler } from 'rxjs/testing';

/** A TestScheduler whose assertions are jest's deep equality. */
export const testScheduler = (): TestScheduler =>
  new TestScheduler((actual, expected) => {
    expect(actual).toEqual(expected);
  });
