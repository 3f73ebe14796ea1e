import * as path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { callToolWithProgress } from '../sdk/callToolWithProgress.js';
import { fromTransport } from '../sdk/fromTransport.js';
import { isProgressMessage } from '../internal/jsonRpc.js';
import { progressTokenOf } from '../wire/progressTokenOf.js';
import { connect, type Connection } from './connect.js';
import { createDisplay } from './display/createDisplay.js';
import type { Display, DisplayStreams } from './display/Display.js';
import { CliFailure, ExitCode, messageOf } from './errors.js';
import { formatCount, formatDuration } from './format.js';
import { interruptionOf, listenForInterrupt } from './interrupt.js';
import { showCall } from './showCall.js';

/** One of the demo's three calls. */
interface Job {
  readonly tool: 'build' | 'crawl' | 'flood';
  readonly about: string;
}

const JOBS: readonly Job[] = [
  { tool: 'build', about: 'a known total, with a message per step' },
  { tool: 'crawl', about: 'an unknown total: a count and a rate, no ETA' },
  { tool: 'flood', about: 'reporter.next called 100,000 times: the rate limits at work' },
];

/** How one call went. */
interface JobResult {
  readonly tool: string;
  readonly produced: number | undefined;
  readonly sent: number;
  readonly shown: number;
  readonly elapsedMs: number;
  readonly failure: string | undefined;
}

/**
 * `mcp-progress demo`: starts the bundled demo server (src/cli/demo/server.ts) and calls its three
 * tools at once through `callToolWithProgress`, each shown as a bar (or as plain lines without a
 * terminal); then a summary: updates the tools produced, notifications that went over the wire
 * (counted with `fromTransport`), updates shown, time taken.
 *
 * @param streams stdout and stderr.
 * @return The exit status: 0 when all three calls succeeded.
 */
export async function demoCommand(streams: DisplayStreams): Promise<ExitCode> {
  const interrupt = listenForInterrupt();
  const display = createDisplay(streams, false);
  let connection: Connection | undefined;
  try {
    connection = await connect(demoServerCommand(), {
      log: (line) => {
        display.log(line);
      },
      quiet: false,
      timeoutMs: 60_000,
      signal: interrupt.signal,
    });
    const sent = new Map<unknown, number>();
    const wire = fromTransport(connection.transport).subscribe({
      next: (message) => {
        if (isProgressMessage(message)) {
          const token = progressTokenOf(message);
          sent.set(token, (sent.get(token) ?? 0) + 1);
        }
      },
      error: () => undefined,
    });
    streams.out.write(
      `Three tools of the demo server, called at once:\n${JOBS.map((j) => `  ${j.tool}  ${j.about}`).join('\n')}\n\n`,
    );
    const client = connection.client;
    const results = await Promise.all(
      JOBS.map((job) => runJob(job, client, display, sent, interrupt.signal)),
    );
    wire.unsubscribe();
    display.stop();
    if (interrupt.signal.aborted) throw interrupt.signal.reason;
    streams.out.write(`\n${summary(results)}`);
    const failed = results.filter((r) => r.failure !== undefined);
    for (const r of failed) streams.err.write(`mcp-progress: ${r.tool}: ${r.failure ?? ''}\n`);
    return failed.length === 0 ? ExitCode.Ok : ExitCode.Failure;
  } catch (error: unknown) {
    display.stop();
    if (interrupt.signal.aborted) {
      const { by, exitCode } = interruptionOf(interrupt.signal);
      streams.err.write(`mcp-progress: cancelled (${by})\n`);
      return exitCode;
    }
    streams.err.write(`mcp-progress: ${messageOf(error)}\n`);
    return error instanceof CliFailure ? error.exitCode : ExitCode.Failure;
  } finally {
    display.stop();
    await connection?.close();
    interrupt.dispose();
  }
}

const runJob = async (
  job: Job,
  client: Connection['client'],
  display: Display,
  sent: ReadonlyMap<unknown, number>,
  signal: AbortSignal,
): Promise<JobResult> => {
  const view = display.job(job.tool);
  const progressToken = `mcp-progress-demo-${job.tool}`;
  const started = performance.now();
  let shown = 0;
  const finish = (produced: number | undefined, failure: string | undefined): JobResult => {
    const elapsedMs = performance.now() - started;
    const took = `in ${formatDuration(elapsedMs)}`;
    if (failure === undefined) view.finish('done', `done ${took}`);
    else view.finish('failed', signal.aborted ? 'cancelled' : `failed ${took}`);
    return {
      tool: job.tool,
      produced,
      sent: sent.get(progressToken) ?? 0,
      shown,
      elapsedMs,
      failure,
    };
  };
  try {
    const result = await showCall(
      callToolWithProgress(
        client,
        { name: job.tool },
        { progressToken, maxUpdatesPerSecond: display.rateFor(undefined), signal },
      ),
      {
        update: (update) => {
          shown++;
          view.update(update);
        },
      },
    );
    return result.isError === true
      ? finish(undefined, textOf(result))
      : finish(updatesOf(result), undefined);
  } catch (error: unknown) {
    return finish(undefined, messageOf(error));
  }
};

/**
 * The command that starts the demo server next to this module: the built `server.js` with Node,
 * or, running from the sources (ts-node), `server.ts` through ts-node.
 */
const demoServerCommand = (): { kind: 'command'; command: string; args: string[] } => {
  if (typeof __dirname !== 'string') {
    throw new CliFailure('the demo runs from the CommonJS build (the mcp-progress command)');
  }
  const fromSources = path.extname(__filename) === '.ts';
  const server = path.join(__dirname, 'demo', fromSources ? 'server.ts' : 'server.js');
  const args = fromSources
    ? ['-r', require.resolve('ts-node/register/transpile-only'), server]
    : [server];
  return { kind: 'command', command: process.execPath, args };
};

const updatesOf = (result: CallToolResult): number | undefined => {
  const updates = result.structuredContent?.updates;
  return typeof updates === 'number' ? updates : undefined;
};

const textOf = (result: CallToolResult): string => {
  const first = result.content.find((block) => block.type === 'text');
  return first?.type === 'text' ? first.text : 'the tool returned an error';
};

/** The summary table, and what its columns mean. */
const summary = (results: readonly JobResult[]): string => {
  const header = ['job', 'updates produced', 'notifications sent', 'updates shown', 'time'];
  const rows = results.map((r) => [
    r.tool,
    r.produced === undefined ? '-' : formatCount(r.produced),
    formatCount(r.sent),
    formatCount(r.shown),
    formatDuration(r.elapsedMs),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  return [
    line(header),
    ...rows.map(line),
    '',
    'updates produced:    reporter.next calls in the tool (withProgress; the result says how many)',
    'notifications sent:  notifications/progress on the wire (ProgressReporter: bursts of 10, then',
    '                     10/s, the final one at once), counted with fromTransport',
    'updates shown:       progress events the display got (callToolWithProgress: at most 10/s,',
    '                     plain lines at most 1/s; the final one never held back)',
    '',
  ].join('\n');
};
