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
 * Throttling off, M = 1, 10,000 and 100,000 by default (the workload of spec/bench/workload.ts), 14
 * rounds of which the first 2 warm up; CPU-time medians per pass, and the flat-scaling ratios (each M
 * against M = 1). The manager tracks its tokens before each pass (untimed); `trackProgress` makes
 * its groups inside the pass, each subscribed by the consumer in the outer `next`.
 */
import * as path from 'node:path';
import { Subject, type GroupedObservable, type Observable } from 'rxjs';
import { ProgressManager } from '../../src/manager/ProgressManager.js';
import { trackProgress } from '../../src/operators/trackProgress.js';
import type { ProgressToken } from '../../src/wire/ProgressToken.js';
import type { ProgressUpdate } from '../../src/wire/ProgressUpdate.js';
import { cpuNowMs, median } from './measure.js';
import { generateWorkload, tokenOf, type Workload } from './workload.js';

type Manager = typeof ProgressManager;
type Track = typeof trackProgress;

const ROUNDS = 14;
const WARM_UP = 2;
const observer = { next: (): void => undefined };
const gc = (globalThis as { gc?: (options: { type: 'minor' }) => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

interface Session {
  readonly checkout: string;
  readonly contender: 'ProgressManager' | 'trackProgress';
  readonly workload: Workload;
  /** Untimed: what the pass needs. */
  prepare(): void;
  /** Timed. */
  pass(): void;
  readonly ms: number[];
}

const managerSession = (checkout: string, Class: Manager, workload: Workload): Session => {
  const messages = new Subject<unknown>();
  const manager = new Class(messages, { maxUpdatesPerSecond: Infinity });
  return {
    checkout,
    contender: 'ProgressManager',
    workload,
    prepare: () => {
      for (let i = 0; i < workload.tokens; i++) {
        const token = tokenOf(i);
        manager.track(token, { requestId: token }).subscribe(observer);
      }
    },
    pass: () => {
      for (const message of workload.messages) messages.next(message);
      if (manager.activeTokens.size !== 0) throw new Error(`${checkout}: tokens left active`);
    },
    ms: [],
  };
};

const trackSession = (checkout: string, track: Track, workload: Workload): Session => {
  const messages = new Subject<unknown>();
  let groups = 0;
  const groups$: Observable<GroupedObservable<ProgressToken, ProgressUpdate>> = messages.pipe(
    track({ maxUpdatesPerSecond: Infinity, maxCompletedTokens: 0, maxActiveTokens: Infinity }),
  );
  groups$.subscribe((group) => {
    groups++;
    group.subscribe(observer);
  });
  return {
    checkout,
    contender: 'trackProgress',
    workload,
    prepare: () => {
      groups = 0;
    },
    pass: () => {
      for (const message of workload.messages) messages.next(message);
      if (groups !== workload.tokens) throw new Error(`${checkout}: ${String(groups)} groups`);
    },
    ms: [],
  };
};

const main = async (other: string, m: number[]): Promise<void> => {
  const load = async <T>(file: string, name: string): Promise<T> =>
    ((await import(path.resolve(other, file))) as Record<string, T>)[name];
  const before = {
    manager: await load<Manager>('src/manager/ProgressManager', 'ProgressManager'),
    track: await load<Track>('src/operators/trackProgress', 'trackProgress'),
  };
  const workloads = m.map((count) => generateWorkload(count));
  const checkouts = [
    ['this checkout', { manager: ProgressManager, track: trackProgress }],
    [other, before],
  ] as const;
  const sessions = checkouts.flatMap(([name, code]) =>
    workloads.flatMap((w) => [
      managerSession(name, code.manager, w),
      trackSession(name, code.track, w),
    ]),
  );

  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? sessions : [...sessions].reverse()) {
      s.prepare();
      gc({ type: 'minor' });
      const start = cpuNowMs();
      s.pass();
      if (round >= WARM_UP) s.ms.push(cpuNowMs() - start);
    }
  }

  for (const contender of ['ProgressManager', 'trackProgress'] as const) {
    for (const [name] of checkouts) {
      const ms = sessions
        .filter((s) => s.checkout === name && s.contender === contender)
        .map((s) => median(s.ms));
      const one = ms[0];
      console.log(
        `${contender}, ${name}: ${m.map((count, i) => `M = ${count.toLocaleString('en-US')} ${ms[i].toFixed(1)}`).join(', ')} ms per pass (medians); ` +
          `flat scaling ${ms
            .slice(1)
            .map((x) => (one / x).toFixed(3))
            .join(', ')}`,
      );
    }
  }
};

const other = process.argv.at(2);
if (other === undefined) {
  throw new Error('usage: compareCheckouts.ts <path of the other checkout> [M,M,...]');
}
const m = (process.argv.at(3) ?? '1,10000,100000').split(',').map(Number);
main(other, m).catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
