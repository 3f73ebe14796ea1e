import type { SchedulerLike } from 'rxjs';
import { progressUpdate } from '../wire/decodeProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { isFinalUpdate } from '../wire/isFinalUpdate.js';
import { isQueued, TimerQueue, type TimerNode } from './TimerQueue.js';

/**
 * The state the fused receiving pipeline keeps per token: the last accepted progress, at most one
 * pending (throttled) update, the links of its throttle window, and where updates go.
 *
 * The pending update is kept as its fields, not as the update object: a token's state lives long
 * (in the old generation, once the young collector has moved it), an update held in a window
 * outlives a young collection or two, and every such object would be copied by the collector and
 * remembered as an old-to-young pointer. Its `progress` and `total` are small integers stored in the
 * fields themselves in the usual case. The update goes out as a new object made by
 * `progressUpdate`, like every update the receiving side emits.
 *
 * @internal
 */
export interface PipelineState extends TimerNode {
  readonly token: ProgressToken;
  /**
   * The last accepted progress; `undefined` before the first. (Not a number sentinel: V8 then keeps
   * the field tagged, so an integer progress is stored inline, with no boxed double per token.)
   */
  last: number | undefined;
  /** The `progress` of the update held back by the throttle window; `undefined` when none is. */
  pendingProgress: number | undefined;
  /** The held update's `total` (`undefined` when unknown, or when none is held). */
  pendingTotal: number | undefined;
  /** The held update's `message` (`undefined` when it has none, or when none is held). */
  pendingMessage: string | undefined;
  /** Delivers an update downstream. */
  emit(update: ProgressUpdate): void;
}

/**
 * `value`, as a small integer when it is one. An update's `progress` may sit in a boxed double even
 * when it is 3 (V8 gives an object-literal field a double box once any update had a fraction), and
 * copying it into the tagged `last` field would then allocate a box per token; `value | 0` is an
 * int32, stored inline.
 */
const smallIntegerOrSelf = (value: number): number => ((value | 0) === value ? value | 0 : value);

/** Whether a state holds an update back. @internal */
export const hasPending = (state: PipelineState): boolean => state.pendingProgress !== undefined;

/**
 * Holds `update` back as `state`'s pending update (replacing any); `progress` is its `progress`,
 * already made a small integer where it is one (as `accept` stores it in `last`).
 */
const hold = (state: PipelineState, progress: number, update: ProgressUpdate): void => {
  state.pendingProgress = progress;
  const total = update.total;
  state.pendingTotal = total === undefined ? undefined : smallIntegerOrSelf(total);
  state.pendingMessage = update.message;
};

/** Forgets `state`'s pending update. */
const forget = (state: PipelineState): void => {
  state.pendingProgress = state.pendingTotal = undefined;
  state.pendingMessage = undefined;
};

/** `state`'s pending update, taken out of it; `undefined` when none is held. */
const takePending = (state: PipelineState): ProgressUpdate | undefined => {
  const progress = state.pendingProgress;
  if (progress === undefined) return undefined;
  const update = progressUpdate(state.token, progress, state.pendingTotal, state.pendingMessage);
  forget(state);
  return update;
};

/** What the pipeline tells its owner. @internal */
export interface TokenPipelineHooks<S extends PipelineState> {
  /** An update did not increase the token's progress (`last`) and was dropped. */
  nonIncreasing(state: S, update: ProgressUpdate, last: number): void;
  /** A pending update was replaced by a newer one inside a throttle window (the peer is over the rate). */
  superseded(state: S): void;
  /** The token's final update has been emitted; the state has left the throttle queue. */
  final(state: S): void;
  /** While draining, a state's last pending update has been emitted at the end of its window. */
  drained(state: S): void;
}

/**
 * `monotonicProgress`, `throttleProgress` and `completeOnTotal` fused into one step per update, for
 * any number of tokens, with one timer for all throttle windows (see {@link TimerQueue}).
 *
 * Per update: a progress that is not greater than the last accepted one is dropped; a final update
 * (`progress >= total`) is emitted at once, replacing any pending one; otherwise the update is emitted
 * at once when the token has no open window (leading edge, opening one), or kept as the pending update
 * (latest wins) to be emitted when the window ends (trailing edge, opening the next window). This is
 * `throttleTime(interval, scheduler, { leading: true, trailing: true })` per token.
 *
 * @internal
 */
export class TokenPipeline<S extends PipelineState> {
  private readonly windows: TimerQueue<S> | undefined;
  private draining = false;

  /**
   * @param intervalMs The throttle window; 0 turns throttling off.
   * @param scheduler The clock and timer of the windows.
   * @param hooks What the owner is told.
   */
  constructor(
    intervalMs: number,
    scheduler: SchedulerLike,
    private readonly hooks: TokenPipelineHooks<S>,
  ) {
    this.windows =
      intervalMs > 0 ? new TimerQueue<S>(scheduler, intervalMs, this.windowEnded) : undefined;
  }

  /** Runs one decoded update of `state`'s token through the pipeline. */
  accept(state: S, update: ProgressUpdate): void {
    const last = state.last;
    if (last !== undefined && update.progress <= last) {
      this.hooks.nonIncreasing(state, update, last);
      return;
    }
    const progress = smallIntegerOrSelf(update.progress);
    state.last = progress;
    const windows = this.windows;
    if (isFinalUpdate(update)) {
      // A held update the final one replaces is dropped by the rate limit like any superseded one,
      // and reported once the final update is out and the stream ended: the report runs the
      // owner's code (a subscriber of the manager's `errors$` may end the stream re-entrantly),
      // which must not come between the final update and its consumer.
      const replaced = hasPending(state);
      if (replaced) forget(state);
      if (windows !== undefined) windows.remove(state);
      state.emit(update);
      this.hooks.final(state);
      if (replaced) this.hooks.superseded(state);
    } else if (windows === undefined) {
      state.emit(update);
    } else if (isQueued(state)) {
      const superseded = hasPending(state);
      hold(state, progress, update);
      if (superseded) this.hooks.superseded(state);
    } else {
      windows.push(state);
      state.emit(update);
    }
  }

  /** Emits the pending update now, if any, and closes the token's window. */
  flush(state: S): void {
    this.windows?.remove(state);
    const pending = takePending(state);
    if (pending !== undefined) state.emit(pending);
  }

  /** Forgets the token's pending update and closes its window. */
  release(state: S): void {
    this.windows?.remove(state);
    forget(state);
  }

  /**
   * From now on a window that ends emits its pending update and reports `drained` instead of opening
   * a new window (what `throttleTime` does once its source has completed).
   */
  drain(): void {
    this.draining = true;
  }

  /** Closes every window and cancels the timer. */
  clear(): void {
    this.windows?.clear();
  }

  private readonly windowEnded = (state: S): void => {
    const pending = takePending(state);
    if (pending === undefined) return;
    if (this.draining) {
      state.emit(pending);
      this.hooks.drained(state);
    } else {
      // Open the next window before emitting: the subscriber may release the token re-entrantly.
      this.windows?.push(state);
      state.emit(pending);
    }
  };
}
