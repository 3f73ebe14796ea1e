import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';

/** A scheduler that wraps another and counts the actions it holds that have neither run nor been cancelled. */
export interface TrackingScheduler extends SchedulerLike {
  /** Actions scheduled so far. */
  readonly scheduled: number;
  /** Actions neither run nor cancelled: timers a component leaves behind. */
  readonly pending: number;
}

export const trackingScheduler = (inner: SchedulerLike): TrackingScheduler => {
  const live = new Set<Subscription>();
  let scheduled = 0;
  return {
    now: () => inner.now(),
    get scheduled() {
      return scheduled;
    },
    get pending() {
      return [...live].filter((s) => !s.closed).length;
    },
    schedule<T>(
      work: (this: SchedulerAction<T>, state?: T) => void,
      delay?: number,
      state?: T,
    ): Subscription {
      scheduled++;
      const subscription = inner.schedule(
        function (this: SchedulerAction<T>, s?: T) {
          live.delete(subscription);
          work.call(this, s);
        },
        delay,
        state,
      );
      live.add(subscription);
      return subscription;
    },
  };
};
