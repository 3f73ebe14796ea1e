import { Observable, type GroupedObservable, type Subscriber } from 'rxjs';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { TokenState } from './TokenPipeline.js';

/** What a group tells the operator that made it. @internal */
export interface ProgressGroupOwner {
  /** A subscriber joined a group. */
  subscribed(): void;
  /** A subscriber left a group; `group.subscriberCount` says how many remain. */
  unsubscribed(group: ProgressGroup): void;
}

type Ending = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown };

/**
 * One token's group in `trackProgress`: its pipeline state and its subscribers, multicast like the
 * Subject behind an RxJS `groupBy` group (a subscriber that comes after the end gets the end).
 *
 * @internal
 */
export class ProgressGroup extends TokenState {
  /** The Observable handed to the consumer. */
  readonly observable: GroupedObservable<ProgressToken, ProgressUpdate>;
  private first: Subscriber<ProgressUpdate> | undefined = undefined;
  private others: Subscriber<ProgressUpdate>[] | undefined = undefined;
  private ending: Ending | undefined = undefined;
  /** How many subscribers the group has now. */
  subscriberCount = 0;

  constructor(token: ProgressToken, owner: ProgressGroupOwner) {
    super(token);
    const observable = new Observable<ProgressUpdate>((subscriber) => {
      const ending = this.ending;
      if (ending !== undefined) {
        if (ending.kind === 'complete') subscriber.complete();
        else subscriber.error(ending.error);
        return undefined;
      }
      this.add(subscriber);
      owner.subscribed();
      return () => {
        if (this.remove(subscriber)) owner.unsubscribed(this);
      };
    });
    this.observable = Object.assign(observable, { key: token });
  }

  /** Whether the group has ended. */
  get ended(): boolean {
    return this.ending !== undefined;
  }

  override emit(update: ProgressUpdate): void {
    const others = this.others;
    this.first?.next(update);
    if (others !== undefined) for (const s of others.slice()) s.next(update);
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
