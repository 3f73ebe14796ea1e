/**
 * The receiving contenders. Each one opens a session on a workload; a session prepares a pass
 * (untimed), runs it (timed: every message of the workload, or of a stated prefix), and checks what
 * the consumer received (untimed), so a contender that drops or duplicates updates fails the run
 * instead of looking fast.
 */
import {
  mergeMap,
  Subject,
  type GroupedObservable,
  type Observable,
  type Observer,
  type Subscription,
} from 'rxjs';
import {
  ProgressManager,
  trackProgress,
  type ProgressToken,
  type ProgressUpdate,
} from '../../src/index.js';
import { drainMicrotasks } from './measure.js';
import { connectSdkClient, feedSdk, sendSdkRequests, type SdkSession } from './sdk.js';
import { tokenOf, type BenchMessage, type Workload } from './workload.js';

/** How a contender's pass is configured by the run. */
export interface PassOptions {
  /** For the SDK: how many messages of the workload (a prefix) one pass feeds. */
  readonly sdkMessages: number;
}

/** One workload, opened by a contender. */
export interface Session {
  /** How many messages one pass processes (the rate's numerator). */
  readonly messageCount: number;
  /** A note for the table, e.g. that a prefix was used. */
  readonly note?: string;
  /** Whether `pass` returns a Promise. */
  readonly async: boolean;
  /** Untimed: fresh state for the next pass. */
  prepare(): void | Promise<void>;
  /** Timed: processes every message once. */
  pass(): void | Promise<void>;
  /** Untimed: throws if the consumer did not get what it should, and tears per-pass state down. */
  check(): void | Promise<void>;
  /** Releases whatever the session holds. */
  close(): void | Promise<void>;
}

/** A receiving contender. */
export interface Contender {
  /** Short id, for `--only` and `--profile`. */
  readonly id: string;
  /** Name in the table. */
  readonly label: string;
  /** Whether the library's targets apply to it. */
  readonly library: boolean;
  open(workload: Workload, options: PassOptions): Session | Promise<Session>;
}

/** What a consumer received (its observer is one shared object, whatever the number of tokens). */
export class Tally {
  updates = 0;
  finals = 0;
  completes = 0;
  sum = 0;

  reset(): void {
    this.updates = this.finals = this.completes = this.sum = 0;
  }

  readonly observer: Partial<Observer<ProgressUpdate>> = {
    next: (u) => {
      this.updates++;
      this.sum += u.progress;
      if (u.total !== undefined && u.progress >= u.total) this.finals++;
    },
    complete: () => {
      this.completes++;
    },
  };
}

const fail = (contender: string, what: string, got: number, want: number): never => {
  throw new Error(`${contender}: ${what} was ${got}, expected ${want}`);
};

const sameSum = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, b);

/**
 * Checks a tally: every token's final update arrived exactly once; with throttling off, every update
 * arrived; with throttling on, between one and all of them per token.
 */
const checkTally = (
  name: string,
  tally: Tally,
  w: Workload,
  throttled: boolean,
  completes: boolean,
): void => {
  if (tally.finals !== w.tokens) fail(name, 'final updates', tally.finals, w.tokens);
  if (completes && tally.completes !== w.tokens)
    fail(name, 'completions', tally.completes, w.tokens);
  if (!throttled) {
    if (tally.updates !== w.progressCount) fail(name, 'updates', tally.updates, w.progressCount);
    if (!sameSum(tally.sum, w.progressSum)) fail(name, 'progress sum', tally.sum, w.progressSum);
  } else if (tally.updates < w.tokens || tally.updates > w.progressCount) {
    fail(name, 'updates', tally.updates, w.progressCount);
  }
};

/** Feeds `messages` to `subject`, one `next` each. */
export const pushAll = (subject: Subject<unknown>, messages: readonly BenchMessage[]): void => {
  for (let i = 0; i < messages.length; i++) subject.next(messages[i]);
};

const rateLabel = (rate: number): string => (rate === Infinity ? 'throttle off' : `${rate}/s`);

/**
 * The hand-written loop of issue 6, the practical ceiling: shape check, `Map<token, last>`, strict
 * increase, delete at total. It checks what the codecs check (token a string or an integer; progress
 * finite and >= 0; total absent or finite and >= 0) and delivers each accepted update to a counter.
 */
export const handLoop: Contender = {
  id: 'hand',
  label: 'hand-written loop',
  library: false,
  open: (w) => {
    let updates = 0;
    let finals = 0;
    let sum = 0;
    const messages = w.messages as readonly unknown[];
    return {
      messageCount: messages.length,
      async: false,
      prepare: () => {
        updates = finals = sum = 0;
      },
      pass: () => {
        const last = new Map<string | number, number>();
        for (let i = 0; i < messages.length; i++) {
          const m = messages[i] as { method?: unknown; params?: unknown } | null;
          if (typeof m !== 'object' || m === null || m.method !== 'notifications/progress')
            continue;
          const params = m.params;
          if (typeof params !== 'object' || params === null) continue;
          const p = params as { progressToken?: unknown; progress?: unknown; total?: unknown };
          const token = p.progressToken;
          if (typeof token !== 'string' && !Number.isInteger(token)) continue;
          const progress = p.progress;
          if (typeof progress !== 'number' || !Number.isFinite(progress) || progress < 0) continue;
          const total = p.total;
          if (
            total !== undefined &&
            (typeof total !== 'number' || !(total >= 0 && total < Infinity))
          )
            continue;
          const key = token as string | number;
          const previous = last.get(key);
          if (previous !== undefined && progress <= previous) continue;
          updates++;
          sum += progress;
          if (total !== undefined && total > 0 && progress >= total) {
            finals++;
            last.delete(key);
          } else {
            last.set(key, progress);
          }
        }
      },
      check: () => {
        if (finals !== w.tokens) fail('hand loop', 'final updates', finals, w.tokens);
        if (updates !== w.progressCount) fail('hand loop', 'updates', updates, w.progressCount);
        if (!sameSum(sum, w.progressSum)) fail('hand loop', 'progress sum', sum, w.progressSum);
      },
      close: () => undefined,
    };
  },
};

/**
 * The library's pipelines live as long as their session (one M), as in an application: a pipeline
 * built afresh for every pass makes V8 throw away optimised code at every pass (code that inlined the
 * previous pipeline's closures is deoptimised, reason "weak objects", when they are collected), which
 * measured up to 4× slower passes than the steady state. So `trackProgress` runs with
 * `maxCompletedTokens: 0` (it forgets completed tokens, so that the same tokens make new groups in
 * the next pass; the bounded `RecentSet` of 1,024 completed tokens is then not updated), and the
 * manager tracks the M tokens again before each pass (untimed).
 */
const TRACK_OPTIONS = { maxCompletedTokens: 0, maxActiveTokens: Infinity } as const;

/** The receivers a library contender runs: this checkout's, or another's (compareCheckouts.ts). */
export interface Receivers {
  readonly ProgressManager: typeof ProgressManager;
  readonly trackProgress: typeof trackProgress;
}

const THIS_CHECKOUT: Receivers = { ProgressManager, trackProgress };

/**
 * A `trackProgress` pipeline over a Subject, built once: `consume` subscribes the consumer that
 * counts into the tally; a pass pushes the messages through.
 */
const trackProgressPipeline = (
  w: Workload,
  rate: number,
  name: string,
  groupsComplete: boolean,
  consume: (
    groups: Observable<GroupedObservable<ProgressToken, ProgressUpdate>>,
    tally: Tally,
  ) => Subscription,
  code: Receivers = THIS_CHECKOUT,
): Session => {
  const tally = new Tally();
  const subject = new Subject<unknown>();
  const subscription = consume(
    subject.pipe(code.trackProgress({ ...TRACK_OPTIONS, maxUpdatesPerSecond: rate })),
    tally,
  );
  return {
    messageCount: w.messages.length,
    async: false,
    prepare: () => {
      tally.reset();
    },
    pass: () => {
      pushAll(subject, w.messages);
    },
    check: () => {
      checkTally(name, tally, w, rate !== Infinity, groupsComplete);
    },
    close: () => {
      subscription.unsubscribe();
    },
  };
};

/** `trackProgress`, each group subscribed directly in the outer `next`. */
export const trackProgressDirect = (rate: number, code = THIS_CHECKOUT): Contender => ({
  id: rate === Infinity ? 'track' : 'track-default',
  label: `trackProgress (${rateLabel(rate)})`,
  library: true,
  open: (w) =>
    trackProgressPipeline(
      w,
      rate,
      'trackProgress',
      true,
      (groups, tally) =>
        groups.subscribe((group) => {
          group.subscribe(tally.observer);
        }),
      code,
    ),
});

/** `trackProgress` consumed with the common `mergeMap((group) => group)`, throttling off. */
export const trackProgressMergeMap: Contender = {
  id: 'track-mergemap',
  label: `trackProgress + mergeMap (${rateLabel(Infinity)})`,
  library: true,
  open: (w) =>
    trackProgressPipeline(w, Infinity, 'trackProgress + mergeMap', false, (groups, tally) =>
      groups.pipe(mergeMap((group) => group)).subscribe(tally.observer),
    ),
};

/** `ProgressManager.track` for all M tokens (with `requestId` = token), fed through a Subject. */
export const managerTrack = (rate: number, code = THIS_CHECKOUT): Contender => ({
  id: rate === Infinity ? 'manager' : 'manager-default',
  label: `ProgressManager.track (${rateLabel(rate)})`,
  library: true,
  open: (w) => {
    const tally = new Tally();
    const subject = new Subject<unknown>();
    const manager = new code.ProgressManager(subject, { maxUpdatesPerSecond: rate });
    return {
      messageCount: w.messages.length,
      async: false,
      prepare: () => {
        tally.reset();
        for (let i = 0; i < w.tokens; i++) {
          const token = tokenOf(i);
          manager.track(token, { requestId: token }).subscribe(tally.observer);
        }
      },
      pass: () => {
        pushAll(subject, w.messages);
      },
      check: () => {
        const active = manager.activeTokens.size;
        if (active !== 0) fail('ProgressManager', 'active tokens after the pass', active, 0);
        checkTally('ProgressManager', tally, w, rate !== Infinity, true);
      },
      close: () => {
        manager.dispose();
      },
    };
  },
});

/**
 * The official SDK `Client` with M requests in flight (progress token = message id) plus one request
 * per response in the fed prefix, over `InMemoryTransport`. A fresh client per pass (setup untimed),
 * because the SDK hands out request ids itself and the workload's ids are fixed.
 */
export const sdkClient: Contender = {
  id: 'sdk',
  label: 'SDK Client (zod, handler map)',
  library: false,
  open: (w, options) => {
    const count = Math.min(options.sdkMessages, w.messages.length);
    const messages = w.messages.slice(0, count);
    let progress = 0;
    let progressSum = 0;
    let responses = 0;
    for (const m of messages) {
      if ('method' in m && m.method === 'notifications/progress') {
        progress++;
        progressSum += m.params.progress;
      } else if ('id' in m) {
        responses++;
      }
    }
    let session: SdkSession | undefined;
    return {
      messageCount: count,
      note:
        count < w.messages.length
          ? `first ${count.toLocaleString('en-US')} messages of the same array`
          : undefined,
      async: true,
      prepare: async () => {
        await session?.close();
        session = await connectSdkClient();
        const ids = sendSdkRequests(session, w.tokens, true, true);
        if (ids[0] !== tokenOf(0)) fail('SDK', 'first request id', ids[0] ?? -1, tokenOf(0));
        const others = sendSdkRequests(session, responses, false, true);
        if (responses > 0 && others[0] !== w.responseIds[0]) {
          fail('SDK', 'first response id', others[0] ?? -1, w.responseIds[0] ?? -1);
        }
      },
      pass: async () => {
        if (session !== undefined) await feedSdk(session, messages);
      },
      check: async () => {
        if (session === undefined) return;
        // Let the resolved requests' result handlers run.
        await drainMicrotasks();
        const { tally } = session;
        if (tally.errors !== 0) fail('SDK', 'errors', tally.errors, 0);
        if (tally.progress !== progress) fail('SDK', 'onprogress calls', tally.progress, progress);
        if (!sameSum(tally.sum, progressSum)) fail('SDK', 'progress sum', tally.sum, progressSum);
        if (tally.resolved !== responses)
          fail('SDK', 'resolved requests', tally.resolved, responses);
        await session.close();
        session = undefined;
      },
      close: async () => {
        await session?.close();
      },
    };
  },
};

/** Every receiving contender, in table order. */
export const receivingContenders = (): Contender[] => [
  handLoop,
  trackProgressDirect(Infinity),
  trackProgressMergeMap,
  managerTrack(Infinity),
  trackProgressDirect(10),
  managerTrack(10),
  sdkClient,
];
