import type { GroupedObservable, Subscriber, Unsubscribable } from 'rxjs';
import { DirectObservable } from './DirectObservable.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import type { PipelineState } from './TokenPipeline.js';
import type { TimerNode } from './TimerQueue.js';

/** What a group tells the operator that made it. @internal */
export interface ProgressGroupOwner {
  /** A subscriber joined a group. */
  subscribed(): void;
  /** A subscriber left a group; `group.hasSubscribers` says whether any remain. */
  unsubscribed(group: ProgressGroup): void;
}

type Ending = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown };

const COMPLETE: Ending = { kind: 'complete' };

/**
 * One token's group in `trackProgress`: the GroupedObservable handed to the consumer, which is also
 * its pipeline state and holds its subscribers, multicast like the Subject behind an RxJS `groupBy`
 * group (a subscriber that comes after the end gets the end).
 *
 * One object per token: the usual single subscriber sits in `first` and the group itself is its
 * teardown (`unsubscribe`); only further subscribers, while `first` or others are taken, get a
 * {@link GroupSubscription} each and go to `others`, in subscription order.
 *
 * @internal
 */
export class ProgressGroup
  extends DirectObservable<ProgressUpdate>
  implements PipelineState, GroupedObservable<ProgressToken, ProgressUpdate>, Unsubscribable
{
  // The fields every update reads come first (see Tracked in ProgressManager.ts). `declare`: only the
  // constructor's assignments create them (ES2022 class fields would define each one first).
  declare last: number | undefined;
  /** The subscriber whose teardown is this group; it subscribed before every one in `others`. */
  declare private first: Subscriber<ProgressUpdate> | undefined;
  /** Every other subscriber, in subscription order, each with its own {@link GroupSubscription}. */
  declare private others: Subscriber<ProgressUpdate>[] | undefined;
  declare pendingProgress: number | undefined;
  declare pendingTotal: number | undefined;
  declare pendingMessage: string | undefined;
  declare timerPrev: TimerNode | undefined;
  declare timerNext: TimerNode | undefined;
  declare timerDue: number | undefined;
  declare private ending: Ending | undefined;
  declare readonly key: ProgressToken;
  declare private readonly owner: ProgressGroupOwner;

  constructor(key: ProgressToken, owner: ProgressGroupOwner) {
    super();
    this.last = undefined;
    this.first = undefined;
    this.others = undefined;
    this.pendingProgress = undefined;
    this.pendingTotal = undefined;
    this.pendingMessage = undefined;
    this.timerPrev = undefined;
    this.timerNext = undefined;
    this.timerDue = undefined;
    this.ending = undefined;
    this.key = key;
    this.owner = owner;
  }

  /** The token (the group's key). */
  get token(): ProgressToken {
    return this.key;
  }

  /** @internal Starts a subscription (see {@link DirectObservable}). */
  attach(subscriber: Subscriber<ProgressUpdate>): Unsubscribable | undefined {
    const ending = this.ending;
    if (ending !== undefined) {
      if (ending.kind === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
      return undefined;
    }
    this.owner.subscribed();
    if (this.first === undefined && this.others === undefined) {
      this.first = subscriber;
      return this;
    }
    (this.others ??= []).push(subscriber);
    return new GroupSubscription(this, subscriber);
  }

  /** @internal The teardown of the subscriber in `first`. */
  unsubscribe(): void {
    if (this.first === undefined) return;
    this.first = undefined;
    this.owner.unsubscribed(this);
  }

  /** @internal Called by {@link GroupSubscription}. */
  detach(subscriber: Subscriber<ProgressUpdate>): void {
    const others = this.others;
    const i = others === undefined ? -1 : others.indexOf(subscriber);
    if (others === undefined || i < 0) return;
    if (others.length === 1) this.others = undefined;
    else others.splice(i, 1);
    this.owner.unsubscribed(this);
  }

  /** Whether anyone subscribes to the group now. */
  get hasSubscribers(): boolean {
    return this.first !== undefined || this.others !== undefined;
  }

  /** Whether the group has ended. */
  get ended(): boolean {
    return this.ending !== undefined;
  }

  emit(update: ProgressUpdate): void {
    const first = this.first;
    if (this.others === undefined) {
      first?.next(update);
      return;
    }
    // Snapshot first: a subscriber that leaves inside next() shifts the others (as a Subject does).
    const others = this.others.slice();
    first?.next(update);
    for (const s of others) s.next(update);
  }

  complete(): void {
    this.end(COMPLETE);
  }

  error(error: unknown): void {
    this.end({ kind: 'error', error });
  }

  private end(ending: Ending): void {
    if (this.ending !== undefined) return;
    this.ending = ending;
    // Each subscriber's teardown removes it (and tells the owner) as it completes or errors.
    const first = this.first;
    const others = this.others?.slice();
    if (first !== undefined) endSubscriber(first, ending);
    if (others !== undefined) for (const s of others) endSubscriber(s, ending);
  }
}

const endSubscriber = (subscriber: Subscriber<ProgressUpdate>, ending: Ending): void => {
  if (ending.kind === 'complete') subscriber.complete();
  else subscriber.error(ending.error);
};

/** The teardown of one subscription to a group (an object, not a closure and its context). */
class GroupSubscription implements Unsubscribable {
  constructor(
    private readonly group: ProgressGroup,
    private readonly subscriber: Subscriber<ProgressUpdate>,
  ) {}

  unsubscribe(): void {
    this.group.detach(this.subscriber);
  }
}

/** An owner that does nothing, for the retained group. */
const INERT_OWNER: ProgressGroupOwner = {
  subscribed: () => undefined,
  unsubscribed: () => undefined,
};

/** A group with its usual single subscriber (an `ObserverSubscriber`), for `retainShape`. @internal */
export const inertGroup = (): object => {
  const group = new ProgressGroup(0, INERT_OWNER);
  return [group, group.subscribe({})];
};
