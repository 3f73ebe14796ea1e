/**
 * DirectObservable subscribes a plain observer through its own one-object ObserverSubscriber instead
 * of RxJS's SafeSubscriber. This checks, over generated scripts, that a consumer cannot tell the
 * difference: the same calls of its callbacks, the same unhandled-error reports, the same teardowns in
 * the same order, the same `closed`, the same errors thrown by `unsubscribe`, against a plain
 * `new Observable(subscribe)` running the same script.
 */
import fc from 'fast-check';
import { config, map, Observable, Subscription, type Subscriber, type Unsubscribable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { DirectObservable } from '../../src/internal/DirectObservable.js';
import { ObserverSubscriber } from '../../src/internal/ObserverSubscriber.js';

type SourceStep = 'next' | 'error' | 'complete';
type LaterStep = SourceStep | 'unsubscribe' | 'add' | 'parentUnsubscribe';
type Callback = 'next' | 'error' | 'complete';

interface Script {
  /** What the subscribe function does before it returns. */
  readonly sync: readonly SourceStep[];
  /** Whether the subscribe function throws after `sync`. */
  readonly throws: boolean;
  /**
   * What the subscribe function returns: nothing, an object, one that throws, a Subscription, or one
   * that unsubscribes the consumer's subscription again from inside (every one logs whether that
   * subscription reads closed then).
   */
  readonly teardown: 'none' | 'object' | 'throwing' | 'subscription' | 'reentrant';
  /** What happens after subscribe returned: the source's calls, and the consumer's. */
  readonly later: readonly LaterStep[];
  /** How the consumer subscribes. */
  readonly form: 'function' | 'callbacks' | 'observer' | 'nothing';
  /** The callbacks an observer object has (for `observer`), or are passed (for `callbacks`). */
  readonly callbacks: readonly Callback[];
  /** Which call of a callback (counting every callback call) throws, if any. */
  readonly throwAt: number | undefined;
  /** Which call of `next` unsubscribes the consumer's subscription, if any. */
  readonly unsubscribeAt: number | undefined;
  /** Whether the `error` and `complete` callbacks unsubscribe the consumer's subscription. */
  readonly unsubscribeAtEnd: boolean;
}

const scriptArb: fc.Arbitrary<Script> = fc.record({
  sync: fc.array(fc.constantFrom<SourceStep>('next', 'next', 'error', 'complete'), {
    maxLength: 3,
  }),
  throws: fc.boolean(),
  teardown: fc.constantFrom('none', 'object', 'throwing', 'subscription', 'reentrant'),
  later: fc.array(
    fc.constantFrom<LaterStep>(
      'next',
      'next',
      'error',
      'complete',
      'unsubscribe',
      'add',
      'parentUnsubscribe',
    ),
    { maxLength: 6 },
  ),
  form: fc.constantFrom('function', 'callbacks', 'observer', 'nothing'),
  callbacks: fc.subarray<Callback>(['next', 'error', 'complete']),
  throwAt: fc.option(fc.nat(4), { nil: undefined }),
  unsubscribeAt: fc.option(fc.nat(3), { nil: undefined }),
  unsubscribeAtEnd: fc.boolean(),
});

/** A script that does nothing but what `changes` says: a consumer's function, no throws. */
const script = (changes: Partial<Script>): Script => ({
  sync: [],
  throws: false,
  teardown: 'none',
  later: [],
  form: 'function',
  callbacks: [],
  throwAt: undefined,
  unsubscribeAt: undefined,
  unsubscribeAtEnd: false,
  ...changes,
});

/** A DirectObservable around a subscribe function, as ProgressManager.track makes one. */
class Probe extends DirectObservable<number> {
  constructor(private readonly start: (s: Subscriber<number>) => Unsubscribable | undefined) {
    super();
  }

  attach(subscriber: Subscriber<number>): Unsubscribable | undefined {
    return this.start(subscriber);
  }
}

/** An error as the log shows it: its class, message, and the messages of what it collected. */
const describeError = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err);
  const errors = (err as { errors?: unknown[] }).errors;
  const inner = errors?.map((e) => (e instanceof Error ? e.message : String(e))).join(', ');
  return `${err.name}: ${err.message.split('\n')[0] ?? ''}${inner === undefined ? '' : ` [${inner}]`}`;
};

/** Runs the script against an Observable made by `make`, and returns what the consumer saw. */
const play = (
  script: Script,
  make: (start: (s: Subscriber<number>) => Unsubscribable | undefined) => Observable<number>,
): string[] => {
  const log: string[] = [];
  const rx = new TestScheduler(() => undefined);
  const previous = { ...config };
  config.onUnhandledError = (err: unknown) => {
    log.push(`unhandled ${err instanceof Error ? err.message : String(err)}`);
  };
  config.onStoppedNotification = (notification) => {
    log.push(`stopped notification ${notification.kind}`);
  };
  try {
    rx.run(({ flush }) => {
      let held: Subscriber<number> | undefined;
      let value = 0;
      const sourceStep = (s: Subscriber<number>, step: SourceStep): void => {
        try {
          if (step === 'next') s.next(value++);
          else if (step === 'error') s.error(new Error('source failed'));
          else s.complete();
        } catch (err) {
          log.push(`source's ${step} threw ${describeError(err)}`);
        }
      };
      let subscription: Subscription | undefined;
      const tornDown = (): void => {
        log.push(`teardown, closed ${String(subscription?.closed)}`);
      };
      const teardown = (): Unsubscribable | undefined => {
        switch (script.teardown) {
          case 'none':
            return undefined;
          case 'object':
            return { unsubscribe: tornDown };
          case 'throwing':
            return {
              unsubscribe: () => {
                tornDown();
                throw new Error('teardown failed');
              },
            };
          case 'subscription':
            return new Subscription(tornDown);
          case 'reentrant':
            return {
              unsubscribe: () => {
                tornDown();
                if (subscription !== undefined) unsubscribe(subscription);
                log.push('teardown done');
              },
            };
        }
      };
      const source = make((s) => {
        held = s;
        for (const step of script.sync) sourceStep(s, step);
        if (script.throws) throw new Error('subscribe failed');
        return teardown();
      });

      let calls = 0;
      let nexts = 0;
      const callback =
        (name: Callback) =>
        (arg?: unknown): void => {
          log.push(name === 'next' ? `next ${String(arg)}` : name);
          if (name !== 'next' && script.unsubscribeAtEnd) {
            log.push('consumer unsubscribes');
            subscription?.unsubscribe();
          }
          if (name === 'next' && nexts++ === script.unsubscribeAt) {
            log.push('consumer unsubscribes');
            subscription?.unsubscribe();
          }
          if (calls++ === script.throwAt) throw new Error(`${name} callback failed`);
        };
      const has = (name: Callback): boolean => script.callbacks.includes(name);
      const unsubscribe = (s: Unsubscribable): void => {
        try {
          s.unsubscribe();
        } catch (err) {
          log.push(`unsubscribe threw ${describeError(err)}`);
        }
      };

      const subscribe = (): Subscription => {
        switch (script.form) {
          case 'function':
            return source.subscribe(callback('next'));
          case 'callbacks':
            // eslint-disable-next-line @typescript-eslint/no-deprecated -- the deprecated form is still RxJS 7's to honour
            return source.subscribe(
              has('next') ? callback('next') : null,
              has('error') ? callback('error') : null,
              has('complete') ? callback('complete') : null,
            );
          case 'observer':
            return source.subscribe({
              ...(has('next') ? { next: callback('next') } : {}),
              ...(has('error') ? { error: callback('error') } : {}),
              ...(has('complete') ? { complete: callback('complete') } : {}),
            });
          case 'nothing':
            return source.subscribe();
        }
      };
      try {
        subscription = subscribe();
      } catch (err) {
        // A teardown that throws when run at once (the subscriber already closed) throws here.
        log.push(`subscribe threw ${describeError(err)}`);
        flush();
        return;
      }
      const parent = new Subscription();
      parent.add(subscription);
      log.push(`subscribed, closed ${String(subscription.closed)}`);

      for (const step of script.later) {
        if (step === 'unsubscribe') unsubscribe(subscription);
        else if (step === 'parentUnsubscribe') unsubscribe(parent);
        else if (step === 'add') subscription.add(() => log.push('added teardown'));
        else if (held !== undefined) sourceStep(held, step);
        log.push(`closed ${String(subscription.closed)}`);
      }
      flush();
    });
  } finally {
    config.onUnhandledError = previous.onUnhandledError;
    config.onStoppedNotification = previous.onStoppedNotification;
  }
  return log;
};

const direct = (start: (s: Subscriber<number>) => Unsubscribable | undefined): Observable<number> =>
  new Probe(start);
const plain = (start: (s: Subscriber<number>) => Unsubscribable | undefined): Observable<number> =>
  new Observable<number>((s) => start(s));

describe('DirectObservable', () => {
  it('looks to a consumer exactly like RxJS subscribing it, whatever the source and consumer do', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        expect(play(script, direct)).toEqual(play(script, plain));
      }),
      { numRuns: 2000 },
    );
  });

  it('reports a throwing callback and an unhandled error as unhandled, on a later turn', () => {
    const steps = script({ teardown: 'object', later: ['next', 'error'], throwAt: 0 });
    expect(play(steps, direct)).toEqual([
      'subscribed, closed false',
      'next 0',
      'closed false',
      'teardown, closed true',
      'closed true',
      'unhandled next callback failed',
      'unhandled source failed',
    ]);
  });

  it('runs the source teardown first, then what was added, and throws what they threw', () => {
    const steps = script({
      teardown: 'throwing',
      later: ['add', 'unsubscribe'],
      form: 'observer',
      callbacks: ['next'],
    });
    expect(play(steps, direct)).toEqual([
      'subscribed, closed false',
      'closed false',
      'teardown, closed true',
      'added teardown',
      'unsubscribe threw UnsubscriptionError: 1 errors occurred during unsubscription: [teardown failed]',
      'closed true',
    ]);
  });

  it('makes one ObserverSubscriber for a plain observer, and passes an operator subscriber on as it is', () => {
    const seen: unknown[] = [];
    const values: number[] = [];
    const probe = new Probe((s) => {
      seen.push(s);
      s.next(1);
      s.complete();
      return undefined;
    });
    const subscription = probe.subscribe((v) => values.push(v));
    probe.pipe(map((v) => v * 2)).subscribe((v) => values.push(v));
    expect(values).toEqual([1, 2]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(subscription);
    expect(seen[0]).toBeInstanceOf(ObserverSubscriber);
    expect(seen[1]).not.toBeInstanceOf(ObserverSubscriber);
  });

  it("takes RxJS's own path under its deprecated synchronous error handling", () => {
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the mode under test
    const previous = config.useDeprecatedSynchronousErrorHandling;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the mode under test
    config.useDeprecatedSynchronousErrorHandling = true;
    try {
      const throwing = (): void =>
        void new Probe((s) => {
          s.error(new Error('now'));
          return undefined;
        }).subscribe();
      expect(throwing).toThrow('now');
    } finally {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- restores it
      config.useDeprecatedSynchronousErrorHandling = previous;
    }
  });
});
