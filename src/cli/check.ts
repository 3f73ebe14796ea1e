import { callToolWithProgress } from '../sdk/callToolWithProgress.js';
import { fromTransport } from '../sdk/fromTransport.js';
import { captureRequestId } from '../sdk/internal/captureRequestId.js';
import { ProgressAudit } from './audit.js';
import { connect, isTimeout, type Connection, type Target } from './connect.js';
import { BarDisplay } from './display/BarDisplay.js';
import type { DisplayStreams } from './display/Display.js';
import { CliFailure, ExitCode, messageOf } from './errors.js';
import { ensureTool } from './findTool.js';
import { formatDuration, oneLine } from './format.js';
import { interruptionOf, listenForInterrupt, sleep } from './interrupt.js';
import { formatReport, passed, reportJson, type CallOutcome } from './report.js';
import { showCall } from './showCall.js';

/** What `mcp-progress check` was asked, parsed and checked. */
export interface CheckOptions {
  /** The tool's arguments (`--args`). */
  readonly args: Record<string, unknown>;
  /** Idle timeout in milliseconds (`--timeout`); `Infinity`: none. */
  readonly timeoutMs: number;
  /** Notifications per second allowed after a burst (`--max-rate`). */
  readonly maxRate: number;
  /** Notifications allowed back to back (`--burst`). */
  readonly burst: number;
  /** How long to keep listening after the response, in milliseconds (`--grace`). */
  readonly graceMs: number;
  /** Print the report as JSON (`--json`). */
  readonly json: boolean;
  /** Hide the server's stderr (`--quiet`). */
  readonly quiet: boolean;
}

/**
 * `mcp-progress check`: calls one tool with a progress token and audits every progress
 * notification the server sends (see {@link ProgressAudit}), reading the transport itself (with
 * `fromTransport`), so that it sees what the client library would drop: notifications for unknown
 * tokens, malformed ones, and those that arrive after the response, for `graceMs` more.
 *
 * @param tool The tool's name.
 * @param target The server.
 * @param options See {@link CheckOptions}.
 * @param streams stdout and stderr.
 * @return The exit status: 0 when the call succeeded and nothing was violated, 1 otherwise.
 */
export async function checkCommand(
  tool: string,
  target: Target,
  options: CheckOptions,
  streams: DisplayStreams,
): Promise<ExitCode> {
  const interrupt = listenForInterrupt();
  const bars = !options.json && streams.out.isTTY === true ? new BarDisplay(streams) : undefined;
  const log = (line: string): void => {
    if (bars === undefined) streams.err.write(`${line}\n`);
    else bars.log(line);
  };
  const token = `mcp-progress-check-${Math.random().toString(36).slice(2, 10)}`;
  const audit = new ProgressAudit({ token, maxRate: options.maxRate, burst: options.burst });
  let sentAt: number | undefined;
  const sinceRequest = (): number => performance.now() - (sentAt ?? performance.now());
  let connection: Connection | undefined;
  let outcome: CallOutcome;
  try {
    connection = await connect(target, {
      log,
      quiet: options.quiet,
      timeoutMs: options.timeoutMs,
      signal: interrupt.signal,
      // The audit reports what the SDK would warn about (unknown tokens), with more detail.
      warn: () => undefined,
    });
    await ensureTool(connection.client, tool, interrupt.signal);
    const tap$ = fromTransport(connection.transport).subscribe({
      next: (message) => {
        if (sentAt !== undefined) audit.message(message, sinceRequest());
      },
      error: () => undefined, // a transport error ends the call too; the outcome says it
    });
    const job = bars?.job(tool);
    try {
      const { client, transport } = connection;
      const started = performance.now();
      // The request goes out on subscription, inside `captureRequestId`: `started` is when it left.
      const { promise, requestId } = captureRequestId(transport, token, () =>
        showCall(
          callToolWithProgress(
            client,
            { name: tool, arguments: options.args },
            { progressToken: token, timeoutMs: options.timeoutMs, signal: interrupt.signal },
          ),
          job,
        ),
      );
      if (requestId !== undefined) {
        sentAt = started;
        audit.request(requestId);
      }
      const result = await promise;
      const elapsed = `in ${formatDuration(performance.now() - started)}`;
      if (result.isError === true) {
        const first = result.content.find((block) => block.type === 'text');
        outcome = {
          kind: 'tool error',
          message: first?.type === 'text' ? oneLine(first.text, 200) : '(no text)',
        };
        job?.finish('failed', `failed ${elapsed}`);
      } else {
        outcome = { kind: 'ok' };
        job?.finish('done', `done ${elapsed}; listening ${String(options.graceMs)} ms more`);
      }
      await sleep(options.graceMs, interrupt.signal);
    } catch (error: unknown) {
      const by = interrupt.signal.aborted ? interruptionOf(interrupt.signal).by : undefined;
      outcome =
        by !== undefined
          ? { kind: 'interrupted', message: `cancelled (${by}) before the response` }
          : {
              kind: 'failed',
              message: isTimeout(error)
                ? `timed out: no progress and no result for ${String(options.timeoutMs)} ms (--timeout)`
                : connection.explain(error),
            };
      job?.finish('failed', by !== undefined ? 'cancelled' : 'failed');
    } finally {
      tap$.unsubscribe();
    }
    const interruption = interrupt.signal.aborted ? interruptionOf(interrupt.signal) : undefined;
    if (interruption !== undefined && outcome.kind !== 'interrupted') {
      // Stopped while listening for late notifications: the call itself was over.
      const call =
        outcome.kind === 'ok' ? 'the call succeeded' : `${outcome.kind}: ${outcome.message}`;
      outcome = {
        kind: 'interrupted',
        message: `${interruption.by} while listening after the response (${call})`,
      };
    }
    bars?.stop();
    const report = {
      tool,
      server: connection.name,
      outcome,
      audit: audit.end(sinceRequest()),
    };
    streams.out.write(options.json ? reportJson(report) : formatReport(report));
    if (interruption !== undefined) {
      streams.err.write(
        `mcp-progress: cancelled (${interruption.by}): the report covers what came until then\n`,
      );
      return interruption.exitCode;
    }
    return passed(report) ? ExitCode.Ok : ExitCode.Failure;
  } catch (error: unknown) {
    bars?.stop();
    if (interrupt.signal.aborted) {
      const { by, exitCode } = interruptionOf(interrupt.signal);
      streams.err.write(`mcp-progress: cancelled (${by})\n`);
      return exitCode;
    }
    if (error instanceof CliFailure) {
      streams.err.write(`mcp-progress: ${error.message}\n`);
      return error.exitCode;
    }
    streams.err.write(`mcp-progress: the call failed: ${messageOf(error)}\n`);
    return ExitCode.Failure;
  } finally {
    bars?.stop();
    await connection?.close();
    interrupt.dispose();
  }
}
