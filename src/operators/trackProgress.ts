import {
  Observable,
  type GroupedObservable,
  type OperatorFunction,
  type SchedulerLike,
} from 'rxjs';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import { inactiveToken, nonIncreasing, tooManyTokens } from '../internal/diagnostics.js';
import { IndexedMap } from '../internal/IndexedMap.js';
import { isProgressMessage } from '../internal/jsonRpc.js';
import { countOf, limitOf, messageLimitOf, throttleIntervalOf } from '../internal/options.js';
import { inertGroup, ProgressGroup } from '../internal/ProgressGroup.js';
import { retainShape } from '../internal/retainShape.js';
import { RecentSet } from '../internal/RecentSet.js';
import { hasPending, TokenPipeline } from '../internal/TokenPipeline.js';
import {
  explainProgressNotification,
  readProgressNotification,
} from '../wire/decodeProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { monotonicScheduler } from '../internal/monotonicScheduler.js';

/** Options of {@link trackProgress}. */
export interface TrackProgressOptions {
  /**
   * The most updates per second each token's group emits (a throttle window of
   * `1000 / maxUpdatesPerSecond` ms, leading and trailing); the final update is never delayed.
   * `Infinity` turns throttling off. If not provided, defaults to `10`.
   */
  readonly maxUpdatesPerSecond?: number;
  /** The scheduler for the throttle windows. If not provided, defaults to `monotonicScheduler` (`asyncScheduler`'s timers against `performance.now()`). */
  readonly scheduler?: SchedulerLike;
  /**
   * Which tokens may start a group, asked once per new token. Updates for a token it rejects are
   * reported as `INVALID_TOKEN` and never allocate anything. If not provided, defaults to accepting
   * every token.
   */
  readonly isActive?: (token: ProgressToken) => boolean;
  /**
   * Called with each dropped input's diagnostic: malformed notifications, non-increasing progress,
   * updates for rejected or already completed tokens. If not provided, defaults to dropping them
   * silently.
   */
  readonly onError?: (problem: ProgressErrorResult) => void;
  /**
   * How many completed tokens are remembered, so that their late updates are reported instead of
   * starting a new group. The oldest is forgotten first. If not provided, defaults to `1024`.
   */
  readonly maxCompletedTokens?: number;
  /**
   * The most groups alive at once. An update for a new token beyond it is reported as
   * `INVALID_TOKEN` and allocates nothing, so a peer that invents tokens and never finishes them
   * cannot grow memory without bound. An integer >= 1, or `Infinity`. If not provided, defaults to
   * `10000`.
   */
  readonly maxActiveTokens?: number;
  /**
   * The longest `message` passed on, in UTF-16 code units; a longer one is cut to this length,
   * ending in `…` (the update itself is kept). An integer >= 1, or `Infinity`. If not provided,
   * defaults to `1024`.
   */
  readonly maxMessageLength?: number;
}

/**
 * Turns a stream of JSON-RPC messages into one clean progress stream per token.
 *
 * In plain words: progress notifications are picked out and decoded, grouped by progress token, and
 * each group is made strictly increasing, rate-limited and completed by its final update.
 *
 * ```
 * messages: --a1--b1-a2-a3-b5/5--a4/4-a9--|    a, b: tokens; bN/T: progress N of T
 *            trackProgress({ maxUpdatesPerSecond })
 * groups:   --A---B----------------------|
 * A:          a1------a3----------(a4/4|)      a2 waits for the window and is replaced by a3;
 * B:                 b1---(b5/5|)              a9 comes after A ended: reported, no new group
 * ```
 *
 * Per group this is `monotonicProgress`, then `throttleProgress(1000 / maxUpdatesPerSecond)`, then
 * `completeOnTotal`, and the groups behave like those of `groupBy` with a duration: a group's memory
 * is released when it completes, or when its last subscriber leaves, and a token whose group ended is
 * remembered (within `maxCompletedTokens`) so that its late updates are reported rather than starting
 * a new group. When the source completes, groups complete once their held update (if one is held) has gone out.
 * The operators are fused here (one token lookup per message, one timer for all throttle windows)
 * because the literal composition costs a subscription chain and a timer per token; `spec/` checks
 * with fast-check that both emit the same updates at the same times.
 *
 * Nothing a peer sends can error or complete the result; the source's error errors it and every
 * group.
 *
 * ## Examples
 * ```ts
 * import { mergeMap, map } from 'rxjs';
 * import { trackProgress } from 'rx-mcp-progress';
 *
 * messages$
 *   .pipe(
 *     trackProgress({ maxUpdatesPerSecond: 5, onError: (p) => console.warn(p.message) }),
 *     mergeMap((group) => group.pipe(map((u) => `${String(group.key)}: ${u.progress}/${u.total ?? '?'}`))),
 *   )
 *   .subscribe(console.log);
 * ```
 *
 * @see {@link ProgressManager} to track the tokens of requests you sent, with timeouts.
 * @param options See {@link TrackProgressOptions}; every field is optional.
 * @return A function that returns an Observable of per-token groups keyed by progress token.
 */
export function trackProgress(
  options: TrackProgressOptions = {},
): OperatorFunction<unknown, GroupedObservable<ProgressToken, ProgressUpdate>> {
  const interval = throttleIntervalOf(options.maxUpdatesPerSecond ?? 10);
  const maxCompleted = countOf(options.maxCompletedTokens ?? 1024, 'maxCompletedTokens');
  const maxActive = limitOf(options.maxActiveTokens ?? 10_000, 'maxActiveTokens');
  const maxMessageLength = messageLimitOf(options.maxMessageLength);
  const scheduler = options.scheduler ?? monotonicScheduler;
  const { isActive, onError } = options;
  retainShape(inertGroup);

  return (source) =>
    new Observable<GroupedObservable<ProgressToken, ProgressUpdate>>((subscriber) => {
      const groups = new IndexedMap<ProgressToken, ProgressGroup>();
      const ended = new RecentSet<ProgressToken>(maxCompleted);
      let groupSubscriptions = 0;
      let teardownAttempted = false;
      const status = { stopped: false };

      const report = (problem: ProgressErrorResult): void => {
        if (onError === undefined) return;
        try {
          onError(problem);
        } catch (err) {
          fail(err);
        }
      };

      const endGroup = (group: ProgressGroup): void => {
        pipeline.release(group);
        if (groups.get(group.token) === group) groups.delete(group.token);
        ended.add(group.token);
        group.complete();
      };

      const pipeline = new TokenPipeline<ProgressGroup>(interval, scheduler, {
        nonIncreasing: (_group, update, last) => {
          report(nonIncreasing(update, last));
        },
        superseded: () => undefined,
        final: endGroup,
        drained: endGroup,
      });

      const owner = {
        subscribed: () => {
          groupSubscriptions++;
        },
        unsubscribed: (group: ProgressGroup) => {
          groupSubscriptions--;
          // Nobody listens to this token any more: release it, and remember it as ended.
          if (!group.hasSubscribers && !group.ended) endGroup(group);
          if (groupSubscriptions === 0 && teardownAttempted) stop();
        },
      };

      const stop = (): void => {
        if (status.stopped) return;
        status.stopped = true;
        sourceSubscription?.unsubscribe();
        pipeline.clear();
        groups.clear();
      };

      const fail = (err: unknown): void => {
        const all = [...groups.values()];
        stop();
        for (const group of all) group.error(err);
        subscriber.error(err);
      };

      const onMessage = (message: unknown): void => {
        if (!isProgressMessage(message)) return;
        const update = readProgressNotification(message, maxMessageLength);
        if (update === undefined) {
          report(explainProgressNotification(message));
          return;
        }
        const token = update.progressToken;
        let group = groups.get(token);
        if (group === undefined) {
          if (teardownAttempted) return; // nobody can receive a new group
          if (ended.has(token)) {
            report(inactiveToken(token, true));
            return;
          }
          if (groups.size >= maxActive) {
            report(tooManyTokens(token, maxActive));
            return;
          }
          if (isActive !== undefined) {
            let active: boolean;
            try {
              active = isActive(token);
            } catch (err) {
              fail(err);
              return;
            }
            if (!active) {
              report(inactiveToken(token, false));
              return;
            }
          }
          group = new ProgressGroup(token, owner);
          groups.set(token, group);
          subscriber.next(group);
          if (group.ended || status.stopped) return; // its subscriber came and went at once
        }
        pipeline.accept(group, update);
      };

      let sourceSubscription: { unsubscribe(): void } | undefined = undefined;
      sourceSubscription = source.subscribe({
        next: onMessage,
        error: fail,
        complete: () => {
          pipeline.drain();
          for (const group of [...groups.values()]) {
            if (!hasPending(group)) endGroup(group);
          }
          subscriber.complete();
        },
      });
      if (status.stopped) sourceSubscription.unsubscribe();

      return () => {
        teardownAttempted = true;
        if (groupSubscriptions === 0) stop();
      };
    });
}
