/**
 * `ProgressManager.track` of this checkout against the one of another checkout, in one process, for
 * the same workloads in interleaved rounds (so that the machine's drift hits both alike): the way a
 * change to the receiving path is judged here (docs/decisions.md, "Performance").
 *
 * ```sh
 * git worktree add .tmp/before <revision>
 * node --expose-gc -r ./spec/bench/register.cjs spec/bench/compareManagers.ts .tmp/before
 * ```
 *
 * Throttling off, M = 1 and 10,000 (the workload of spec/bench/workload.ts), 16 rounds of which the
 * first 2 warm up; CPU-time medians per pass and the flat-scaling ratio of each.
 */
import * as path from 'node:path';
import { Subject } from 'rxjs';
import { ProgressManager } from '../../src/manager/ProgressManager.js';
import { cpuNowMs, median } from './measure.js';
import { generateWorkload, tokenOf } from './workload.js';

type Manager = typeof ProgressManager;

const M = [1, 10_000];
const ROUNDS = 16;
const WARM_UP = 2;
const observer = { next: (): void => undefined };
const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const main = async (other: string): Promise<void> => {
  const before = (
    (await import(path.resolve(other, 'src/manager/ProgressManager'))) as {
      readonly ProgressManager: Manager;
    }
  ).ProgressManager;
  const sessions = (
    [
      ['this checkout', ProgressManager],
      [other, before],
    ] as const
  ).flatMap(([name, Class]) =>
    M.map((m) => {
      const messages = new Subject<unknown>();
      return {
        name,
        workload: generateWorkload(m),
        messages,
        manager: new Class(messages, { maxUpdatesPerSecond: Infinity }),
        ms: [] as number[],
      };
    }),
  );

  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? sessions : [...sessions].reverse()) {
      for (let i = 0; i < s.workload.tokens; i++) {
        const token = tokenOf(i);
        s.manager.track(token, { requestId: token }).subscribe(observer);
      }
      gc({ type: 'minor' });
      const start = cpuNowMs();
      for (const message of s.workload.messages) s.messages.next(message);
      if (round >= WARM_UP) s.ms.push(cpuNowMs() - start);
      if (s.manager.activeTokens.size !== 0) throw new Error(`${s.name}: tokens left active`);
    }
  }

  for (const name of ['this checkout', other]) {
    const [one, many] = sessions.filter((s) => s.name === name).map((s) => median(s.ms));
    console.log(
      `${name}: M = 1 ${one.toFixed(1)} ms, M = 10,000 ${many.toFixed(1)} ms per pass (medians); ` +
        `flat scaling ${(one / many).toFixed(3)}`,
    );
  }
};

const other = process.argv.at(2);
if (other === undefined) throw new Error('usage: compareManagers.ts <path of the other checkout>');
main(other).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
