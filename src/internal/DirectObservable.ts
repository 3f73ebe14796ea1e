import {
  config,
  Observable,
  Subscriber,
  Subscription,
  type Observer,
  type Unsubscribable,
} from 'rxjs';
import { ObserverSubscriber } from './ObserverSubscriber.js';
import { hasMethod } from './options.js';

/** RxJS's own test for a subscriber (its `isSubscriber`, which is not exported): one it does not wrap. */
const isSubscriber = <T>(value: unknown): value is Subscriber<T> =>
  value instanceof Subscriber ||
  (typeof value === 'object' &&
    value !== null &&
    hasMethod(value, 'next') &&
    hasMethod(value, 'error') &&
    hasMethod(value, 'complete') &&
    (value instanceof Subscription ||
      ('closed' in value &&
        hasMethod(value, 'remove') &&
        hasMethod(value, 'add') &&
        hasMethod(value, 'unsubscribe'))));

/**
 * An Observable whose subscriptions with a plain observer or callbacks cost one subscriber object:
 * an {@link ObserverSubscriber} instead of RxJS's `SafeSubscriber`, `ConsumerObserver` and finalizer
 * array (bare callbacks are made into an observer object first, as RxJS does) (issue 6: what a `trackProgress` group or a `ProgressManager.track` stream keeps per token,
 * and one step fewer per update). A subscriber that is already one (an operator's, as in
 * `group.pipe(...)`, `mergeMap`, `firstValueFrom`) takes RxJS's own path, as does everything under
 * RxJS's deprecated `useDeprecatedSynchronousErrorHandling` or `useDeprecatedNextContext` modes.
 *
 * ```
 * obs.subscribe(observer)      ──▶ ObserverSubscriber ──▶ attach(subscriber) → teardown
 * obs.pipe(op).subscribe(...)  ──▶ Observable.subscribe (RxJS) ──▶ attach(its subscriber)
 * ```
 *
 * Subclasses implement {@link attach}: what an RxJS subscribe function does, with the subscriber
 * always a `Subscriber`. The public type stays `Observable<T>`: this class is never exported.
 *
 * @internal
 */
export abstract class DirectObservable<T> extends Observable<T> {
  constructor() {
    // One subscribe function for every instance: RxJS calls it with `this` bound to the Observable.
    super(subscribeByAttach);
  }

  /** Starts one subscription; returns its teardown, if any. */
  abstract attach(subscriber: Subscriber<T>): Unsubscribable | undefined;

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: Observer<T>['error'] | null,
    complete?: Observer<T>['complete'] | null,
  ): Subscription {
    if (
      isSubscriber<T>(observerOrNext) ||
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- honoured like RxJS does, by RxJS
      config.useDeprecatedSynchronousErrorHandling ||
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- honoured like RxJS does, by RxJS
      config.useDeprecatedNextContext
    ) {
      if (typeof observerOrNext === 'function' || observerOrNext == null) {
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- passed on in the form it came in
        return super.subscribe(observerOrNext, error, complete);
      }
      return super.subscribe(observerOrNext);
    }
    // As SafeSubscriber: callbacks make an observer; an observer object is used as it is.
    const subscriber = new ObserverSubscriber<T>(
      typeof observerOrNext === 'function' || !observerOrNext
        ? {
            next: observerOrNext ?? undefined,
            error: error ?? undefined,
            complete: complete ?? undefined,
          }
        : observerOrNext,
    );
    let teardown: Unsubscribable | undefined;
    try {
      teardown = this.attach(subscriber);
    } catch (err) {
      subscriber.error(err);
      return subscriber;
    }
    subscriber.setTeardown(teardown);
    return subscriber;
  }
}

/** The subscribe function of every {@link DirectObservable}, for RxJS's own path. */
function subscribeByAttach<T>(
  this: Observable<T>,
  subscriber: Subscriber<T>,
): Unsubscribable | undefined {
  return this instanceof DirectObservable
    ? (this as DirectObservable<T>).attach(subscriber)
    : undefined;
}
