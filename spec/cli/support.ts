/**
 * Runs `mcp-progress` from the sources, as a child process: `node -r ts-node/register
 * src/cli/main.ts ...` (no build needed). Runs are capped at a few at a time: each starts a
 * TypeScript compiler, and the machine may have two cores.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const root = path.resolve(__dirname, '../..');

/** The command that starts the fixture server (./fixtures/server.ts), for after `--`. */
export const fixtureServer: readonly string[] = [
  process.execPath,
  '-r',
  require.resolve('ts-node/register/transpile-only'),
  path.join(__dirname, 'fixtures', 'server.ts'),
];

/** The command that starts the bundled demo server (src/cli/demo/server.ts), for after `--`. */
export const demoServer: readonly string[] = [
  process.execPath,
  '-r',
  require.resolve('ts-node/register/transpile-only'),
  path.join(root, 'src', 'cli', 'demo', 'server.ts'),
];

/** What a run gave. */
export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Called with the child and everything it wrote to stdout so far, on each chunk. */
  readonly onStdout?: (stdout: string, child: ChildProcess) => void;
  /** Called with the child and everything it wrote to stderr so far, on each chunk. */
  readonly onStderr?: (stderr: string, child: ChildProcess) => void;
  /** Extra `node` options before the script, after ts-node's `-r` (another preload). */
  readonly nodeOptions?: readonly string[];
  /** Kill the run after this long. If not provided, defaults to 60 s. */
  readonly timeoutMs?: number;
}

const MAX_RUNNING = 4;
let running = 0;
const waiting: (() => void)[] = [];

const slot = async (): Promise<() => void> => {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
};

/**
 * An `onStdout`/`onStderr` callback that sends the child `signal` the first time its output so far
 * contains `seen` (a string, or a match of a pattern), and never again.
 */
export const signalOnce = (
  seen: string | RegExp,
  signal: NodeJS.Signals,
): ((output: string, child: ChildProcess) => void) => {
  let sent = false;
  return (output, child) => {
    if (sent || !(typeof seen === 'string' ? output.includes(seen) : seen.test(output))) return;
    sent = true;
    child.kill(signal);
  };
};

/** Runs `mcp-progress <args>` to its end. */
export const runCli = async (args: readonly string[], options: RunOptions = {}): Promise<Run> => {
  const release = await slot();
  try {
    return await new Promise<Run>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register', ...(options.nodeOptions ?? []), 'src/cli/main.ts', ...args],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        options.onStdout?.(stdout, child);
      });
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        options.onStderr?.(stderr, child);
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
      }, options.timeoutMs ?? 60_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  } finally {
    release();
  }
};

/** The JSON lines of a `--json` run. */
export const jsonLines = (stdout: string): Record<string, unknown>[] =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
