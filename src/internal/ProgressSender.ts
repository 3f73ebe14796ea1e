import { type SchedulerLike, type Subscription } from 'rxjs';
import { ProgressError } from '../errors/ProgressError.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { ProgressFailure } from '../errors/ProgressFailure.js';
import type { ProgressNotification } from '../wire/ProgressNotification.js';
import { ProgressToken } from '../wire/ProgressToken.js';
import { toProgressNotification } from '../wire/toProgressNotification.js';
import { truncateMessage } from '../wire/truncateMessage.js';
import { DiagnosticCoalescer } from './DiagnosticCoalescer.js';
import { messageLimitOf, optionalDuration } from './options.js';
import {
  afterClose,
  invalidField,
  invalidToken,
  notIncreasing,
  sendFailed,
  type ClosedReason,
} from './reporterDiagnostics.js';
import { tokenBucketOf, type TokenBucket } from './TokenBucket.js';
import { monotonicScheduler } from './monotonicScheduler.js';

/** The options the sending side shares (a structural subset of `ProgressReporterConfig`). @internal */
export interface SenderOptions {
  readonly maxUpdatesPerSecond?: number;
  readonly burst?: number;
  readonly scheduler?: SchedulerLike;
  readonly diagnosticsWindowMs?: number;
  readonly maxMessageLength?: number;
}

/** {@link SenderOptions}, checked, with their defaults. @internal */
export interface SenderSettings {
  readonly maxUpdatesPerSecond: number;
  readonly burst: number;
  readonly scheduler: SchedulerLike;
  /** The coalescing window of diagnostics; `undefined` hands every diagnostic over as it comes. */
  readonly diagnosticsWindowMs: number | undefined;
  /** The longest message sent; longer ones are cut (see `truncateMessage`). */
  readonly maxMessageLength: number;
}

/**
 * Checks the options of the sending side and fills in the defaults (`diagnosticsWindowMs` has none:
 * absent, diagnostics are not coalesced).
 *
 * @throws RangeError naming the option when a value is out of range.
 * @internal
 */
export const senderSettingsOf = (options: SenderOptions): SenderSettings => {
  const maxUpdatesPerSecond = options.maxUpdatesPerSecond ?? 10;
  const burst = options.burst ?? 10;
  tokenBucketOf(maxUpdatesPerSecond, burst); // validates both
  return {
    maxUpdatesPerSecond,
    burst,
    scheduler: options.scheduler ?? monotonicScheduler,
    diagnosticsWindowMs: optionalDuration(options.diagnosticsWindowMs, 'diagnosticsWindowMs'),
    maxMessageLength: messageLimitOf(options.maxMessageLength),
  };
};

/** One token, three kinds of diagnostic: a handful of coalescer keys is plenty. */
const MAX_DIAGNOSTIC_KEYS = 8;

/** How a sender ended. @internal */
export type SenderOutcome =
  | { readonly kind: 'completed' }
  | { readonly kind: 'errored'; readonly error: unknown }
  | { readonly kind: 'failed'; readonly failure: ProgressFailure };

/** Where a sender's notifications, diagnostics and end go. @internal */
export interface SenderHooks {
  /** Sends one notification; may return a promise, and then nothing else is sent until it settles. */
  readonly deliver: (notification: ProgressNotification) => void | PromiseLike<void>;
  /**
   * Receives the diagnostics, coalesced when the settings have a `diagnosticsWindowMs`; if not
   * provided, none are built.
   */
  readonly report: ((problem: ProgressErrorResult) => void) | undefined;
  /** Called once, when the sender is closed and every send it started has settled. */
  readonly finished: (outcome: SenderOutcome) => void;
}

type Fields = Partial<Record<'progress' | 'total' | 'message', unknown>>;

/**
 * The state machine of the sending side, shared by `ProgressReporter` (which delivers to a
 * transport) and `toProgressNotifications` (which delivers to a subscriber): validation, the token
 * bucket, the one pending slot, the one send in flight, and closing.
 *
 * - An accepted input goes out at once when no send is in flight, nothing is pending and the bucket
 *   has a token. Otherwise it takes the one pending slot (latest wins), and the slot is sent when the
 *   in-flight send settles and the bucket allows: one scheduled action waits for the bucket, and it
 *   is cancelled whenever the slot empties, so no timer outlives the need for it.
 * - The pending input is kept in primitive fields, not as the caller's object: the coalescing path
 *   of {@link next} allocates nothing, reads no clock, and is immune to a caller that reuses and
 *   mutates one input object. The wire message is built only when sending.
 * - A final input (`total` defined, `progress >= total`) and `complete()` close the sender; what is
 *   pending then goes out without waiting for the bucket, but still after the in-flight send.
 * - With no valid token nothing is stored or sent, but validation, diagnostics and closing are the
 *   same.
 *
 * @internal
 */
export class ProgressSender {
  /** The token to send with, or `undefined` for an inert sender. */
  private readonly token: ProgressToken | undefined;
  private tokenChecked: boolean;
  private readonly bucket: TokenBucket;
  private readonly scheduler: SchedulerLike;
  private readonly maxMessageLength: number;
  private readonly coalescer: DiagnosticCoalescer | undefined;

  /** The last accepted progress; -1 before the first (progress is never negative). */
  private last = -1;
  private hasPending = false;
  private pendingProgress = 0;
  private pendingTotal: number | undefined = undefined;
  private pendingMessage: string | undefined = undefined;

  private inFlight = false;
  private timer: Subscription | undefined = undefined;

  private closedReason: ClosedReason | undefined = undefined;
  private errorCause: { readonly error: unknown } | undefined = undefined;
  private failure: ProgressFailure | undefined = undefined;
  /** `finished` was called, or the sender was disposed: nothing more happens but diagnostics. */
  private ended = false;

  /**
   * @param rawToken The token as given: a progress token, `undefined`/`null` for none, or anything
   * else (reported once as `INVALID_TOKEN`, and then treated as none).
   * @param settings Checked options (see {@link senderSettingsOf}).
   * @param hooks Where notifications, diagnostics and the end go.
   */
  constructor(
    private readonly rawToken: unknown,
    settings: SenderSettings,
    private readonly hooks: SenderHooks,
  ) {
    this.token = ProgressToken.is(rawToken) ? rawToken : undefined;
    this.tokenChecked = this.token !== undefined || rawToken === undefined || rawToken === null;
    this.bucket = tokenBucketOf(settings.maxUpdatesPerSecond, settings.burst);
    this.scheduler = settings.scheduler;
    this.maxMessageLength = settings.maxMessageLength;
    const { report } = hooks;
    const windowMs = settings.diagnosticsWindowMs;
    this.coalescer =
      report === undefined || windowMs === undefined
        ? undefined
        : new DiagnosticCoalescer(settings.scheduler, windowMs, MAX_DIAGNOSTIC_KEYS, report);
  }

  /** Whether the sender no longer accepts input. */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Validates one input and sends it now, or keeps it as the pending one (latest wins). */
  next(input: unknown): void {
    if (!this.tokenChecked) {
      this.reportToken();
      // A report hook that throws disposes the sender (the operator's output errors): stop here.
      if (this.ended) return;
    }
    const reason = this.closedReason;
    if (reason !== undefined) {
      const token = this.rawToken;
      this.report(ProgressError.STATE_ERROR, () => afterClose(token, input, reason));
      return;
    }
    if (typeof input !== 'object' || input === null) {
      this.invalid('input', input, 'an object with a progress number');
      return;
    }
    const { progress, total, message } = input as Fields;
    if (typeof progress !== 'number' || !(progress >= 0) || progress === Infinity) {
      this.invalid('progress', progress, 'a finite number >= 0');
      return;
    }
    if (total !== undefined && (typeof total !== 'number' || !(total > 0) || total === Infinity)) {
      this.invalid('total', total, 'a finite number > 0');
      return;
    }
    if (message !== undefined && typeof message !== 'string') {
      this.invalid('message', message, 'a string');
      return;
    }
    const last = this.last;
    if (progress <= last) {
      const token = this.rawToken;
      this.report(ProgressError.INVALID_PROGRESS, () => notIncreasing(token, progress, last));
      return;
    }
    this.last = progress;
    const final = total !== undefined && progress >= total;
    if (final) this.closedReason = 'completed';
    if (this.token === undefined) {
      if (final) this.maybeFinish();
      return;
    }
    this.hasPending = true;
    this.pendingProgress = progress;
    this.pendingTotal = total;
    this.pendingMessage = message;
    if (final) {
      this.disarm();
      this.pump(false);
    } else if (!this.inFlight && this.timer === undefined) {
      this.pump(false);
    }
  }

  /** Closes: the pending input goes out at once (after the in-flight send, if any). */
  complete(): void {
    if (!this.tokenChecked) this.reportToken();
    if (this.closedReason !== undefined) return;
    this.closedReason = 'completed';
    this.disarm();
    this.pump(false);
  }

  /** Closes: the pending input is dropped. */
  error(error: unknown): void {
    if (!this.tokenChecked) this.reportToken();
    if (this.closedReason !== undefined) return;
    this.closedReason = 'errored';
    this.errorCause = { error };
    this.dropPending();
    this.maybeFinish();
  }

  /**
   * Stops everything at once (the subscriber of the operator left): drops the pending input, cancels
   * the timer, emits the diagnostics still being counted. `finished` is not called.
   */
  dispose(): void {
    this.closedReason ??= 'completed';
    this.ended = true;
    this.dropPending();
    this.coalescer?.flush();
  }

  /** Sends what is pending while the bucket and the in-flight send allow, then checks for the end. */
  private pump(granted: boolean): void {
    while (this.hasPending && !this.inFlight && !this.ended) {
      if (this.closedReason === undefined && !this.bucket.unlimited) {
        const now = this.scheduler.now();
        if (granted) {
          // The timer was set for the moment a token is available: take it even if the clock
          // reads a hair early (take() counts from the bucket's own schedule, not from now).
          this.bucket.take(now);
          granted = false;
        } else {
          const wait = this.bucket.wait(now);
          if (wait > 0) {
            this.arm(wait);
            return;
          }
          this.bucket.take(now);
        }
      }
      this.sendPending();
    }
    this.maybeFinish();
  }

  private sendPending(): void {
    const token = this.token;
    this.hasPending = false;
    if (token === undefined) return;
    const notification = toProgressNotification({
      progressToken: token,
      progress: this.pendingProgress,
      total: this.pendingTotal,
      message:
        this.pendingMessage === undefined
          ? undefined
          : truncateMessage(this.pendingMessage, this.maxMessageLength),
    });
    this.pendingTotal = undefined;
    this.pendingMessage = undefined;
    this.inFlight = true;
    let result: void | PromiseLike<void>;
    let thenable: boolean;
    try {
      result = this.hooks.deliver(notification);
      // Inside the try: reading `then` runs a getter, and a getter may throw.
      thenable = isPromiseLike(result);
    } catch (err) {
      this.inFlight = false;
      this.fail(err);
      return;
    }
    if (thenable) {
      // Promise.resolve adopts any thenable, calls back once, and turns a throwing `then` into a
      // rejection; the handlers never throw, so the chain cannot end in an unhandled rejection.
      Promise.resolve(result).then(this.settled, this.rejected);
    } else {
      this.inFlight = false;
    }
  }

  private readonly settled = (): void => {
    this.inFlight = false;
    this.pump(false);
  };

  private readonly rejected = (err: unknown): void => {
    this.inFlight = false;
    this.fail(err);
  };

  private fail(cause: unknown): void {
    if (this.ended) return;
    const problem = sendFailed(this.rawToken, cause);
    this.failure = ProgressFailure.from(problem);
    this.closedReason = 'failed';
    this.dropPending();
    this.report(ProgressError.STATE_ERROR, () => problem);
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.ended || this.closedReason === undefined || this.inFlight || this.hasPending) return;
    this.ended = true;
    this.disarm();
    this.coalescer?.flush();
    const { failure, errorCause } = this;
    this.hooks.finished(
      failure !== undefined
        ? { kind: 'failed', failure }
        : errorCause !== undefined
          ? { kind: 'errored', error: errorCause.error }
          : { kind: 'completed' },
    );
  }

  private dropPending(): void {
    this.hasPending = false;
    this.pendingTotal = undefined;
    this.pendingMessage = undefined;
    this.disarm();
  }

  private arm(wait: number): void {
    this.timer = this.scheduler.schedule(this.fire, wait);
  }

  private disarm(): void {
    if (this.timer === undefined) return;
    this.timer.unsubscribe();
    this.timer = undefined;
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.pump(true);
  };

  private invalid(
    field: 'input' | 'progress' | 'total' | 'message',
    value: unknown,
    expected: string,
  ): void {
    const token = this.rawToken;
    this.report(ProgressError.INVALID_PROGRESS, () => invalidField(token, field, value, expected));
  }

  private reportToken(): void {
    this.tokenChecked = true;
    const token = this.rawToken;
    this.report(ProgressError.INVALID_TOKEN, () => invalidToken(token));
  }

  private report(kind: ProgressError, build: () => ProgressErrorResult): void {
    if (this.coalescer !== undefined) this.coalescer.report(kind, this.token, build);
    else this.hooks.report?.(build());
  }
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';
