import {
  NEVER,
  Observable,
  Subject,
  type SchedulerLike,
  type Subscriber,
  type Subscription,
  type Unsubscribable,
} from 'rxjs';
import { ProgressError } from '../errors/ProgressError.js';
import { DirectObservable } from '../internal/DirectObservable.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { ProgressFailure } from '../errors/ProgressFailure.js';
import { DeadlineQueues, inertDeadline, type Deadline } from '../internal/Deadline.js';
import { DiagnosticCoalescer } from '../internal/DiagnosticCoalescer.js';
import { IndexedMap } from '../internal/IndexedMap.js';
import { inactiveToken, nonIncreasing, rateLimited } from '../internal/diagnostics.js';
import {
  CANCELLED_METHOD,
  cancelledRequestIdOf,
  responseIdOf,
  type RequestId,
} from '../internal/jsonRpc.js';
import { KeysView } from '../internal/KeysView.js';
import {
  argumentError,
  countOf,
  hasMethod,
  messageLimitOf,
  optionalDuration,
  throttleIntervalOf,
} from '../internal/options.js';
import { RecentSet } from '../internal/RecentSet.js';
import { retainShape } from '../internal/retainShape.js';
import type { TimerNode } from '../internal/TimerQueue.js';
import { TokenPipeline, type PipelineState } from '../internal/TokenPipeline.js';
import {
  explainProgressNotification,
  readProgressNotification,
} from '../wire/decodeProgressNotification.js';
import { classifyInvalid } from '../wire/describeDecodeFailure.js';
import { PROGRESS_METHOD } from '../wire/ProgressNotification.js';
import { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { previewValue } from '../wire/previewValue.js';
import { monotonicScheduler } from '../internal/monotonicScheduler.js';

/** Configuration of a {@link ProgressManager}. Every field is optional. */
export interface ProgressManagerConfig {
  /**
   * The most updates per second each tracked stream emits (leading and trailing throttle; the final
   * update is never delayed). `Infinity` turns throttling off. If not provided, defaults to `10`.
   */
  readonly maxUpdatesPerSecond?: number;
  /** The scheduler for throttle windows, timeouts and diagnostics. If not provided, defaults to `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`). */
  readonly scheduler?: SchedulerLike;
  /**
   * A tracked stream that receives no update for this many milliseconds errors with a
   * `STATE_ERROR` {@link ProgressFailure}; every update for its token restarts the clock.
   * `track` can override it per token. If not provided, defaults to no idle timeout.
   */
  readonly idleTimeoutMs?: number;
  /**
   * A hard cap on how long a tracked stream may last, on its own timer from subscription; reaching it
   * errors the stream with a `STATE_ERROR` {@link ProgressFailure}. `track` can override it per token.
   * If not provided, defaults to no cap.
   */
  readonly maxTotalTimeoutMs?: number;
  /**
   * Whether a `notifications/cancelled` in `messages$` whose `params.requestId` is a tracked
   * `requestId` completes that stream. Set it to `false` when `messages$` carries only what the peer
   * sends and the peer's own request ids could collide with yours (see docs/receiving.md). If not
   * provided, defaults to `true`.
   */
  readonly completeOnCancelled?: boolean;
  /** The window in which repeated diagnostics of one kind and token are coalesced. If not provided, defaults to `1000`. */
  readonly diagnosticsWindowMs?: number;
  /** How many kind-and-token keys the diagnostics coalescer remembers; past that, tokens share one key per kind. If not provided, defaults to `256`. */
  readonly maxDiagnosticKeys?: number;
  /** How many ended tokens are remembered, to word their late updates' diagnostics. If not provided, defaults to `1024`. */
  readonly maxCompletedTokens?: number;
  /**
   * The longest `message` passed on, in UTF-16 code units; a longer one is cut to this length,
   * ending in `…` (the update itself is kept). An integer >= 1, or `Infinity`. If not provided,
   * defaults to `1024`.
   */
  readonly maxMessageLength?: number;
}

/** Options of {@link ProgressManager.track}. Every field is optional. */
export interface TrackOptions {
  /**
   * The JSON-RPC id of the request that carries the token: its response (result or error), or a
   * `notifications/cancelled` for it, completes the stream. If not provided, defaults to none: the
   * stream completes on its final update, a timeout, or `dispose()`.
   */
  readonly requestId?: RequestId;
  /** Overrides the manager's `idleTimeoutMs` for this token. If not provided, defaults to the manager's. */
  readonly idleTimeoutMs?: number;
  /** Overrides the manager's `maxTotalTimeoutMs` for this token. If not provided, defaults to the manager's. */
  readonly maxTotalTimeoutMs?: number;
}

/** What `track` returns: a {@link DirectObservable} around its subscribe function. */
class TrackedStream extends DirectObservable<ProgressUpdate> {
  constructor(
    private readonly start: (subscriber: Subscriber<ProgressUpdate>) => Unsubscribable | undefined,
  ) {
    super();
  }

  attach(subscriber: Subscriber<ProgressUpdate>): Unsubscribable | undefined {
    return this.start(subscriber);
  }
}

/**
 * One tracked token. It is also the teardown of its subscription (an `Unsubscribable`), which saves
 * a closure and its context per token.
 *
 * The fields every update reads (`subscriber`, `last`, `idle`) come first, so that with the object's
 * header they share one cache line: at 100,000 tokens the first touch of this object is the main
 * cost of an update.
 */
class Tracked implements PipelineState, Unsubscribable {
  // `declare`: the fields are created by the constructor's assignments only. (Plain declarations
  // would, under ES2022 class-field semantics, first define each one as undefined: twice the stores.)
  /** The subscriber while the token is tracked; `undefined` once released. */
  declare subscriber: Subscriber<ProgressUpdate> | undefined;
  declare last: number | undefined;
  declare idle: Deadline<Tracked> | undefined;
  declare pendingProgress: number | undefined;
  declare pendingTotal: number | undefined;
  declare pendingMessage: string | undefined;
  declare timerPrev: TimerNode | undefined;
  declare timerNext: TimerNode | undefined;
  declare timerDue: number | undefined;
  declare hard: Deadline<Tracked> | undefined;
  declare readonly token: ProgressToken;
  declare readonly requestId: RequestId | undefined;
  declare private readonly owner: { release(state: Tracked): void };

  constructor(
    token: ProgressToken,
    subscriber: Subscriber<ProgressUpdate>,
    requestId: RequestId | undefined,
    owner: { release(state: Tracked): void },
  ) {
    // Assigned in declaration order: the order V8 lays the fields out in.
    this.subscriber = subscriber;
    this.last = undefined;
    this.idle = undefined;
    this.pendingProgress = undefined;
    this.pendingTotal = undefined;
    this.pendingMessage = undefined;
    this.timerPrev = undefined;
    this.timerNext = undefined;
    this.timerDue = undefined;
    this.hard = undefined;
    this.token = token;
    this.requestId = requestId;
    this.owner = owner;
  }

  emit(update: ProgressUpdate): void {
    this.subscriber?.next(update);
  }

  unsubscribe(): void {
    this.owner.release(this);
  }
}

type Phase = 'idle' | 'connected' | 'ended' | 'disposed';

let managers = 0;

/**
 * Tracks the progress of the requests you send: one shared subscription to the incoming messages,
 * one cold, clean stream per progress token.
 *
 * In plain words: make a token with `createToken()`, put it in your request's
 * `params._meta.progressToken`, and `track(token, { requestId })` gives its updates, strictly
 * increasing and at most `maxUpdatesPerSecond`, completing on the final update, on the response to
 * the request, or on its cancellation, with any held update emitted first.
 *
 * ```
 * messages$: --p1--p2-p3--x1--p4--R--|     pN: progress of our token, xN: unknown token, R: response
 *             manager.track(token, { requestId })
 * track:     --p1------p3-----p4--|        p2 replaced by p3 in the window; R completes the stream
 * errors$:   -------------x1--------|      INVALID_TOKEN for x1 (coalesced per token and kind)
 * ```
 *
 * `messages$` is subscribed once, when the first tracked stream or `errors$` is subscribed, and
 * shared by every token; each message costs one token lookup however many tokens are active. Its
 * completion completes every tracked stream (held updates first); its error errors them. Every
 * dropped or rejected input is reported on `errors$` exactly once, coalesced so that a flood of bad
 * input yields at most one diagnostic per kind and token per `diagnosticsWindowMs`, with a `count`.
 *
 * ## Examples
 * ```ts
 * import { ProgressManager } from 'rx-mcp-progress';
 *
 * const manager = new ProgressManager(incomingMessages$, { maxUpdatesPerSecond: 5, idleTimeoutMs: 30_000 });
 * const progressToken = manager.createToken();
 * manager.track(progressToken, { requestId: 42 }).subscribe((u) => console.log(u.progress, u.total));
 * transport.send({ jsonrpc: '2.0', id: 42, method: 'tools/call',
 *   params: { name: 'build', arguments: {}, _meta: { progressToken } } });
 * ```
 *
 * @see {@link trackProgress} for the operator form over every token a peer sends.
 */
export class ProgressManager {
  private readonly tokens = new IndexedMap<ProgressToken, Tracked>();
  private readonly requests = new IndexedMap<RequestId, Tracked>();
  private readonly ended: RecentSet<ProgressToken>;
  private readonly pipeline: TokenPipeline<Tracked>;
  private readonly deadlines: DeadlineQueues<Tracked>;
  private readonly coalescer: DiagnosticCoalescer;
  private readonly diagnostics = new Subject<ProgressErrorResult>();
  private readonly scheduler: SchedulerLike;
  private readonly rate: number;
  private readonly idleTimeoutMs: number | undefined;
  private readonly maxTotalTimeoutMs: number | undefined;
  private readonly completeOnCancelled: boolean;
  private readonly maxMessageLength: number;
  private readonly tokenPrefix: string;
  private tokenCount = 0;
  private phase: Phase = 'idle';
  private connection: Subscription | undefined = undefined;
  private sourceError: { readonly error: unknown } | undefined = undefined;
  private readonly releaser = {
    release: (state: Tracked): void => {
      this.release(state);
    },
  };

  /**
   * Diagnostics: every dropped or rejected input, coalesced per kind and token (see the class
   * description). Subscribing connects the manager to `messages$`. Completes on `dispose()` or when
   * `messages$` ends (a failure of `messages$` is reported here as a `STATE_ERROR` first, and errors
   * the tracked streams, never this one).
   */
  readonly errors$: Observable<ProgressErrorResult>;

  /** The tokens tracked now: a live, read-only view. */
  readonly activeTokens: ReadonlySet<ProgressToken>;

  /**
   * @param messages$ Every JSON-RPC message received from the peer (anything else is ignored). It is
   * subscribed once, lazily.
   * @param config See {@link ProgressManagerConfig}.
   * @throws RangeError when an option is out of range.
   * @throws TypeError when `messages$` has no `subscribe` method.
   */
  constructor(
    private readonly messages$: Observable<unknown>,
    config: ProgressManagerConfig = {},
  ) {
    if (!hasMethod(messages$, 'subscribe')) {
      throw argumentError(
        'ProgressManager',
        'messages$, an Observable of the received JSON-RPC messages',
        messages$,
      );
    }
    this.scheduler = config.scheduler ?? monotonicScheduler;
    this.rate = config.maxUpdatesPerSecond ?? 10;
    const interval = throttleIntervalOf(this.rate);
    this.idleTimeoutMs = optionalDuration(config.idleTimeoutMs, 'idleTimeoutMs');
    this.maxTotalTimeoutMs = optionalDuration(config.maxTotalTimeoutMs, 'maxTotalTimeoutMs');
    this.completeOnCancelled = config.completeOnCancelled ?? true;
    this.maxMessageLength = messageLimitOf(config.maxMessageLength);
    const windowMs = optionalDuration(config.diagnosticsWindowMs, 'diagnosticsWindowMs') ?? 1000;
    const maxKeys = countOf(config.maxDiagnosticKeys ?? 256, 'maxDiagnosticKeys');
    this.ended = new RecentSet(countOf(config.maxCompletedTokens ?? 1024, 'maxCompletedTokens'));
    this.tokenPrefix = `rxmp-${(++managers).toString(36)}${Math.random().toString(36).slice(2, 8)}-`;

    this.pipeline = new TokenPipeline<Tracked>(interval, this.scheduler, {
      nonIncreasing: (state, update, last) => {
        this.report(ProgressError.INVALID_PROGRESS, state.token, () => nonIncreasing(update, last));
      },
      superseded: (state) => {
        this.report(ProgressError.RATE_LIMIT, state.token, () =>
          rateLimited(state.token, this.rate),
        );
      },
      final: (state) => {
        this.finish(state);
      },
      drained: (state) => {
        this.finish(state);
      },
    });
    this.deadlines = new DeadlineQueues<Tracked>(this.scheduler, (state, deadline) => {
      this.timedOut(state, deadline);
    });
    this.coalescer = new DiagnosticCoalescer(this.scheduler, windowMs, maxKeys, (problem) => {
      this.diagnostics.next(problem);
    });
    this.activeTokens = new KeysView(this.tokens);
    this.errors$ = new Observable<ProgressErrorResult>((subscriber) => {
      const subscription = this.diagnostics.subscribe(subscriber);
      this.connect();
      return subscription;
    });
    // Last, so that the first manager a program makes is its manager number 1.
    retainShape(inertManager);
  }

  /**
   * A new progress token, unique among the tokens of this manager and never reused by it: a string
   * such as `"rxmp-1k3j9x-7"` (string tokens route end to end here).
   */
  createToken(): ProgressToken {
    return `${this.tokenPrefix}${String(++this.tokenCount)}`;
  }

  /**
   * The updates of one token, as {@link trackProgress} would give them for that token: strictly
   * increasing, throttled to `maxUpdatesPerSecond`, completing after the final update.
   *
   * Cold: subscribing registers the token as active (and connects the manager); unsubscribing, or
   * the stream's end, releases it, and later updates for it are dropped and reported. It also
   * completes on the response to `requestId`, on its cancellation, on `dispose()` and when
   * `messages$` completes (emitting any held update first), and errors on a timeout, when
   * `messages$` errors, or at once when the token is malformed (`INVALID_TOKEN`), already active,
   * its `requestId` already tracked, or the manager disposed or ended (`STATE_ERROR`).
   *
   * @param token The progress token put in the request's `params._meta.progressToken`.
   * @param options See {@link TrackOptions}.
   * @return A cold Observable of the token's updates.
   * @throws RangeError at once (not on subscription) when `idleTimeoutMs` or `maxTotalTimeoutMs` is
   * not a finite number of milliseconds > 0.
   */
  track(token: ProgressToken, options: TrackOptions = {}): Observable<ProgressUpdate> {
    const idleMs = optionalDuration(options.idleTimeoutMs, 'idleTimeoutMs') ?? this.idleTimeoutMs;
    const totalMs =
      optionalDuration(options.maxTotalTimeoutMs, 'maxTotalTimeoutMs') ?? this.maxTotalTimeoutMs;
    const { requestId } = options;
    return new TrackedStream((subscriber) => {
      const refusal = this.refusal(token, requestId);
      if (refusal !== undefined) {
        subscriber.error(refusal);
        return undefined;
      }
      const state = new Tracked(token, subscriber, requestId, this.releaser);
      this.tokens.set(token, state);
      if (requestId !== undefined) this.requests.set(requestId, state);
      this.ended.delete(token);
      if (idleMs !== undefined) state.idle = this.deadlines.start(state, idleMs);
      if (totalMs !== undefined) state.hard = this.deadlines.start(state, totalMs);
      this.connect();
      return state;
    });
  }

  /**
   * Completes every tracked stream (held updates first), emits the diagnostics still being counted,
   * completes `errors$`, cancels every timer and unsubscribes from `messages$`. Later `track` calls
   * error with `STATE_ERROR`. Calling it again does nothing.
   */
  dispose(): void {
    if (this.phase === 'disposed') return;
    this.end('disposed');
  }

  private refusal(token: unknown, requestId: RequestId | undefined): ProgressFailure | undefined {
    if (!ProgressToken.is(token)) {
      return new ProgressFailure(
        ProgressError.INVALID_TOKEN,
        `track: ${previewValue(token)} is not a progress token (a string or an integer)`,
        { progressToken: token },
      );
    }
    if (this.phase === 'disposed' || this.phase === 'ended') {
      const why =
        this.phase === 'disposed' ? 'the manager is disposed' : 'its messages$ stream has ended';
      return new ProgressFailure(
        ProgressError.STATE_ERROR,
        `track: cannot track token ${previewValue(token)}: ${why}`,
        { progressToken: token },
      );
    }
    if (this.tokens.has(token)) {
      return new ProgressFailure(
        ProgressError.STATE_ERROR,
        `track: token ${previewValue(token)} is already active; tokens must be unique across active requests`,
        { progressToken: token },
      );
    }
    if (requestId !== undefined && this.requests.has(requestId)) {
      return new ProgressFailure(
        ProgressError.STATE_ERROR,
        `track: request id ${previewValue(requestId)} is already tracked with another token`,
        { progressToken: token, requestId },
      );
    }
    return undefined;
  }

  private connect(): void {
    if (this.phase !== 'idle') return;
    this.phase = 'connected';
    const subscription = this.messages$.subscribe({
      next: (message) => {
        this.route(message);
      },
      error: (error: unknown) => {
        this.sourceError = { error };
        this.end('ended');
      },
      complete: () => {
        this.end('ended');
      },
    });
    // messages$ may have ended while subscribing.
    if ((this.phase as Phase) === 'connected') this.connection = subscription;
    else subscription.unsubscribe();
  }

  private route(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const method = (message as { method?: unknown }).method;
    if (method === PROGRESS_METHOD) {
      this.progress(message);
    } else if (method === undefined) {
      const id = responseIdOf(message);
      const state = id === undefined ? undefined : this.requests.get(id);
      if (state !== undefined) this.settle(state);
    } else if (method === CANCELLED_METHOD && this.completeOnCancelled) {
      const id = cancelledRequestIdOf(message);
      const state = id === undefined ? undefined : this.requests.get(id);
      if (state !== undefined) this.settle(state);
    }
  }

  private progress(message: object): void {
    const update = readProgressNotification(message, this.maxMessageLength);
    if (update === undefined) {
      this.invalid(message);
      return;
    }
    const state = this.tokens.get(update.progressToken);
    if (state === undefined) {
      this.inactive(update.progressToken);
      return;
    }
    state.idle?.restart();
    this.pipeline.accept(state, update);
  }

  // The two reports below are methods of their own, not closures in `progress`: a closure there
  // would make every call of `progress` allocate the context it captures, rejected or not.

  /** Reports a notification the codec rejected. */
  private invalid(message: object): void {
    const { error, progressToken } = classifyInvalid(message);
    this.report(error, progressToken, () => explainProgressNotification(message));
  }

  /** Reports an update for a token that is not tracked (any more). */
  private inactive(token: ProgressToken): void {
    const completed = this.ended.has(token);
    this.report(ProgressError.INVALID_TOKEN, token, () => inactiveToken(token, completed));
  }

  private report(
    kind: ProgressError,
    token: ProgressToken | undefined,
    build: () => ProgressErrorResult,
  ): void {
    this.coalescer.report(kind, token, build);
  }

  /** Completes a stream after its final update. */
  private finish(state: Tracked): void {
    this.release(state)?.complete();
  }

  /** Completes a stream that ended from outside (response, cancellation, end): held update first. */
  private settle(state: Tracked): void {
    if (state.subscriber === undefined) return;
    this.pipeline.flush(state);
    this.finish(state);
  }

  private timedOut(state: Tracked, deadline: Deadline<Tracked>): void {
    if (state.subscriber === undefined) return;
    const idle = deadline === state.idle;
    const ms = deadline.queue.length;
    this.pipeline.flush(state);
    this.release(state)?.error(
      new ProgressFailure(
        ProgressError.STATE_ERROR,
        idle
          ? `no progress for token ${previewValue(state.token)} in ${String(ms)} ms (idle timeout)`
          : `token ${previewValue(state.token)} ran for ${String(ms)} ms (total timeout)`,
        {
          progressToken: state.token,
          reason: idle ? 'idleTimeout' : 'totalTimeout',
          timeoutMs: ms,
        },
      ),
    );
  }

  /** Forgets a tracked token; returns its subscriber, or `undefined` if it was already released. */
  private release(state: Tracked): Subscriber<ProgressUpdate> | undefined {
    const subscriber = state.subscriber;
    if (subscriber === undefined) return undefined;
    state.subscriber = undefined;
    this.tokens.delete(state.token);
    // A request id is tracked by one token at a time (track refuses a second), so it is this one's.
    if (state.requestId !== undefined) this.requests.delete(state.requestId);
    this.pipeline.release(state);
    state.idle?.cancel();
    state.hard?.cancel();
    this.ended.add(state.token);
    return subscriber;
  }

  private end(phase: 'ended' | 'disposed'): void {
    const wasConnected = this.phase === 'connected';
    this.phase = phase;
    const failure = this.sourceError;
    const all = [...this.tokens.values()];
    for (const state of all) {
      if (state.subscriber === undefined) continue;
      this.pipeline.flush(state);
      const subscriber = this.release(state);
      if (failure === undefined) subscriber?.complete();
      else subscriber?.error(failure.error);
    }
    this.pipeline.clear();
    this.deadlines.clear();
    if (wasConnected) this.connection?.unsubscribe();
    this.connection = undefined;
    if (failure !== undefined) {
      this.report(ProgressError.STATE_ERROR, undefined, () => ({
        error: ProgressError.STATE_ERROR,
        message: `the messages$ stream failed: ${failure.error instanceof Error ? failure.error.message : previewValue(failure.error)}`,
        details: { cause: failure.error },
      }));
    }
    this.coalescer.flush();
    this.diagnostics.complete();
  }
}

/**
 * One inert manager over `NEVER`, tracking one token with a plain observer (its `Tracked`, its
 * stream and its `ObserverSubscriber`, and the manager's own parts), and a deadline: for
 * `retainShape`.
 */
const inertManager = (): object => {
  const manager = new ProgressManager(NEVER);
  const stream = manager.track(0);
  return [manager, stream, stream.subscribe({}), inertDeadline()];
};
