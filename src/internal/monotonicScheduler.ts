import { asyncScheduler, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';

type Clock = { readonly now: () => number };
const performanceClock = (globalThis as { readonly performance?: Partial<Clock> }).performance;

/**
 * The library's default scheduler: `asyncScheduler`'s timers, read against a clock that never steps,
 * `performance.now()`, instead of the wall clock (`Date.now()`).
 *
 * In plain words: the library keeps deadlines (throttle windows, timeouts, the reporter's token
 * bucket) as points in time and compares them with `scheduler.now()`. On the wall clock, a step
 * back (an NTP correction, a laptop resuming) would stall every window and timeout by the size of
 * the step, and a step forward would fire them early; `performance.now()` only moves forward, at
 * the pace of the timers. Where `performance` does not exist, this is `asyncScheduler` itself.
 *
 * Pass it (or any scheduler: a `TestScheduler` in tests) as the `scheduler` option; every option
 * that takes one defaults to it.
 */
export const monotonicScheduler: SchedulerLike =
  typeof performanceClock?.now === 'function'
    ? {
        now: (): number => (performanceClock as Clock).now(),
        schedule: <T>(
          work: (this: SchedulerAction<T>, state?: T) => void,
          delay?: number,
          state?: T,
        ): Subscription => asyncScheduler.schedule(work, delay, state),
      }
    : asyncScheduler;
