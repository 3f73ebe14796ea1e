/**
 * Drives `perf record` so that it samples only the timed passes of one contender at one M, while
 * every other contender runs as in `npm run bench` (so the compiled code is what the benchmark's
 * mix makes of it). See spec/bench/README.md, "Instruction-level profiles with perf".
 *
 * ```sh
 * mkdir -p .tmp/perf && cd .tmp/perf && mkfifo ctl.fifo ack.fifo
 * PERF_CTL=ctl.fifo PERF_ACK=ack.fifo perf record -D -1 --control=fifo:ctl.fifo,ack.fifo \
 *   -e cpu-clock -F 5000 -k mono -o perf.data \
 *   node --perf-prof --expose-gc -r ../../spec/bench/register.cjs ../../spec/bench/perfPasses.ts manager 10000
 * perf inject --jit -i perf.data -o perf.jit.data
 * perf report -i perf.jit.data --no-children --sort sym --stdio
 * ```
 *
 * Arguments: the contender id (as `--only` takes them) and M (1 or 10,000), then optionally the
 * number of rounds (10). Without `PERF_CTL`/`PERF_ACK` it runs the same rounds unsampled. The SDK
 * contender is left out (its passes are asynchronous and share no code with the library's). It
 * prints every library contender's median pass (CPU ms) at the end.
 */
import { openSync, readSync, writeSync } from 'node:fs';
import { receivingContenders } from './contenders.js';
import { median } from './measure.js';
import { openEntries, playRounds, type RoundEntry } from './rounds.js';

const WARM_UP_PASSES = 3;
const WARM_UP_ROUNDS = 2;

/** Sends one command to `perf record --control` and waits for its acknowledgement. */
const controller = (): ((command: 'enable' | 'disable') => void) => {
  const { PERF_CTL: ctlPath, PERF_ACK: ackPath } = process.env;
  if (ctlPath === undefined || ackPath === undefined) return () => undefined;
  const ctl = openSync(ctlPath, 'w');
  const ack = openSync(ackPath, 'r');
  const buffer = Buffer.alloc(16);
  return (command) => {
    writeSync(ctl, `${command}\n`);
    readSync(ack, buffer, 0, buffer.length, null);
  };
};

const main = async (): Promise<void> => {
  const [id = 'manager', m = '10000', rounds = '10'] = process.argv.slice(2);
  const perf = controller();
  const contenders = receivingContenders().filter((c) => c.id !== 'sdk');
  const entries = await openEntries(contenders, [1, 10_000], WARM_UP_PASSES);
  const sampled = (e: RoundEntry, round: number): boolean =>
    e.id === id && e.m === Number(m) && round >= WARM_UP_ROUNDS;
  const ms = new Map<RoundEntry, number[]>(entries.map((e) => [e, []]));
  await playRounds(entries, Number(rounds), {
    before: (e, round) => {
      if (sampled(e, round)) perf('enable');
    },
    after: (e, round, passMs) => {
      if (sampled(e, round)) perf('disable');
      if (round >= WARM_UP_ROUNDS) ms.get(e)?.push(passMs);
    },
  });
  for (const [e, times] of ms) {
    console.log(`${e.id} at M = ${String(e.m)}: ${median(times).toFixed(1)} ms per pass (median)`);
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
