import type { SchedulerLike, Subscription } from 'rxjs';
import { monotonicScheduler } from './monotonicScheduler.js';

/** A node of a {@link TimerQueue}: the queue links nodes through these fields, allocating nothing. */
export interface TimerNode {
  /** @internal */ timerPrev: TimerNode | undefined;
  /** @internal */ timerNext: TimerNode | undefined;
  /**
   * When the node is due, in the scheduler's clock; `undefined` while the node is in no queue. (Not
   * a number sentinel: V8 then keeps the field tagged, so a node in no queue holds no boxed double.)
   */
  timerDue: number | undefined;
}

/** Whether a node is in a queue (its `timerDue` is a time). @internal */
export const isQueued = (node: TimerNode): boolean => node.timerDue !== undefined;

/**
 * Deadlines that all have the same length, kept in one intrusive linked list with one scheduled
 * action for the whole queue.
 *
 * Because every deadline is `now + length` with the same length, a node pushed later is due later:
 * the list stays sorted by appending, so push, remove and "move to the back" are O(1) and allocate
 * nothing, and however many nodes wait, one scheduler action is pending (for the head). This is what
 * keeps per-token throttling, idle timeouts and diagnostic windows flat at 100,000 tokens, where a
 * timer per token would cost a scheduler action (and, with `asyncScheduler`, a `setInterval`) each.
 *
 * The action is cancelled whenever the queue empties, so an idle queue holds no timer.
 *
 * @internal
 */
export class TimerQueue<N extends TimerNode> {
  private head: N | undefined = undefined;
  private tail: N | undefined = undefined;
  private action: Subscription | undefined = undefined;
  private firing = false;
  /**
   * Whether deadlines are rounded up to a whole millisecond: on {@link monotonicScheduler}, whose
   * clock (`performance.now()`) reads fractions. A whole number is stored in the node itself, where
   * a fraction takes a 16-byte box per waiting node (1.6 MB at 100,000 throttled tokens); the
   * fraction is noise next to a timer's own lateness, and rounding up never ends a window early.
   * Any other scheduler (virtual time above all) keeps its deadlines exact. (Past 2^31 ms of
   * process time, about 24.8 days, a whole number no longer fits V8's small integers either, and
   * deadlines take the box again: memory only, never correctness.)
   */
  private readonly wholeMs: boolean;

  /**
   * @param scheduler Where the clock and the timer come from.
   * @param length The length of every deadline, in milliseconds (> 0).
   * @param onDue Called with each node that falls due, after it has left the queue; it may push
   * nodes (including this one) back.
   */
  constructor(
    private readonly scheduler: SchedulerLike,
    readonly length: number,
    private readonly onDue: (node: N) => void,
  ) {
    this.wholeMs = scheduler === monotonicScheduler;
  }

  /** Whether no node waits. */
  get isEmpty(): boolean {
    return this.head === undefined;
  }

  /** Appends a node due `length` ms from now; a node already queued moves to the back. */
  push(node: N): void {
    if (isQueued(node)) this.unlink(node);
    const due = this.scheduler.now() + this.length;
    node.timerDue = this.wholeMs ? Math.ceil(due) : due;
    node.timerPrev = this.tail;
    node.timerNext = undefined;
    if (this.tail === undefined) this.head = node;
    else this.tail.timerNext = node;
    this.tail = node;
    if (this.action === undefined && !this.firing) this.arm();
  }

  /** Takes a node out of the queue, if it is in it. */
  remove(node: N): void {
    if (!isQueued(node)) return;
    this.unlink(node);
    if (this.head === undefined) this.disarm();
  }

  /** Empties the queue and cancels the timer. */
  clear(): void {
    let node = this.head;
    while (node !== undefined) {
      const next = node.timerNext as N | undefined;
      node.timerDue = undefined;
      node.timerPrev = node.timerNext = undefined;
      node = next;
    }
    this.head = this.tail = undefined;
    this.disarm();
  }

  private unlink(node: N): void {
    const { timerPrev: prev, timerNext: next } = node;
    if (prev === undefined) this.head = next as N | undefined;
    else prev.timerNext = next;
    if (next === undefined) this.tail = prev as N | undefined;
    else next.timerPrev = prev;
    node.timerPrev = node.timerNext = undefined;
    node.timerDue = undefined;
  }

  private arm(): void {
    const head = this.head;
    if (head === undefined) return;
    const delay = Math.max(0, (head.timerDue ?? 0) - this.scheduler.now());
    this.action = this.scheduler.schedule(this.fire, delay);
  }

  private disarm(): void {
    this.action?.unsubscribe();
    this.action = undefined;
  }

  private readonly fire = (): void => {
    this.action = undefined;
    this.firing = true;
    try {
      const now = this.scheduler.now();
      let head = this.head;
      while (head?.timerDue !== undefined && head.timerDue <= now) {
        this.unlink(head);
        this.onDue(head);
        head = this.head;
      }
    } finally {
      this.firing = false;
    }
    // onDue may have pushed nodes back (due later) or cleared the queue; push does not arm while firing.
    this.arm();
  };
}
