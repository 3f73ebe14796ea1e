/**
 * Memory and completion at scale: N tokens (100,000) tracked at once.
 *
 * For each contender: heap after forced GC (`--expose-gc`, two full collections) before anything is
 * registered (the baseline: the contender's pipeline exists and is connected, and every message the
 * test will feed is already allocated), after registering the N tokens, after each token received
 * its first update (the active state), then the time to complete all N (a final update each, or a
 * response each), and the heap after completion against the baseline. Per-token figures are the
 * heap growth divided by N. The consumer's callbacks are shared functions, so what is measured is
 * what the library (or the SDK) keeps per token, not the consumer's closures.
 */
import { Subject } from 'rxjs';
import { ProgressManager, trackProgress } from '../../src/index.js';
import { pushAll, Tally } from './contenders.js';
import {
  cpuMsSince,
  cpuNowMs,
  drainMicrotasks,
  log,
  median,
  msSince,
  settledHeap,
  settleForTiming,
} from './measure.js';
import { connectSdkClient, feedSdk, sendSdkRequests } from './sdk.js';
import { progressMessage, responseMessage, tokenOf, type BenchMessage } from './workload.js';

/**
 * Settles the process (see `settleForTiming`), then runs `work` and returns its CPU and wall time in
 * milliseconds. A synchronous `work` is timed without an extra turn.
 */
const timedAfterSettling = async (
  work: () => void | Promise<void>,
): Promise<readonly [cpu: number, wall: number]> => {
  await settleForTiming();
  const wall = process.hrtime.bigint();
  const cpu = cpuNowMs();
  const pending = work();
  if (pending !== undefined) await pending;
  return [cpuMsSince(cpu), msSince(wall)];
};

/** Stands in for {@link settledHeap} in runs that only time the completion. */
const noProbe = (): number => NaN;

/** The figures of one contender. */
export interface MemoryResult {
  readonly label: string;
  /** The library's rows are checked against the targets; the hand loop and the SDK are for comparison. */
  readonly kind: 'library' | 'hand' | 'sdk';
  readonly tokens: number;
  /** How many times the completion was timed (its figures are medians; heap figures come from the first run). */
  readonly runs: number;
  /** heapUsed at the baseline, bytes. */
  readonly baselineBytes: number;
  /** Bytes per token once registered (before any update), if that phase exists. */
  readonly registeredPerToken: number | undefined;
  /** Bytes per token once each token has received its first update. */
  readonly activePerToken: number | undefined;
  /** CPU time to complete every token, ms. */
  readonly completeMs: number;
  /** Wall time to complete every token, ms. */
  readonly completeWallMs: number;
  /** How the tokens were completed: a final update each, or a response each. */
  readonly by: 'final' | 'response';
  /** The same, in words for the table (made by `result` from `by`). */
  readonly completedBy: string;
  /** heapUsed after completion minus the baseline, bytes. */
  readonly afterBytes: number;
  /** `afterBytes / baselineBytes`, as a percentage. */
  readonly afterPercent: number;
}

const expectEqual = (what: string, got: number, want: number): void => {
  if (got !== want) throw new Error(`memory: ${what} was ${got}, expected ${want}`);
};

interface Feeds {
  readonly firsts: readonly BenchMessage[];
  readonly finals: readonly BenchMessage[];
  readonly responses: readonly BenchMessage[];
}

const feedsFor = (n: number): Feeds => {
  const firsts: BenchMessage[] = [];
  const finals: BenchMessage[] = [];
  const responses: BenchMessage[] = [];
  for (let i = 0; i < n; i++) {
    firsts.push(progressMessage(tokenOf(i), 1));
    finals.push(progressMessage(tokenOf(i), 100));
    responses.push(responseMessage(tokenOf(i)));
  }
  return { firsts, finals, responses };
};

const result = (
  what: Pick<MemoryResult, 'label' | 'kind' | 'by'>,
  n: number,
  baseline: number,
  registered: number | undefined,
  active: number | undefined,
  completeMs: readonly [cpu: number, wall: number],
  after: number,
): MemoryResult => ({
  ...what,
  completedBy: what.by === 'final' ? 'a final update each' : 'a response each',
  tokens: n,
  runs: 1,
  baselineBytes: baseline,
  registeredPerToken: registered === undefined ? undefined : (registered - baseline) / n,
  activePerToken: active === undefined ? undefined : (active - baseline) / n,
  completeMs: completeMs[0],
  completeWallMs: completeMs[1],
  afterBytes: after - baseline,
  afterPercent: ((after - baseline) / baseline) * 100,
});

/** `ProgressManager.track` (default config: 10 updates/s) for N tokens, completed by `how`. */
const managerMemory = async (
  n: number,
  feeds: Feeds,
  how: 'final' | 'response',
  heap: boolean,
): Promise<MemoryResult> => {
  const probe = heap ? settledHeap : noProbe;
  const subject = new Subject<unknown>();
  const manager = new ProgressManager(subject);
  let diagnostics = 0;
  manager.errors$.subscribe(() => {
    diagnostics++;
  }); // connects the manager to messages$
  const c = new Tally();
  const baseline = probe();
  for (let i = 0; i < n; i++) {
    const token = tokenOf(i);
    manager.track(token, { requestId: token }).subscribe(c.observer);
  }
  const registered = probe();
  pushAll(subject, feeds.firsts);
  const active = probe();
  expectEqual('manager: active tokens', manager.activeTokens.size, n);
  const completeMs = await timedAfterSettling(() => {
    pushAll(subject, how === 'final' ? feeds.finals : feeds.responses);
  });
  const after = probe();
  expectEqual('manager: active tokens after completion', manager.activeTokens.size, 0);
  expectEqual('manager: completions', c.completes, n);
  expectEqual('manager: updates', c.updates, how === 'final' ? 2 * n : n);
  expectEqual('manager: final updates', c.finals, how === 'final' ? n : 0);
  expectEqual('manager: diagnostics', diagnostics, 0);
  manager.dispose();
  return result(
    {
      label: `ProgressManager.track (10/s)`,
      kind: 'library',
      by: how,
    },
    n,
    baseline,
    registered,
    active,
    completeMs,
    after,
  );
};

/** `trackProgress()` (default config) with N groups, each with one subscriber, completed by a final update. */
const trackProgressMemory = async (
  n: number,
  feeds: Feeds,
  heap: boolean,
): Promise<MemoryResult> => {
  const probe = heap ? settledHeap : noProbe;
  const subject = new Subject<unknown>();
  const c = new Tally();
  const subscription = subject
    .pipe(trackProgress({ maxActiveTokens: Infinity }))
    .subscribe((group) => {
      group.subscribe(c.observer);
    });
  const baseline = probe();
  pushAll(subject, feeds.firsts);
  const active = probe();
  const completeMs = await timedAfterSettling(() => {
    pushAll(subject, feeds.finals);
  });
  const after = probe();
  expectEqual('trackProgress: completions', c.completes, n);
  expectEqual('trackProgress: updates', c.updates, 2 * n);
  expectEqual('trackProgress: final updates', c.finals, n);
  subscription.unsubscribe();
  return result(
    {
      label: 'trackProgress (10/s), a subscriber per group',
      kind: 'library',
      by: 'final',
    },
    n,
    baseline,
    undefined,
    active,
    completeMs,
    after,
  );
};

/** The hand-written loop's state (`Map<token, last>`), for scale: N entries, deleted at total. */
const handMemory = async (n: number, feeds: Feeds): Promise<MemoryResult> => {
  const last = new Map<string | number, number>();
  const accept = (messages: readonly BenchMessage[]): void => {
    for (const m of messages) {
      if (!('method' in m) || m.method !== 'notifications/progress') continue;
      const { progressToken, progress, total } = m.params;
      const previous = last.get(progressToken);
      if (previous !== undefined && progress <= previous) continue;
      if (progress >= total) last.delete(progressToken);
      else last.set(progressToken, progress);
    }
  };
  const baseline = settledHeap();
  accept(feeds.firsts);
  const active = settledHeap();
  const completeMs = await timedAfterSettling(() => {
    accept(feeds.finals);
  });
  const after = settledHeap();
  expectEqual('hand loop: entries left', last.size, 0);
  return result(
    {
      label: 'hand-written loop (Map<token, last>)',
      kind: 'hand',
      by: 'final',
    },
    n,
    baseline,
    undefined,
    active,
    completeMs,
    after,
  );
};

/** The SDK `Client` with N pending requests (each with `onprogress`), completed by a response each. */
const sdkMemory = async (n: number, feeds: Feeds): Promise<MemoryResult> => {
  const session = await connectSdkClient();
  const baseline = settledHeap();
  const ids = sendSdkRequests(session, n, true, false);
  expectEqual('SDK: first request id', ids[0] ?? -1, tokenOf(0));
  await drainMicrotasks();
  const registered = settledHeap();
  const completeMs = await timedAfterSettling(async () => {
    await feedSdk(session, feeds.responses.slice(0, n));
  });
  const after = settledHeap();
  expectEqual('SDK: resolved requests', session.tally.resolved, n);
  expectEqual('SDK: errors', session.tally.errors, 0);
  await session.close();
  return result(
    {
      label: 'SDK Client (async, zod): pending request with onprogress',
      kind: 'sdk',
      by: 'response',
    },
    n,
    baseline,
    registered,
    undefined,
    completeMs,
    after,
  );
};

/** The first run's heap figures (the only ones measured) with the median completion times. */
const medianOf = (rs: readonly MemoryResult[]): MemoryResult => {
  if (rs.length === 0) throw new Error('memory: no result');
  const first = rs[0];
  return {
    ...first,
    runs: rs.length,
    completeMs: median(rs.map((r) => r.completeMs)),
    completeWallMs: median(rs.map((r) => r.completeWallMs)),
  };
};

/**
 * Runs every memory measurement with `tokens` tokens (the SDK with `sdkTokens` pending requests,
 * which may be fewer: its per-request figure does not depend on the count), and reports the heap
 * figures of the first run with the median completion times.
 */
export const runMemory = async (options: {
  readonly tokens: number;
  readonly sdkTokens: number;
  readonly runs: number;
  /** Whether to measure the manager completing by responses too. */
  readonly byResponse: boolean;
}): Promise<MemoryResult[]> => {
  const { tokens: n, sdkTokens, runs } = options;
  const feeds = feedsFor(n);
  // The library's rows are measured `runs` times (heap figures in the first run only: they do not
  // vary; the completion time does); the hand loop and the SDK, for comparison, once.
  const kinds: ((heap: boolean) => Promise<MemoryResult> | undefined)[] = [
    (heap) => (heap ? handMemory(n, feeds) : undefined),
    (heap) => managerMemory(n, feeds, 'final', heap),
    ...(options.byResponse ? [(heap: boolean) => managerMemory(n, feeds, 'response', heap)] : []),
    (heap) => trackProgressMemory(n, feeds, heap),
    (heap) => (heap ? sdkMemory(sdkTokens, feeds) : undefined),
  ];
  const results: MemoryResult[][] = kinds.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, make] of kinds.entries()) {
      const start = process.hrtime.bigint();
      const r = await make(run === 0);
      if (r === undefined) continue;
      log(`  ${r.label}, ${r.completedBy}: ${(msSince(start) / 1000).toFixed(1)} s`);
      results[i]?.push(r);
    }
  }
  return results.map(medianOf);
};
