/**
 * `ProgressManager.track` and `trackProgress` of this checkout against those of another checkout, in
 * one process, for the same workloads in interleaved rounds (so that the machine's drift hits both
 * alike): the way a change to the receiving path is judged here (docs/decisions.md, "Performance").
 *
 * ```sh
 * git worktree add .tmp/before <revision>     # and: ln -s "$PWD/node_modules" .tmp/before/node_modules
 * node --expose-gc -r ./spec/bench/register.cjs spec/bench/compareCheckouts.ts .tmp/before [M,M,...]
 * ```
 *
 * The benchmark's own contenders (contenders.ts: `manager` and `track`, throttling off), each built
 * on either checkout's receivers, so every pass is checked as in `npm run bench` (a checkout that
 * loses updates fails instead of looking fast). M = 1, 10,000 and 100,000 by default (the workload
 * of workload.ts); 14 rounds of which the first 2 warm up; CPU-time medians per pass, and the
 * flat-scaling ratios (each M against M = 1).
 */
import * as path from 'node:path';
import { managerTrack, trackProgressDirect, type Receivers, type Session } from './contenders.js';
import { cpuNowMs, median, readyHeap } from './measure.js';
import { generateWorkload } from './workload.js';

const ROUNDS = 14;
const WARM_UP = 2;

const main = async (other: string, m: readonly number[]): Promise<void> => {
  const load = async <K extends keyof Receivers>(file: string, name: K): Promise<Receivers[K]> =>
    ((await import(path.resolve(other, file))) as Receivers)[name];
  const before: Receivers = {
    ProgressManager: await load('src/manager/ProgressManager', 'ProgressManager'),
    trackProgress: await load('src/operators/trackProgress', 'trackProgress'),
  };
  const workloads = m.map((count) => generateWorkload(count));
  const rows: { label: string; sessions: Session[]; ms: number[][] }[] = [];
  for (const checkout of ['this checkout', other]) {
    const code = checkout === other ? before : undefined;
    for (const contender of [managerTrack(Infinity, code), trackProgressDirect(Infinity, code)]) {
      const sessions: Session[] = [];
      for (const w of workloads) sessions.push(await contender.open(w, { sdkMessages: 0 }));
      rows.push({ label: `${contender.label}, ${checkout}`, sessions, ms: m.map(() => []) });
    }
  }

  for (let round = 0; round < ROUNDS; round++) {
    for (const row of round % 2 === 0 ? rows : [...rows].reverse()) {
      for (const [i, session] of row.sessions.entries()) {
        await session.prepare();
        await readyHeap();
        const start = cpuNowMs();
        await session.pass();
        const ms = cpuNowMs() - start;
        await session.check();
        if (round >= WARM_UP) row.ms[i]?.push(ms);
      }
    }
  }

  for (const row of rows) {
    const ms = row.ms.map(median);
    const one = ms[0] ?? NaN;
    console.log(
      `${row.label}: ${m.map((count, i) => `M = ${count.toLocaleString('en-US')} ${(ms[i] ?? NaN).toFixed(1)}`).join(', ')} ms per pass (medians); ` +
        `flat scaling ${ms
          .slice(1)
          .map((x) => (one / x).toFixed(3))
          .join(', ')}`,
    );
  }
  for (const row of rows) for (const session of row.sessions) await session.close();
};

const other = process.argv.at(2);
if (other === undefined) {
  throw new Error('usage: compareCheckouts.ts <path of the other checkout> [M,M,...]');
}
main(other, (process.argv.at(3) ?? '1,10000,100000').split(',').map(Number)).catch(
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
