/**
 * CPU profiling of the timed region only, through the inspector (the same sampler as
 * `node --cpu-prof`), and a summary of a `.cpuprofile` by self time.
 *
 * `npm run bench -- --profile=<contender>:<M>` profiles one pass of one contender at one M (after a
 * warm-up pass; setup and checks are outside the profile), writes
 * `.tmp/profiles/<contender>-M<M>.cpuprofile` (open it in Chrome DevTools or speedscope), and prints
 * the top functions by self time and the self time per file. `npm run bench -- --top=<file>`
 * summarises any `.cpuprofile`, e.g. one written by `node --cpu-prof`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session, type Profiler } from 'node:inspector/promises';
import { join, relative } from 'node:path';

/** A running profiler; `stop` ends it and returns the profile. */
export interface Profiling {
  stop(): Promise<Profiler.Profile>;
}

/** Starts sampling every `intervalUs` microseconds. */
export const startProfiling = async (intervalUs = 100): Promise<Profiling> => {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      await session.post('Profiler.disable');
      session.disconnect();
      return profile;
    },
  };
};

/** Writes a profile under `.tmp/profiles/` and returns its path. */
export const saveProfile = (profile: Profiler.Profile, name: string): string => {
  const dir = join(process.cwd(), '.tmp', 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  return relative(process.cwd(), file);
};

interface Line {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

const shortUrl = (url: string): string => {
  const path = url.startsWith('file://') ? url.slice('file://'.length) : url;
  const rel = path.startsWith('/') ? relative(process.cwd(), path) : path;
  return rel.replace(/^node_modules\//, '');
};

/** Self time per function and per file, largest first. */
export const summarize = (
  profile: Profiler.Profile,
  top = 15,
): { functions: Line[]; files: Line[]; totalMs: number } => {
  const byId = new Map<number, Profiler.ProfileNode>();
  for (const node of profile.nodes) byId.set(node.id, node);
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  const stamps = samples.map((_, i) => (t += deltas[i] ?? 0));
  for (let i = 0; i < samples.length; i++) {
    const next = i + 1 < samples.length ? (stamps[i + 1] ?? t) : profile.endTime;
    const dt = Math.max(0, next - (stamps[i] ?? t));
    const id = samples[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
  }
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    totalUs += us;
    const where = frame.url === '' ? '' : ` ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    const key = `${frame.functionName === '' ? '(anonymous)' : frame.functionName}${where}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const fileKey = frame.url === '' ? frame.functionName : shortUrl(frame.url);
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
  }
  const lines = (m: Map<string, number>): Line[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, percent: (us / totalUs) * 100 }));
  return { functions: lines(fn), files: lines(file), totalMs: totalUs / 1000 };
};

/** The summary as text. */
export const formatSummary = (summary: ReturnType<typeof summarize>): string => {
  const fmt = (l: Line): string =>
    `${l.ms.toFixed(1).padStart(9)} ms ${l.percent.toFixed(1).padStart(5)}%  ${l.name}`;
  return [
    `total sampled: ${summary.totalMs.toFixed(1)} ms`,
    'top self time, by function:',
    ...summary.functions.map(fmt),
    'self time, by file:',
    ...summary.files.map(fmt),
  ].join('\n');
};

/** Summarises a `.cpuprofile` file. */
export const summarizeFile = (path: string, top = 25): string =>
  formatSummary(summarize(JSON.parse(readFileSync(path, 'utf8')) as Profiler.Profile, top));
