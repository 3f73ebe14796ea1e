import { Observable, type GroupedObservable, type Subscriber, type Unsubscribable } from 'rxjs';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import type { PipelineState } from './TokenPipeline.js';
import type { TimerNode } from './TimerQueue.js';

/** What a group tells the operator that made it. @internal */
export interface ProgressGroupOwner {
  /** A subscriber joined a group. */
  subscribed(): void;
  /** A subscriber left a group; `group.subscriberCount` says how many remain. */
  unsubscribed(group: ProgressGroup): void;
}

type Ending = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown };

/**
 * One token's group in `trackProgress`: the GroupedObservable handed to the consumer, which is also
 * its pipeline state and holds its subscribers, multicast like the Subject behind an RxJS `groupBy`
 * group (a subscriber that comes after the end gets the end). One object per token, plus one per
 * subscription.
 *
 * @internal
 */
export class ProgressGroup
  extends Observable<ProgressUpdate>
  implements PipelineState, GroupedObservable<ProgressToken, ProgressUpdate>
{
  timerPrev: TimerNode | undefined = undefined;
  timerNext: TimerNode | undefined = undefined;
  timerDue = -1;
  last = -1;
  pending: ProgressUpdate | undefined = undefined;
  private first: Subscriber<ProgressUpdate> | undefined = undefined;
  private others: Subscriber<ProgressUpdate>[] | undefined = undefined;
  private ending: Ending | undefined = undefined;
  /** How many subscribers the group has now. */
  subscriberCount = 0;

  constructor(
    readonly key: ProgressToken,
    private readonly owner: ProgressGroupOwner,
  ) {
    // One subscribe function for every group: RxJS calls it with `this` bound to the Observable
    // (its public type says so), which saves a closure and a context per token.
    super(subscribeToGroup);
  }

  /** The token (the group's key). */
  get token(): ProgressToken {
    return this.key;
  }

  /** @internal Called by {@link subscribeToGroup}. */
  attach(subscriber: Subscriber<ProgressUpdate>): Unsubscribable | undefined {
    const ending = this.ending;
    if (ending !== undefined) {
      if (ending.kind === 'complete') subscriber.complete();
      else subscriber.error(ending.error);
      return undefined;
    }
    this.add(subscriber);
    this.owner.subscribed();
    return new GroupSubscription(this, subscriber);
  }

  /** @internal Called by {@link GroupSubscription}. */
  detach(subscriber: Subscriber<ProgressUpdate>): void {
    if (this.remove(subscriber)) this.owner.unsubscribed(this);
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
    this.end({ kind: 'complete' });
  }

  error(error: unknown): void {
    this.end({ kind: 'error', error });
  }

  private end(ending: Ending): void {
    if (this.ending !== undefined) return;
    this.ending = ending;
    // Each subscriber's teardown removes it (and tells the owner) as it completes or errors.
    const subscribers = this.others === undefined ? [] : this.others.slice();
    if (this.first !== undefined) subscribers.unshift(this.first);
    for (const s of subscribers) {
      if (ending.kind === 'complete') s.complete();
      else s.error(ending.error);
    }
  }

  private add(subscriber: Subscriber<ProgressUpdate>): void {
    if (this.first === undefined) this.first = subscriber;
    else (this.others ??= []).push(subscriber);
    this.subscriberCount++;
  }

  /** @return whether the subscriber was here (it is not after the group ended). */
  private remove(subscriber: Subscriber<ProgressUpdate>): boolean {
    if (this.first === subscriber) {
      this.first = this.others?.shift();
      if (this.others?.length === 0) this.others = undefined;
    } else {
      const i = this.others?.indexOf(subscriber) ?? -1;
      if (i < 0) return false;
      this.others?.splice(i, 1);
      if (this.others?.length === 0) this.others = undefined;
    }
    this.subscriberCount--;
    return true;
  }
}

/** The subscribe function of every {@link ProgressGroup}. */
function subscribeToGroup(
  this: Observable<ProgressUpdate>,
  subscriber: Subscriber<ProgressUpdate>,
): Unsubscribable | undefined {
  return this instanceof ProgressGroup ? this.attach(subscriber) : undefined;
}

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
