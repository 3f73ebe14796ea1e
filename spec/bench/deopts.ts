/**
 * How often V8 throws away the receiving path's optimised code while the benchmark runs: the
 * deoptimisations (`node --trace-deopt`) between one timed pass and the next, per contender and M.
 *
 * ```sh
 * node --expose-gc -r ./spec/bench/register.cjs spec/bench/deopts.ts [rounds] [M,M,...]
 * ```
 *
 * It runs itself again as a child with `--trace-deopt`, which plays the benchmark's rounds (a full
 * collection before each round, a young one before each pass, as `npm run bench` does) over the
 * throttle-off `ProgressManager` and `trackProgress` contenders of contenders.ts, and counts the
 * lines V8 prints for each pass: a function leaving optimised code ("bailout") or being marked for
 * it ("marking dependent code"), from the end of the previous pass to the end of this one (code
 * marked at the collection before a pass makes that pass start in slower code). Then, for the rounds
 * after the first two (warm-up), the events per pass: median and most.
 *
 * This is the measurement behind `retainShape` (docs/decisions.md, "Performance"): without it, every
 * pass after a full collection found the per-token classes' hidden classes gone.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managerTrack, trackProgressDirect } from './contenders.js';
import { median } from './measure.js';
import { openEntries, playRounds } from './rounds.js';

const WARM_UP = 2;
const PASS = '@@pass';
const END = '@@end';

/**
 * The child: the rounds, with a marker line around every timed pass, contender by contender (each
 * at every M in turn).
 */
const child = async (rounds: number, counts: readonly number[]): Promise<void> => {
  const contenders = [managerTrack(Infinity), trackProgressDirect(Infinity)];
  const entries = await openEntries(contenders, counts);
  const byContender = contenders.flatMap((c) => entries.filter((e) => e.id === c.id));
  await playRounds(byContender, rounds, {
    before: (e, round) => {
      console.log(`${PASS}\t${e.label}\t${String(e.m)}\t${String(round)}`);
    },
    after: (_e, _round, ms) => {
      console.log(`${END}\t${ms.toFixed(1)}`);
    },
  });
};

interface Pass {
  readonly label: string;
  readonly m: number;
  readonly round: number;
  readonly events: number;
  readonly ms: number;
}

/** Reads the child's output: one entry per pass. */
const passesIn = (output: string): Pass[] => {
  const passes: Pass[] = [];
  let events = 0;
  let current: Omit<Pass, 'events' | 'ms'> | undefined;
  for (const text of output.split('\n')) {
    const fields = text.split('\t');
    const tag = fields.at(0);
    if (tag === PASS) {
      current = { label: fields.at(1) ?? '', m: Number(fields.at(2)), round: Number(fields.at(3)) };
    } else if (tag === END && current !== undefined) {
      passes.push({ ...current, events, ms: Number(fields.at(1)) });
      events = 0;
      current = undefined;
    } else if (text.includes('[bailout (kind:') || text.includes('[marking dependent code')) {
      events++;
    }
  }
  return passes;
};

/**
 * Runs the child with its output going to a file, read once it has exited: V8 writes its trace
 * lines straight to the file descriptor, and through a pipe that is full they were lost or landed
 * out of order (a review: 19 of 100 arrived with a slow reader), which would read as fewer
 * deoptimisations than there were.
 */
const runChild = async (rounds: number, counts: readonly number[]): Promise<Pass[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'deopts-'));
  const file = join(dir, 'trace.txt');
  try {
    const fd = openSync(file, 'w');
    const code = await new Promise<number | null>((resolve, reject) => {
      const args = [
        '--expose-gc',
        '--trace-deopt',
        '-r',
        require.resolve('./register.cjs'),
        __filename,
        '--child',
        String(rounds),
        counts.join(','),
      ];
      const proc = spawn(process.execPath, args, { stdio: ['ignore', fd, 'inherit'] });
      proc.on('error', reject);
      proc.on('close', resolve);
    }).finally(() => {
      closeSync(fd);
    });
    if (code !== 0) throw new Error(`the child exited with ${String(code)}`);
    return passesIn(readFileSync(file, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const main = async (): Promise<void> => {
  const args = process.argv.slice(2);
  const isChild = args.at(0) === '--child';
  const rest = isChild ? args.slice(1) : args;
  const rounds = Number(rest.at(0) ?? 8);
  const counts = (rest.at(1) ?? '1,10000').split(',').map(Number);
  if (isChild) {
    await child(rounds, counts);
    return;
  }
  const passes = await runChild(rounds, counts);
  console.log(`deoptimisation events per pass, rounds ${WARM_UP + 1}-${rounds} (after warm-up):`);
  for (const label of [...new Set(passes.map((p) => p.label))]) {
    for (const m of counts) {
      const measured = passes.filter((p) => p.label === label && p.m === m && p.round >= WARM_UP);
      const events = measured.map((p) => p.events);
      console.log(
        `  ${label}, M = ${m.toLocaleString('en-US')}: median ${String(median(events))}, ` +
          `most ${String(Math.max(...events))}; pass ${median(measured.map((p) => p.ms)).toFixed(1)} ms CPU (median)`,
      );
    }
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
