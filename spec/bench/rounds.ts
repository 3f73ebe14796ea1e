/**
 * The benchmark's rounds, for the scripts that play them with an instrument around the timed
 * passes (deopts.ts, perfPasses.ts); `npm run bench` itself times them with tinybench (main.ts).
 */
import type { Contender, Session } from './contenders.js';
import { cpuNowMs, readyHeap, settleForTiming } from './measure.js';
import { generateWorkload } from './workload.js';

/** One contender opened on the workload of one M. */
export interface RoundEntry {
  readonly id: string;
  readonly label: string;
  readonly m: number;
  readonly session: Session;
}

/**
 * Opens every contender on the workload of every M (generated once per M), M by M as the benchmark
 * does, each followed by `warmUpPasses` untimed passes.
 */
export const openEntries = async (
  contenders: readonly Contender[],
  counts: readonly number[],
  warmUpPasses = 0,
): Promise<RoundEntry[]> => {
  const entries: RoundEntry[] = [];
  for (const m of counts) {
    const workload = generateWorkload(m);
    for (const contender of contenders) {
      const session = await contender.open(workload, { sdkMessages: 0 });
      for (let i = 0; i < warmUpPasses; i++) {
        await session.prepare();
        await session.pass();
        await session.check();
      }
      entries.push({ id: contender.id, label: contender.label, m, session });
    }
  }
  return entries;
};

/** What a script does around each timed pass. */
export interface PassHooks {
  /** Just before the pass's clock starts (after its untimed setup). */
  before?(entry: RoundEntry, round: number): void;
  /** Just after it stops, with the pass's CPU ms (before the untimed check). */
  after?(entry: RoundEntry, round: number, ms: number): void;
}

/**
 * Plays `rounds` rounds over `entries` as the benchmark does: a full collection (and its sweeping)
 * before each round; for each entry, its untimed setup and `readyHeap`, the timed pass, its check.
 * Closes every session at the end.
 */
export const playRounds = async (
  entries: readonly RoundEntry[],
  rounds: number,
  hooks: PassHooks,
): Promise<void> => {
  for (let round = 0; round < rounds; round++) {
    await settleForTiming();
    for (const entry of entries) {
      await entry.session.prepare();
      await readyHeap();
      hooks.before?.(entry, round);
      const start = cpuNowMs();
      await entry.session.pass();
      const ms = cpuNowMs() - start;
      hooks.after?.(entry, round, ms);
      await entry.session.check();
    }
  }
  for (const entry of entries) await entry.session.close();
};
