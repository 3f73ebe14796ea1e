import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { TimerQueue, type TimerNode } from './TimerQueue.js';

/**
 * A deadline of an owner in a {@link TimerQueue}, for owners that need more than one.
 *
 * @internal
 */
export class Deadline<O> implements TimerNode {
  // `declare`: only the constructor's assignments create the fields (one store each).
  declare timerPrev: TimerNode | undefined;
  declare timerNext: TimerNode | undefined;
  declare timerDue: number | undefined;
  declare readonly owner: O;
  declare readonly queue: TimerQueue<Deadline<O>>;

  constructor(owner: O, queue: TimerQueue<Deadline<O>>) {
    this.timerPrev = undefined;
    this.timerNext = undefined;
    this.timerDue = undefined;
    this.owner = owner;
    this.queue = queue;
  }

  /** (Re)starts the deadline: due one queue length from now. */
  restart(): void {
    this.queue.push(this);
  }

  /** Cancels the deadline. */
  cancel(): void {
    this.queue.remove(this);
  }
}

/** A deadline in a queue that is never armed (no timer), for `retainShape`. @internal */
export const inertDeadline = (): object =>
  new Deadline(undefined, new TimerQueue(asyncScheduler, 1, () => undefined));

/**
 * One {@link TimerQueue} per distinct deadline length, made on first use, so that owners with
 * different timeouts still share one timer per length.
 *
 * @internal
 */
export class DeadlineQueues<O> {
  private readonly queues = new Map<number, TimerQueue<Deadline<O>>>();

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly onDue: (owner: O, deadline: Deadline<O>) => void,
  ) {}

  /** A new deadline of `length` ms for `owner`, started now. */
  start(owner: O, length: number): Deadline<O> {
    let queue = this.queues.get(length);
    if (queue === undefined) {
      if (this.queues.size >= 16) this.sweep();
      queue = new TimerQueue<Deadline<O>>(this.scheduler, length, (d) => {
        this.onDue(d.owner, d);
      });
      this.queues.set(length, queue);
    }
    const deadline = new Deadline(owner, queue);
    deadline.restart();
    return deadline;
  }

  /** Forgets the queues that have nothing waiting (lengths used once stay bounded). */
  private sweep(): void {
    for (const [length, queue] of this.queues) if (queue.isEmpty) this.queues.delete(length);
  }

  /** Cancels every deadline. */
  clear(): void {
    for (const queue of this.queues.values()) queue.clear();
    this.queues.clear();
  }
}
