import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ProgressError } from '../errors/ProgressError.js';
import { callToolWithProgress } from '../sdk/callToolWithProgress.js';
import { connect, isTimeout, type Connection, type Target } from './connect.js';
import { createDisplay } from './display/createDisplay.js';
import type { DisplayStreams, JobView } from './display/Display.js';
import { JsonDisplay } from './display/JsonDisplay.js';
import { CliFailure, ExitCode, messageOf } from './errors.js';
import { ensureTool } from './findTool.js';
import { formatDuration } from './format.js';
import { interruptionOf, listenForInterrupt } from './interrupt.js';
import { showCall } from './showCall.js';

/** What `mcp-progress call` was asked, parsed and checked. */
export interface CallOptions {
  /** The tool's arguments (`--args`). */
  readonly args: Record<string, unknown>;
  /**
   * The most progress updates shown per second (`--rate`; `Infinity`: all). If not provided,
   * defaults to the display's: 10, or 1 for plain lines.
   */
  readonly rate?: number;
  /** Idle timeout in milliseconds (`--timeout`); `Infinity`: none. */
  readonly timeoutMs: number;
  /** One JSON object a line (`--json`). */
  readonly json: boolean;
  /** Hide the server's stderr (`--quiet`). */
  readonly quiet: boolean;
}

/**
 * `mcp-progress call`: calls one tool with a progress token, shows its progress live, prints its
 * result.
 *
 * @param tool The tool's name.
 * @param target The server.
 * @param options See {@link CallOptions}.
 * @param streams stdout and stderr.
 * @return The exit status.
 */
export async function callCommand(
  tool: string,
  target: Target,
  options: CallOptions,
  streams: DisplayStreams,
): Promise<ExitCode> {
  const display = createDisplay(streams, options.json);
  const json = display instanceof JsonDisplay ? display : undefined;
  const interrupt = listenForInterrupt();
  let job: JobView | undefined;
  const fail = (reason: 'failed' | 'timeout' | 'cancelled', message: string): void => {
    job?.finish('failed', reason === 'timeout' ? 'timed out' : reason);
    display.stop();
    json?.write({ type: 'error', reason, message, elapsedMs: json.elapsedMs() });
    streams.err.write(`mcp-progress: ${message}\n`);
  };
  let connection: Connection | undefined;
  try {
    connection = await connect(target, {
      log: (line) => {
        display.log(line);
      },
      quiet: options.quiet,
      timeoutMs: options.timeoutMs,
      signal: interrupt.signal,
    });
    await ensureTool(connection.client, tool, interrupt.signal);
    const view = display.job(tool);
    job = view;
    const started = performance.now();
    const result = await showCall(
      callToolWithProgress(
        connection.client,
        { name: tool, arguments: options.args },
        {
          maxUpdatesPerSecond: display.rateFor(options.rate),
          timeoutMs: options.timeoutMs,
          signal: interrupt.signal,
          onError: (problem) => {
            // Coalescing to the rate is the display doing its job; anything else is the server's bug.
            if (problem.error !== ProgressError.RATE_LIMIT) {
              display.log(`mcp-progress: warning: ${problem.message}`);
            }
          },
        },
      ),
      view,
    );
    const elapsed = formatDuration(performance.now() - started);
    const failed = result.isError === true;
    view.finish(failed ? 'failed' : 'done', failed ? `failed in ${elapsed}` : `done in ${elapsed}`);
    display.stop();
    if (json !== undefined) {
      json.write({
        type: 'result',
        isError: failed,
        elapsedMs: json.elapsedMs(),
        result,
      });
    } else if (!failed) {
      printResult(result, streams.out);
    }
    if (failed) {
      streams.err.write(`mcp-progress: ${toolError(tool, result, streams.err)}\n`);
      return ExitCode.Failure;
    }
    return ExitCode.Ok;
  } catch (error: unknown) {
    if (interrupt.signal.aborted) {
      const { by, exitCode } = interruptionOf(interrupt.signal);
      fail(
        'cancelled',
        connection === undefined
          ? `interrupted (${by})`
          : `cancelled (${by}): the server was sent notifications/cancelled`,
      );
      return exitCode;
    }
    if (error instanceof CliFailure) {
      fail('failed', error.message);
      return error.exitCode;
    }
    if (isTimeout(error)) {
      fail(
        'timeout',
        `timed out: no progress and no result for ${String(options.timeoutMs)} ms (--timeout); the call was cancelled`,
      );
      return ExitCode.Failure;
    }
    fail('failed', `the call failed: ${connection?.explain(error) ?? messageOf(error)}`);
    return ExitCode.Failure;
  } finally {
    display.stop();
    await connection?.close();
    interrupt.dispose();
  }
}

/** Prints a tool's result: text as it is, other content as one JSON line each. */
const printResult = (result: CallToolResult, out: NodeJS.WritableStream): void => {
  for (const block of result.content) {
    if (block.type === 'text')
      out.write(block.text.endsWith('\n') ? block.text : `${block.text}\n`);
    else out.write(`${JSON.stringify(block)}\n`);
  }
  if (result.content.length === 0 && result.structuredContent !== undefined) {
    out.write(`${JSON.stringify(result.structuredContent, null, 2)}\n`);
  }
};

/**
 * The one line for a result with `isError`: the SDK's "no such tool" said plainly, a short error
 * text in the line itself, a long one printed above it.
 */
const toolError = (tool: string, result: CallToolResult, err: NodeJS.WritableStream): string => {
  const texts = result.content.flatMap((block) => (block.type === 'text' ? [block.text] : []));
  const text = texts.join('\n').trim();
  if (new RegExp(`Tool ${escape(tool)} not found`).test(text)) {
    return `the server has no tool "${tool}"`;
  }
  const fits = texts.length === result.content.length && !text.includes('\n') && text.length <= 200;
  if (fits) return `the tool "${tool}" returned an error${text === '' ? '' : `: ${text}`}`;
  printResult(result, err);
  return `the tool "${tool}" returned an error (above)`;
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
