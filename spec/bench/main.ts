/**
 * The benchmark suite of issue 6: `npm run bench [-- options]`. See spec/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Bench } from 'tinybench';
import { receivingContenders, type Contender, type Session } from './contenders.js';
import {
  collectGarbage,
  cpuClock,
  cpuClockName,
  cpuMsSince,
  cpuNowMs,
  log,
  readyHeap,
  settleForTiming,
  median,
  msSince,
  type PassTiming,
} from './measure.js';
import { runMemory, type MemoryResult } from './memory.js';
import { formatSummary, saveProfile, startProfiling, summarize, summarizeFile } from './profile.js';
import {
  checkTargets,
  markdownTable,
  markdownTargets,
  memoryTable,
  receivingTable,
  scalingTable,
  sendingTables,
  textTable,
  textTargets,
  type ReceivingRow,
  type Results,
} from './report.js';
import { runSending, type SendingResult } from './sending.js';
import { FULL_PROGRESS_COUNT, generateWorkload } from './workload.js';

/** What a run measures and how much. */
interface Config {
  readonly mode: 'full' | 'quick';
  /** Progress messages per workload (10% more non-progress messages are added). */
  readonly progressCount: number;
  readonly tokenCounts: readonly number[];
  /** Measured passes per contender and M (after the warm-up passes). */
  readonly runs: number;
  readonly sdkRuns: number;
  /** Messages fed to the SDK per pass (a prefix of the same array). */
  readonly sdkMessages: number;
  /** A library contender whose (first) warm-up pass is longer than this gets no more passes (the row says so). */
  readonly slowPassMs: number;
  /** Measured passes of one contender at one M take at most about this long (wall): fewer runs for slow passes. */
  readonly passBudgetMs: number;
  /**
   * The time limit of the whole run (s, in-process; ts-node's start-up comes on top), and when each
   * phase should start at the latest, as a fraction of it: a phase that starts later runs reduced
   * (fewer runs) or, for measured rounds, is left out, so that a heavily loaded machine still
   * finishes in time. The rows show the runs.
   */
  readonly timeLimitS: number;
  readonly latestStart: {
    /**
     * The warm-ups of each M (a late M gets half the pass budgets; the measured rounds over every M
     * come after them).
     */
    readonly receive: readonly number[];
    /** A measured round starts no later than this (once every contender has 3 samples). */
    readonly rounds: number;
    readonly memory: number;
    readonly send: number;
  };
  /** `contender@M` pairs not run, with the reason printed in the table. */
  readonly skip: ReadonlyMap<string, string>;
  readonly memoryTokens: number;
  /** Pending requests in the SDK's memory measurement. */
  readonly sdkMemoryTokens: number;
  readonly memoryRuns: number;
  /** Whether the manager is also measured completing its tokens by responses. */
  readonly completeByResponse: boolean;
  readonly floodCalls: number;
  readonly floodRuns: number;
  readonly virtualSeconds: number;
  readonly realSeconds: number;
}

const MERGEMAP_SKIP =
  'skipped in --quick: one pass takes seconds at this M (see the full run and the notes)';

const FULL: Config = {
  mode: 'full',
  progressCount: FULL_PROGRESS_COUNT,
  tokenCounts: [1, 100, 10_000, 100_000],
  runs: 5,
  sdkRuns: 3,
  sdkMessages: 22_000,
  slowPassMs: 2_500,
  passBudgetMs: 3_000,
  timeLimitS: 165,
  latestStart: { receive: [0, 0.08, 0.16, 0.25], rounds: 0.6, memory: 0.75, send: 0.92 },
  skip: new Map(),
  memoryTokens: 100_000,
  sdkMemoryTokens: 100_000,
  memoryRuns: 3,
  completeByResponse: true,
  floodCalls: 1_000_000,
  floodRuns: 7,
  virtualSeconds: 50,
  realSeconds: 2,
};

const QUICK: Config = {
  mode: 'quick',
  progressCount: 100_000,
  tokenCounts: [1, 10_000],
  runs: 3,
  sdkRuns: 1,
  sdkMessages: 5_500,
  slowPassMs: 1_000,
  passBudgetMs: 1_500,
  timeLimitS: 24,
  latestStart: { receive: [0, 0.2], rounds: 0.5, memory: 0.6, send: 0.85 },
  skip: new Map([['track-mergemap@100000', MERGEMAP_SKIP]]),
  memoryTokens: 100_000,
  sdkMemoryTokens: 25_000,
  memoryRuns: 1,
  completeByResponse: false,
  floodCalls: 1_000_000,
  floodRuns: 3,
  virtualSeconds: 50,
  realSeconds: 1.2,
};

/** The command line. */
interface Args {
  readonly quick: boolean;
  readonly write: boolean;
  readonly only: readonly string[] | undefined;
  readonly tokenCounts: readonly number[] | undefined;
  readonly sections: readonly string[] | undefined;
  readonly runs: number | undefined;
  readonly profile: { readonly id: string; readonly m: number } | undefined;
  readonly top: string | undefined;
  readonly noInline: boolean;
}

const USAGE = `usage: npm run bench -- [options]
  --quick               reduced run (< 30 s): M = 1 and 10,000 only, 110,000 messages, 3 runs
  --write               write docs/benchmarks.md from this run (whole suite only)
  --only=id,id          receiving contenders to run (ids: hand, track, track-mergemap, manager,
                        track-default, manager-default, sdk)
  --m=1,10000           token counts to run
  --sections=receive,memory,send
  --runs=N              measured passes per contender and M
  --profile=id:M        CPU-profile one pass of one contender at one M (.tmp/profiles/)
  --no-inline           with --profile: turn off TurboFan inlining, so that self time stays
                        with the function that spends it (slower, but attributable)
  --top=file.cpuprofile summarise a CPU profile by self time`;

const parseArgs = (argv: readonly string[]): Args => {
  const value = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (name: string): string[] | undefined => value(name)?.split(',').filter(Boolean);
  const known = [
    'quick',
    'write',
    'only',
    'm',
    'sections',
    'runs',
    'profile',
    'no-inline',
    'top',
    'help',
  ];
  for (const a of argv) {
    const name = a.replace(/^--/, '').replace(/=.*$/, '');
    if (!a.startsWith('--') || !known.includes(name))
      throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const profile = value('profile')?.split(':');
  const runs = value('runs');
  return {
    quick: argv.includes('--quick'),
    write: argv.includes('--write'),
    only: list('only'),
    tokenCounts: list('m')?.map(Number),
    sections: list('sections'),
    runs: runs === undefined ? undefined : Number(runs),
    profile:
      profile === undefined ? undefined : { id: profile[0] ?? '', m: Number(profile[1] ?? 10_000) },
    top: value('top'),
    noInline: argv.includes('--no-inline'),
  };
};

const int = (n: number): string => n.toLocaleString('en-US');

const timingOf = (
  samples: readonly number[],
  wall: readonly number[],
  messages: number,
): PassTiming => {
  const medianMs = median(samples);
  return {
    medianMs,
    madMs: median(samples.map((s) => Math.abs(s - medianMs))),
    wallMs: median(wall),
    runs: samples.length,
    messages,
    perSecond: messages / (medianMs / 1000),
  };
};

/** One pass outside tinybench (prepare, GC, pass, check): its CPU and wall time in ms. */
const onePass = async (session: Session): Promise<{ cpu: number; wall: number }> => {
  await session.prepare();
  await readyHeap();
  const wall = process.hrtime.bigint();
  const cpu = cpuNowMs();
  await session.pass();
  const times = { cpu: cpuMsSince(cpu), wall: msSince(wall) };
  await session.check();
  return times;
};

/** Passes before the measured ones take at least this long (wall), so that short passes are optimised. */
const WARM_UP_MS = 250;

/**
 * Warm-up passes: at least one, and more while they add up to less than {@link WARM_UP_MS} (at most
 * 30), so that a short pass is measured in optimised code. Returns the last one's times.
 */
const warmUp = async (session: Session): Promise<{ cpu: number; wall: number }> => {
  let total = 0;
  let last = await onePass(session);
  for (let n = 1; n < 30 && (total += last.wall) < WARM_UP_MS; n++) last = await onePass(session);
  return last;
};

/** One contender at one M: its session and the samples of its measured passes. */
interface Entry {
  readonly contender: Contender;
  readonly m: number;
  readonly session: Session | undefined;
  readonly samples: number[];
  readonly wall: number[];
  readonly runs: number;
  readonly note: string | undefined;
}

/**
 * Opens every contender on one workload and warms it up (passes until the code is optimised), and
 * decides how many measured passes it gets.
 */
const openWorkload = async (
  m: number,
  contenders: readonly Contender[],
  config: Config,
  runsOverride: number | undefined,
): Promise<Entry[]> => {
  const start = process.hrtime.bigint();
  const workload = generateWorkload(m, config.progressCount);
  log(
    `M=${int(m)}: ${int(workload.messages.length)} messages generated in ${msSince(start).toFixed(0)} ms`,
  );
  collectGarbage();
  const entries: Entry[] = [];
  for (const contender of contenders) {
    const skip = config.skip.get(`${contender.id}@${m}`);
    if (skip !== undefined) {
      entries.push({
        contender,
        m,
        session: undefined,
        samples: [],
        wall: [],
        runs: 0,
        note: skip,
      });
      continue;
    }
    const session = await contender.open(workload, { sdkMessages: config.sdkMessages });
    const warm = await warmUp(session);
    const slow = contender.library && warm.wall > config.slowPassMs;
    const wanted = contender.id === 'sdk' ? config.sdkRuns : config.runs;
    const affordable = Math.max(1, Math.floor(config.passBudgetMs / warm.wall));
    const runs = slow ? 0 : (runsOverride ?? Math.min(wanted, affordable));
    const notes = [
      session.note,
      slow
        ? `one pass took ${(warm.wall / 1000).toFixed(1)} s: that pass is the only sample`
        : undefined,
    ];
    entries.push({
      contender,
      m,
      session,
      samples: slow ? [warm.cpu] : [],
      wall: slow ? [warm.wall] : [],
      runs,
      note: notes.filter((n) => n !== undefined).join('; ') || undefined,
    });
    log(
      `  warm-up ${contender.label}: ${warm.cpu.toFixed(1)} ms CPU, ${warm.wall.toFixed(1)} ms wall`,
    );
  }
  log(`  warm-ups took ${(msSince(start) / 1000).toFixed(1)} s`);
  return entries;
};

/**
 * The measured rounds: in each, every contender runs one pass at every M (M by M), timed by
 * tinybench with its setup and checks in untimed hooks. Interleaved, so that a burst of load on this
 * shared machine hits every contender and every M alike: the ratios between contenders and the
 * flat-scaling ratios between token counts both compare passes from the same rounds (why, with the
 * figures: spec/bench/README.md, "Rounds over every M, not M by M").
 */
const measureRounds = async (
  entries: readonly Entry[],
  isLate: (round: number, rounds: number) => boolean,
): Promise<void> => {
  const rounds = Math.max(0, ...entries.map((e) => e.runs));
  const round0 = process.hrtime.bigint();
  const enough = (e: Entry): boolean => e.samples.length >= Math.min(3, e.runs);
  for (let round = 0; round < rounds; round++) {
    if (entries.every(enough) && isLate(round, rounds)) return;
    await settleForTiming();
    const bench = new Bench({
      name: `round ${round + 1}`,
      iterations: 1,
      time: 0,
      warmup: false,
      throws: true,
      timestampProvider: cpuClock,
    });
    const taskName = (e: Entry): string => `${e.contender.id}@${e.m}`;
    for (const e of entries) {
      const session = e.session;
      if (session === undefined || e.samples.length >= e.runs) continue;
      const timed = async (): Promise<void> => {
        const wall = process.hrtime.bigint();
        await session.pass();
        e.wall.push(msSince(wall));
      };
      const timedSync = (): void => {
        const wall = process.hrtime.bigint();
        void session.pass();
        e.wall.push(msSince(wall));
      };
      bench.add(taskName(e), session.async ? timed : timedSync, {
        async: session.async,
        beforeEach: async () => {
          await session.prepare();
          await readyHeap();
        },
        afterEach: async () => {
          await session.check();
        },
      });
    }
    await bench.run();
    for (const e of entries) {
      const result = bench.getTask(taskName(e))?.result;
      if (result === undefined) continue;
      if (result.state !== 'completed') {
        throw new Error(`${e.contender.label} at M=${e.m}: ${result.state}`, {
          cause: result.state === 'errored' ? result.error : undefined,
        });
      }
      e.samples.push(result.latency.p50);
    }
    log(`  round ${round + 1}/${rounds} done (${(msSince(round0) / 1000).toFixed(1)} s)`);
  }
};

/** Closes every session and turns the samples into table rows. */
const rowsOf = async (entries: readonly Entry[]): Promise<ReceivingRow[]> => {
  const rows: ReceivingRow[] = [];
  for (const e of entries) {
    await e.session?.close();
    rows.push({
      id: e.contender.id,
      label: e.contender.label,
      library: e.contender.library,
      m: e.m,
      timing:
        e.session === undefined ? undefined : timingOf(e.samples, e.wall, e.session.messageCount),
      note: e.note,
    });
  }
  return rows;
};

/** `--profile=id:M`: warm-up passes, then one profiled pass. */
const profileOne = async (id: string, m: number, config: Config): Promise<void> => {
  const contender = receivingContenders().find((c) => c.id === id);
  if (contender === undefined) throw new Error(`no contender ${id}\n${USAGE}`);
  const workload = generateWorkload(m, config.progressCount);
  const session = await contender.open(workload, { sdkMessages: config.sdkMessages });
  const warm = await warmUp(session);
  await session.prepare();
  await settleForTiming();
  const profiling = await startProfiling();
  const start = process.hrtime.bigint();
  await session.pass();
  const passMs = msSince(start);
  const profile = await profiling.stop();
  await session.check();
  await session.close();
  const file = saveProfile(profile, `${id}-M${m}`);
  console.log(
    `${contender.label}, M=${int(m)}, ${int(session.messageCount)} messages: warm-up pass ${warm.wall.toFixed(1)} ms, profiled pass ${passMs.toFixed(1)} ms (sampling slows it)`,
  );
  console.log(`profile: ${file}`);
  console.log(formatSummary(summarize(profile, 20)));
};

const machine = (): string[] => {
  const cpu = cpus();
  return [
    `CPU: ${cpu[0]?.model.trim() ?? 'unknown'}, ${cpu.length} cores; ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM`,
    `Node ${process.version} (${process.platform} ${process.arch}), V8 ${process.versions.v8}`,
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')} (a shared machine: compare ratios within one run, not absolute times)`,
  ];
};

const TARGET_IDS = ['track', 'manager'];
const INFO_IDS = ['track-mergemap', 'track-default', 'manager-default'];

const QUICK_CAVEAT =
  ' Quick mode: 110,000 messages per M, so each token gets 10 times fewer updates (10 at M = 10,000) and per-token costs (groups, completions) weigh 10 times more; compare quick runs with quick runs, and check the targets with the full run.';

const runLine = (r: Report): string =>
  `Mode: ${r.config.mode}; the run took ${r.elapsedS.toFixed(0)} s wall and ${r.cpuS.toFixed(0)} s of CPU (after ts-node's start-up)${r.late.length > 0 ? `; ran reduced because late (a loaded machine): ${r.late.join('; ')}` : ''}.${r.config.mode === 'quick' ? QUICK_CAVEAT : ''}`;

interface Report {
  readonly config: Config;
  readonly date: string;
  readonly machine: readonly string[];
  readonly results: Results;
  readonly elapsedS: number;
  /** CPU seconds the process used (all threads). */
  readonly cpuS: number;
  /** What ran reduced or was left out because it would have started late. */
  readonly late: readonly string[];
}

const METHOD = (c: Config): string[] => [
  `**Workload** (spec/bench/workload.ts): ${int(c.progressCount * 1.1)} pre-parsed JSON-RPC messages per M, generated once per M outside timing and fed unchanged to every contender: ${int(c.progressCount)} \`notifications/progress\` for M interleaved integer tokens (step-major round robin; every token is active for the whole pass and gets ${int(c.progressCount)} / M updates climbing to exactly 100 of total 100, so it completes on its last one: 1, 2, ..., 100 at M = 10,000, 10, 20, ..., 100 at M = 100,000), and after every 10th progress message one other message (alternately a response to another request and a \`notifications/message\`), so 10% are not progress.`,
  `**Code**: the library's sources, compiled on load by TypeScript's own transpiler (spec/bench/register.cjs), so that they run in the form of the published CommonJS build (swc, which the tests use for start-up time, reads every import through a getter and measured 5-12% slower; spec/bench/README.md).`,
  `**Clock**: ${cpuClockName}. The machine is shared: while other processes hold the cores, wall time grows by what they take; this process's CPU time does not. It counts every thread, GC helper threads included, so after each forced full GC the suite waits until the process is idle (no thread busy) before timing anything: the background sweeping of that collection is not billed to the next pass. Node 20 has no precise per-thread clock (\`/proc/self/task/<pid>/schedstat\` moves in 4 ms scheduler ticks). Wall-clock rates are shown next to the CPU ones. Every comparison is a ratio of medians from this one run.`,
  `**Timing**: tinybench, with that clock as its timestamp provider, times each whole pass over the messages; the setup (subscribing, tracking M tokens, the SDK's requests) and the check of what the consumer received (counts and sums of updates, final updates, completions, no errors) run in its untimed hooks. Every M's workload is generated and every contender warmed up on it first (at least one pass, more until they add up to 250 ms), then up to ${c.runs} rounds (SDK: ${c.sdkRuns}; fewer for a contender whose passes would take more than ${(c.passBudgetMs / 1000).toFixed(1)} s in all) in which every contender runs one pass at every M, so that a burst of load from elsewhere hits all of them and every M alike: the flat-scaling ratios, like the ratios between contenders, compare passes from the same rounds (measured M by M, the M = 1 passes ran a minute before the M = 100,000 ones, and a process's speed drifts by a third over such a time here); msgs/s is messages / median pass time; ± MAD is the median absolute deviation of the pass times. A full GC before each round, a young-generation GC before each pass (a full one if the heap grew by 16 MB). A library contender whose first warm-up pass takes more than ${(c.slowPassMs / 1000).toFixed(1)} s is not run again: that pass is its only sample.`,
  `**Contenders**: the hand-written loop of issue 6 (shape check, Map<token, last>, strict increase, delete at total); \`trackProgress\` with each group subscribed in the outer \`next\`, and with \`mergeMap(g => g)\`; \`ProgressManager.track\` for all M tokens (\`requestId\` = token) over a Subject; and the official SDK \`Client\` (zod, handler map) with M requests in flight (progress token = message id) plus one request per response, fed over \`InMemoryTransport\` by a fake server in chunks of 1,024 messages with an event-loop turn between chunks (its notification handlers run in microtasks), and only the first ${int(c.sdkMessages)} messages of the same array per pass, because it is slow. The library's pipelines are built once per M and fed every pass, as in an application (built afresh per pass, V8 deoptimised code that had inlined the previous pipeline's closures at every pass, up to 4× slower): \`trackProgress\` therefore runs with \`maxCompletedTokens: 0\`, so that the same tokens start groups again, and the manager tracks its M tokens again before each pass (untimed, as is the SDK's fresh \`Client\` and its requests); group creation inside \`trackProgress\` is part of its passes.`,
  '**Throttling**: the targets are checked with throttling off (`maxUpdatesPerSecond: Infinity`), where every update reaches the consumer, as with the hand loop and the SDK. With the default 10/s and the default (real-time) scheduler, a synchronous push coalesces: each token emits its first and its final update and the rest are superseded inside the window; those rows are shown for information.',
  `**Memory**: heapUsed after two forced full GCs, with ${int(c.memoryTokens)} tokens tracked through the default configuration (10/s), before registering, after registering, and after each token received its first update; then the time to complete them all (a final update each${c.completeByResponse ? ', or a response each' : ''}) and the heap after completion against the baseline. The consumer's callbacks are shared functions, so the figures are what the library keeps. The SDK row has ${int(c.sdkMemoryTokens)} pending \`tools/call\` requests with \`onprogress\` (each awaited by one \`.then\`). The library's completion times are medians of ${c.memoryRuns} run(s) (heap figures from the first; they do not vary); the hand loop and the SDK, for comparison, are run once.`,
  `**Sending**: ${int(c.floodCalls)} \`ProgressReporter.next\` calls in a tight loop (inputs allocated beforehand, the last one final; default 10/s, burst 10; the default real-time scheduler; a synchronous counting \`send\`), median of ${c.floodRuns} runs against a hand-written latest-wins limiter in the same run; then sustained floods on a virtual clock (rxjs \`VirtualTimeScheduler\`, ${c.virtualSeconds} s) and a real one (${c.realSeconds} s, chunks of 1,000 calls per event-loop turn), each ending with \`complete()\`: notifications sent against burst + rate × duration + 1, the rate from the first second on, and the last notification against the last input.`,
];

const render = (report: Report, markdown: boolean): string => {
  const { results, config } = report;
  const table = markdown ? markdownTable : textTable;
  const out: string[] = [];
  const section = (title: string): void => {
    out.push('', markdown ? `## ${title}` : `== ${title} ==`, '');
  };
  if (results.receiving.length > 0) {
    section('Receiving: messages per second');
    out.push(table(receivingTable(results.receiving)));
    section('Flat scaling: msgs/s at M over msgs/s at M = 1');
    out.push(table(scalingTable(results.receiving)));
  }
  if (results.memory !== undefined) {
    section(`Memory and completion: ${int(config.memoryTokens)} active tokens`);
    out.push(table(memoryTable(results.memory)));
  }
  if (results.sending !== undefined) {
    const t = sendingTables(results.sending);
    section('Sending: ProgressReporter');
    out.push(table(t.flood), '', table(t.rates));
  }
  const targets = checkTargets(results, TARGET_IDS);
  section('Targets (issue 6)');
  out.push(markdown ? markdownTargets(targets) : textTargets(targets));
  const info = checkTargets(
    { receiving: results.receiving, memory: undefined, sending: undefined },
    INFO_IDS,
  );
  if (info.length > 0) {
    section('The same checks for other configurations (information, not the targets)');
    out.push(markdown ? markdownTargets(info) : textTargets(info));
  }
  return out.join('\n');
};

const writeDocs = async (report: Report): Promise<string> => {
  const command = `npm run bench -- --write${report.config.mode === 'quick' ? ' --quick' : ''}`;
  const text = [
    '# Benchmarks',
    '',
    `> Generated by \`${command}\` (spec/bench/) on ${report.date}. Do not edit by hand: run the command again.`,
    '',
    '## Machine',
    '',
    ...report.machine.map((l) => `- ${l}`),
    `- ${runLine(report)}`,
    '',
    '## Method',
    '',
    ...METHOD(report.config).flatMap((l) => [l, '']),
    render(report, true),
    '',
  ].join('\n');
  const prettier = await import('prettier');
  const file = join(process.cwd(), 'docs', 'benchmarks.md');
  const options = (await prettier.resolveConfig(file)) ?? {};
  writeFileSync(file, await prettier.format(text, { ...options, parser: 'markdown' }));
  return file;
};

/** The suite. */
export const main = async (argv: readonly string[]): Promise<void> => {
  const args = parseArgs(argv);
  if (args.top !== undefined) {
    console.log(summarizeFile(args.top));
    return;
  }
  const config = args.quick ? QUICK : FULL;
  if (args.profile !== undefined) {
    if (args.noInline) setFlagsFromString('--no-turbo-inlining');
    await profileOne(args.profile.id, args.profile.m, config);
    return;
  }
  const partial =
    args.only !== undefined ||
    args.tokenCounts !== undefined ||
    args.sections !== undefined ||
    args.runs !== undefined;
  if (args.write && partial)
    throw new Error('--write needs the whole suite (no --only, --m, --sections, --runs)');
  const started = process.hrtime.bigint();
  const startedCpu = cpuNowMs();
  const date = new Date().toISOString();
  const machineLines = machine();
  for (const l of machineLines) log(l);
  const sections = args.sections ?? ['receive', 'memory', 'send'];

  const late: string[] = [];
  /**
   * Whether it is later than the latest planned start of a phase (`share` of the time limit): then
   * the caller reduces or leaves out that phase, and `what` says so for the report, given the time.
   */
  const isLate = (share: number | undefined, what: (at: string) => string): boolean => {
    const elapsedS = msSince(started) / 1000;
    if (share === undefined || share === 0 || elapsedS <= share * config.timeLimitS) return false;
    const entry = what(
      `${elapsedS.toFixed(0)} s (planned by ${(share * config.timeLimitS).toFixed(0)} s)`,
    );
    late.push(entry);
    log(`  late: ${entry}`);
    return true;
  };
  const receiving: ReceivingRow[] = [];
  if (sections.includes('receive')) {
    const contenders = receivingContenders().filter((c) => args.only?.includes(c.id) ?? true);
    const entries: Entry[] = [];
    for (const [i, m] of (args.tokenCounts ?? config.tokenCounts).entries()) {
      // Late: half the budgets, so slow passes get fewer runs (the rounds are cut by their own
      // latest start; fewer runs for every contender would drop this M out of the later rounds).
      const reduced = isLate(
        config.latestStart.receive[i],
        (at) => `M=${int(m)} started at ${at}, with half the pass budgets`,
      );
      const c = reduced
        ? { ...config, passBudgetMs: config.passBudgetMs / 2, slowPassMs: config.slowPassMs / 2 }
        : config;
      entries.push(...(await openWorkload(m, contenders, c, args.runs)));
    }
    log(`receiving: measured rounds over every M`);
    await measureRounds(entries, (round, rounds) =>
      isLate(
        config.latestStart.rounds,
        (at) =>
          `measured round${round + 1 < rounds ? `s ${round + 1}-${rounds}` : ` ${round + 1}`} left out, would have started at ${at}`,
      ),
    );
    receiving.push(...(await rowsOf(entries)));
  }
  if (receiving.length > 0) log(`receiving done at ${(msSince(started) / 1000).toFixed(1)} s`);
  let memory: MemoryResult[] | undefined;
  if (sections.includes('memory')) {
    log(`memory: ${int(config.memoryTokens)} tokens`);
    memory = await runMemory({
      tokens: config.memoryTokens,
      sdkTokens: config.sdkMemoryTokens,
      runs:
        args.runs ??
        (isLate(config.latestStart.memory, (at) => `memory started at ${at}, with 1 run`)
          ? 1
          : config.memoryRuns),
      byResponse: config.completeByResponse,
    });
    log(`memory done at ${(msSince(started) / 1000).toFixed(1)} s`);
  }
  let sending: SendingResult | undefined;
  if (sections.includes('send')) {
    log('sending');
    sending = await runSending({
      calls: config.floodCalls,
      runs:
        args.runs ??
        (isLate(config.latestStart.send, (at) => `sending started at ${at}, with 3 runs`)
          ? 3
          : config.floodRuns),
      virtualSeconds: config.virtualSeconds,
      realSeconds: config.realSeconds,
    });
    log(`sending done at ${(msSince(started) / 1000).toFixed(1)} s`);
  }
  const report: Report = {
    config,
    date,
    machine: machineLines,
    results: { receiving, memory, sending },
    elapsedS: msSince(started) / 1000,
    cpuS: cpuMsSince(startedCpu) / 1000,
    late,
  };
  console.log(machineLines.join('\n'));
  console.log(runLine(report));
  console.log(render(report, false));
  if (args.write) log(`wrote ${await writeDocs(report)}`);
};
