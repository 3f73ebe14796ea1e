import { Observable, Subject, type Observer, type SchedulerLike } from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { ProgressSender, senderSettingsOf } from '../internal/ProgressSender.js';
import type { ProgressNotification } from '../wire/ProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressInput } from './ProgressInput.js';
import { argumentError } from '../internal/options.js';

/** Configuration of a {@link ProgressReporter}. Every field is optional. */
export interface ProgressReporterConfig {
  /**
   * The sustained rate: the token bucket refills continuously at this many notifications per
   * second. A number > 0; `Infinity` turns rate limiting off. If not provided, defaults to `10`.
   */
  readonly maxUpdatesPerSecond?: number;
  /**
   * The bucket's capacity: how many notifications may go out back to back (the bucket starts full)
   * before the rate applies. An integer >= 1. If not provided, defaults to `10`.
   */
  readonly burst?: number;
  /**
   * The clock and timer of the bucket and of diagnostic windows, so that tests can run in virtual
   * time. If not provided, defaults to `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`).
   */
  readonly scheduler?: SchedulerLike;
  /**
   * The window, in milliseconds, in which repeated diagnostics of one kind are coalesced into one
   * carrying a `count` (the first is reported at once). If not provided, defaults to `1000`.
   */
  readonly diagnosticsWindowMs?: number;
  /**
   * The longest `message` sent, in UTF-16 code units; a longer one is cut to this length, ending in
   * `…` (the input itself is kept). An integer >= 1, or `Infinity`. If not provided, defaults to
   * `1024`.
   */
  readonly maxMessageLength?: number;
}

/**
 * Sends the progress of a long-running operation as valid, rate-limited, strictly increasing
 * `notifications/progress` messages, and never after the operation has completed.
 *
 * In plain words: feed it `{ progress, total?, message? }` as often as you like (or subscribe it to
 * an Observable); it sends at most `burst` notifications back to back, then at most
 * `maxUpdatesPerSecond`, keeping only the newest input while it waits, sends the final one at once,
 * and stops.
 *
 * ```
 * burst: 2, maxUpdatesPerSecond: 250 (a token every 4 ms), one character per ms:
 * next:    -abxdef-F--g      x: invalid (progress NaN); F: final (progress >= total)
 * send:    -ab--e--(F|)      a, b: the burst; d waits for a token and is replaced by e (latest wins);
 * errors$: ---i-------s      f waits and is replaced by F, which goes at once; |: closed.
 *                            i: INVALID_PROGRESS for x; s: STATE_ERROR for g, after closing
 * ```
 *
 * - Validation: `progress` must be a finite number >= 0 and greater than the last accepted input's
 *   (a first `0` is fine); `total`, when given, a finite number > 0; `message`, when given, a
 *   string. A rejected input sends nothing, is reported as `INVALID_PROGRESS`, and the reporter
 *   keeps working. Every rejected input is counted on `errors$`; repeats within
 *   `diagnosticsWindowMs` are coalesced into one diagnostic with a `count`.
 * - Rate control: a token bucket of capacity `burst`, starting full, refilling continuously at
 *   `maxUpdatesPerSecond`. While it is empty, inputs coalesce into one pending slot (latest wins),
 *   sent as soon as a token comes back; one timer waits for it, and none is left when nothing waits.
 *   Memory is constant however fast `next` is called, and the coalescing path allocates nothing.
 * - Backpressure: when `send` returns a promise, at most one send is in flight; inputs meanwhile
 *   coalesce into the same pending slot. Notifications leave in strictly increasing order.
 * - Completion: a final input (`total` defined, `progress >= total`) is sent without waiting for
 *   the bucket (it may exceed the rate by that one message) but after the in-flight send, replaces
 *   anything pending, and closes the reporter. `complete()` sends the pending input at once (after
 *   the in-flight send) and closes; `error(err)` drops it and closes. After closing, `next` sends
 *   nothing and reports `STATE_ERROR`; `complete()` and `error()` do nothing.
 * - Failure: a `send` that throws or rejects closes the reporter, reports `STATE_ERROR` with the cause
 *   in `details.cause`, and makes `done` reject with a {@link ProgressFailure}. It never becomes an
 *   unhandled rejection.
 * - No token (`undefined` or `null`: the request had no `_meta.progressToken`): the reporter
 *   validates, reports and closes exactly the same, but never calls `send`, so operation code never
 *   branches on it. A token that is neither absent nor a progress token (say `1.5`) is reported once
 *   as `INVALID_TOKEN` and treated as absent.
 *
 * Before returning an operation's result, do `reporter.complete(); await reporter.done;`: `done`
 * settles only after the last notification has been handed to `send` (and its promise has settled),
 * so no progress can arrive after the response.
 *
 * ## Examples
 * ```ts
 * import { ProgressReporter } from 'rx-mcp-progress';
 *
 * async function indexFiles(files: string[], progressToken: string | number | undefined) {
 *   const reporter = new ProgressReporter(progressToken, (n) => transport.send(n), { burst: 5 });
 *   reporter.errors$.subscribe((p) => console.warn(p.message));
 *   for (const [i, file] of files.entries()) {
 *     await index(file);
 *     reporter.next({ progress: i + 1, total: files.length, message: `indexed ${file}` });
 *   }
 *   reporter.complete();
 *   await reporter.done; // the last notification has gone out: now respond
 *   return { content: [{ type: 'text', text: `indexed ${files.length} files` }] };
 * }
 * ```
 *
 * Or subscribe it to a stream of inputs: `work$.subscribe(reporter)`.
 *
 * @see {@link toProgressNotifications} for the same behaviour as an operator.
 * @see docs/reporting.md for the bucket, coalescing and the final flush drawn as marble diagrams.
 */
export class ProgressReporter implements Observer<ProgressInput> {
  /**
   * The reporter's diagnostics: `INVALID_PROGRESS` for rejected inputs, `STATE_ERROR` for input
   * after closing and for a failed send, `INVALID_TOKEN` for a malformed token. Hot (subscribe before
   * feeding the reporter); repeats within `diagnosticsWindowMs` are coalesced with a `count`. It
   * never completes, since input after closing is reported here too.
   */
  readonly errors$: Observable<ProgressErrorResult>;

  /**
   * Settles once the reporter is closed (by a final input, `complete()`, `error()` or a failed send)
   * and every send it started has settled. Resolves, also after `error(err)` (the reporter did its
   * job: `err` is the operation's business), and rejects with a `STATE_ERROR`
   * {@link ProgressFailure} whose `details.cause` is the cause when a send failed. A rejection is
   * never unhandled, even if nobody awaits `done`.
   */
  readonly done: Promise<void>;

  private readonly sender: ProgressSender;

  /**
   * @param token The request's `params._meta.progressToken`; `undefined` (or `null`) when it has
   * none, and then nothing is ever sent.
   * @param send Hands one notification to the transport. It may return a promise: nothing else is
   * sent until it settles, and a rejection (or a throw) closes the reporter.
   * @param config See {@link ProgressReporterConfig}. If not provided, defaults to `{}` (10 per
   * second, bursts of 10, `monotonicScheduler`).
   * @throws RangeError naming the option when a config value is out of range.
   * @throws TypeError when `send` is not a function.
   */
  constructor(
    token: ProgressToken | undefined,
    send: (notification: ProgressNotification) => void | PromiseLike<void>,
    config: ProgressReporterConfig = {},
  ) {
    if (typeof send !== 'function') {
      throw argumentError('ProgressReporter', 'send, a function that sends one notification', send);
    }
    const settings = senderSettingsOf({
      ...config,
      diagnosticsWindowMs: config.diagnosticsWindowMs ?? DEFAULT_DIAGNOSTICS_WINDOW_MS,
    });
    const diagnostics = new Subject<ProgressErrorResult>();
    this.errors$ = diagnostics.asObservable();
    let settle: { resolve: () => void; reject: (reason: unknown) => void } | undefined;
    this.done = new Promise<void>((resolve, reject) => {
      settle = { resolve, reject };
    });
    // Mark the promise as handled: whoever awaits `done` still sees the rejection.
    this.done.catch(noop);
    this.sender = new ProgressSender(token, settings, {
      deliver: (notification) => send(notification),
      report: (problem) => {
        diagnostics.next(problem);
      },
      finished: (outcome) => {
        if (outcome.kind === 'failed') settle?.reject(outcome.failure);
        else settle?.resolve();
      },
    });
  }

  /** Whether the reporter no longer accepts input: after a final input, `complete()`, `error()` or a failed send. */
  get closed(): boolean {
    return this.sender.closed;
  }

  /**
   * Reports one progress step: validated, then sent now or kept as the one pending input (latest
   * wins) until the rate and the transport allow. A final input (`progress >= total`) closes the
   * reporter. Bound to the instance, so `tap(reporter.next)` works.
   */
  readonly next = (input: ProgressInput): void => {
    this.sender.next(input);
  };

  /** Ends the operation's progress: the pending input goes out at once, then the reporter closes. Bound to the instance. */
  readonly complete = (): void => {
    this.sender.complete();
  };

  /**
   * Ends the operation's progress because it failed: the pending input is dropped and the reporter
   * closes (`done` still resolves). Bound to the instance.
   *
   * @param err The operation's error. The reporter neither reports nor rethrows it: it only closes.
   */
  readonly error = (err: unknown): void => {
    this.sender.error(err);
  };
}

const noop = (): void => undefined;

const DEFAULT_DIAGNOSTICS_WINDOW_MS = 1000;
