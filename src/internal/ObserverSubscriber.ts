import {
  Subscriber,
  throwError,
  UnsubscriptionError,
  type Observer,
  type Unsubscribable,
} from 'rxjs';

/**
 * Reports an error nobody handles exactly as RxJS does for a subscriber without an error callback
 * (`config.onUnhandledError`, else thrown on a later macrotask; virtual under `TestScheduler.run`),
 * through RxJS's own public path: the error of an Observable subscribed without an error callback.
 */
const reportUnhandledError = (error: unknown): void => {
  throwError(() => error).subscribe();
};

/** Collects what a teardown threw, as RxJS's `Subscription.unsubscribe` does. */
const errorsOf = (error: unknown): unknown[] =>
  error instanceof UnsubscriptionError ? error.errors : [error];

/**
 * The subscriber that a {@link DirectObservable} makes when it is subscribed with a plain observer or
 * callbacks: in one object what RxJS's `subscribe` builds from a `SafeSubscriber`, its
 * `ConsumerObserver` and a finalizer array for the subscribe function's teardown.
 *
 * ```
 * RxJS:  source ──▶ SafeSubscriber ──▶ ConsumerObserver ──▶ observer     (+ finalizer array)
 * here:  source ──▶ ObserverSubscriber ──────────────────▶ observer     (teardown in a field)
 * ```
 *
 * The contract is RxJS's, and spec/internal/DirectObservable.spec.ts checks it against RxJS's own
 * subscriber case by case: a callback that throws is reported as an unhandled error (it does not
 * reach the source); `error` without an error callback is reported as unhandled; after `error`,
 * `complete` or `unsubscribe` nothing more is delivered (RxJS's `onStoppedNotification` hook
 * included, inherited from `Subscriber`); `unsubscribe` runs the source's teardown first, then
 * whatever was added to the returned Subscription, and throws an `UnsubscriptionError` with every
 * error they threw.
 *
 * @internal
 */
export class ObserverSubscriber<T> extends Subscriber<T> {
  declare private observer: Partial<Observer<T>> | undefined;
  declare private teardown: Unsubscribable | undefined;

  constructor(observer: Partial<Observer<T>>) {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- RxJS 7's base of every subscriber (its operators' too); only a bare `new Subscriber()` is discouraged
    super();
    this.observer = observer;
    this.teardown = undefined;
  }

  /**
   * Keeps the subscribe function's teardown, to be run first on unsubscribe; runs it now when the
   * subscriber is already closed (it errored or completed inside the subscribe function), as
   * `Subscription.add` does.
   */
  setTeardown(teardown: Unsubscribable | undefined): void {
    if (teardown === undefined || teardown === this) return;
    if (this.closed) teardown.unsubscribe();
    else this.teardown = teardown;
  }

  override unsubscribe(): void {
    if (this.closed) return;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Subscriber's own flag: nothing is delivered while the teardown runs
    this.isStopped = true;
    const teardown = this.teardown;
    this.teardown = undefined;
    let errors: unknown[] | undefined = undefined;
    if (teardown !== undefined) {
      // As RxJS runs the subscribe function's teardown: already closed (a teardown that reads
      // `closed` or unsubscribes again sees a closed subscription), before whatever was added.
      this.closed = true;
      try {
        teardown.unsubscribe();
      } catch (err) {
        errors = errorsOf(err);
      }
      // Open again only for `super.unsubscribe()` to do the rest (parents, added finalizers); no
      // other code runs in between.
      this.closed = false;
    }
    try {
      super.unsubscribe();
    } catch (err) {
      errors = [...(errors ?? []), ...errorsOf(err)];
    }
    this.observer = undefined;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- what Subscription.unsubscribe throws, so callers see the same error
    if (errors !== undefined) throw new UnsubscriptionError(errors);
  }

  protected override _next(value: T): void {
    const observer = this.observer;
    if (observer?.next) {
      try {
        observer.next(value);
      } catch (err) {
        reportUnhandledError(err);
      }
    }
  }

  protected override _error(error: unknown): void {
    try {
      const observer = this.observer;
      if (observer?.error) {
        try {
          observer.error(error);
        } catch (err) {
          reportUnhandledError(err);
        }
      } else {
        reportUnhandledError(error);
      }
    } finally {
      this.unsubscribe();
    }
  }

  protected override _complete(): void {
    try {
      const observer = this.observer;
      if (observer?.complete) {
        try {
          observer.complete();
        } catch (err) {
          reportUnhandledError(err);
        }
      }
    } finally {
      this.unsubscribe();
    }
  }
}
