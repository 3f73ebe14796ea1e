import { VirtualTimeScheduler } from 'rxjs';
import {
  toProgressNotification,
  type ProgressInput,
  type ProgressNotification,
  type ProgressToken,
} from '../../src/index.js';

/** The inputs the marble tests use: a..t are progress 1..20 with no total; F is final (10 of 10). */
export const inputs: Record<string, ProgressInput> = {
  ...Object.fromEntries(
    'abcdefghijklmnopqrst'.split('').map((letter, i) => [letter, { progress: i + 1 }]),
  ),
  F: { progress: 30, total: 30, message: 'done' },
  T: { progress: 12, total: 30, message: 'twelve of thirty' },
};

/** The notifications the inputs become for `token`, under the same letters. */
export const notes = (token: ProgressToken = 'job'): Record<string, ProgressNotification> =>
  Object.fromEntries(
    Object.entries(inputs).map(([letter, input]) => [
      letter,
      toProgressNotification({ progressToken: token, ...input }),
    ]),
  );

/** A promise resolved or rejected by hand. */
export interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(reason: unknown): void;
}

export const deferred = (): Deferred => {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** How a promise (a reporter's `done`) ended, once it has: `value` is updated when it settles. */
export const outcomeOf = (
  done: Promise<void>,
): { value: 'pending' | 'resolved' | { rejected: unknown } } => {
  const outcome: { value: 'pending' | 'resolved' | { rejected: unknown } } = { value: 'pending' };
  done.then(
    () => (outcome.value = 'resolved'),
    (err: unknown) => (outcome.value = { rejected: err }),
  );
  return outcome;
};

/**
 * Lets three event-loop turns pass: every pending promise callback runs, a read held for the next
 * turn is delivered and its handlers have run, and Node's unhandled-rejection check (which runs after
 * the microtask queue drains) has had its turn. No time passes on any scheduler.
 */
export const settleTurns = async (): Promise<void> => {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** A virtual clock stepped by hand, for tests that mix virtual time with promises. */
export class ManualClock extends VirtualTimeScheduler {
  /** Runs every action due up to `frame`, and leaves the clock at `frame`. */
  advanceTo(frame: number): void {
    if (frame < this.frame)
      throw new Error(`cannot go back from ${String(this.frame)} to ${String(frame)}`);
    this.schedule(() => undefined, frame - this.frame);
    this.maxFrames = frame;
    this.flush();
  }

  /** How many scheduled actions wait (timers that would be running). */
  get pendingActions(): number {
    return this.actions.length;
  }
}
