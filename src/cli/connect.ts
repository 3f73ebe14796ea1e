import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { ChildProcessTransport, type ServerExit } from './ChildProcessTransport.js';
import { MAX_TIMER_MS } from '../internal/options.js';
import { CliFailure, messageOf } from './errors.js';
import { oneLine } from './format.js';
import { describeHttpError } from './httpError.js';
import { HttpTransport } from './HttpTransport.js';
import { Interrupted, unlessAborted } from './interrupt.js';
import { packageVersion } from './version.js';

/** The server to talk to: a command to start, or the URL of a Streamable HTTP endpoint. */
export type Target =
  | { readonly kind: 'command'; readonly command: string; readonly args: readonly string[] }
  | { readonly kind: 'url'; readonly url: URL };

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Where the server's stderr lines and our warnings go (unless `quiet`). */
  readonly log: (line: string) => void;
  /** Drop the server's stderr (its last line still explains an early exit). */
  readonly quiet: boolean;
  /**
   * The call's idle timeout (`--timeout`), in milliseconds (`Infinity`: none). The answer to
   * `initialize` is awaited this long, but at least a minute: starting a server can take a while.
   */
  readonly timeoutMs: number;
  /** Ctrl-C: gives up connecting (the promise rejects with the signal's reason). */
  readonly signal: AbortSignal;
  /**
   * Called with what the SDK client reports out of band (`client.onerror`: a line on stdout that
   * is not JSON-RPC, progress for a token it does not know). If not provided, defaults to logging
   * it as `mcp-progress: warning: ...`.
   */
  readonly warn?: (message: string) => void;
  /**
   * The least time the server is given to answer `initialize`, in milliseconds. If not provided,
   * defaults to a minute.
   */
  readonly minInitializeMs?: number;
}

/** A connected SDK `Client` and what the CLI needs besides. */
export interface Connection {
  readonly client: Client;
  readonly transport: Transport;
  /** The server, for messages: its command line or its URL. */
  readonly name: string;
  /**
   * One line saying why a request failed: "the server exited with code 1 during the call" when it
   * did, the error's own message otherwise.
   */
  explain(error: unknown): string;
  /** Closes the client and the transport (and ends the server process). Idempotent. */
  close(): Promise<void>;
}

/** The least time a server is given to answer `initialize`, in milliseconds. */
const INITIALIZE_MS = 60_000;

/**
 * Starts (or reaches) the server and initializes an MCP session with it.
 *
 * @param target The server.
 * @param options See {@link ConnectOptions}.
 * @return The connection.
 * @throws CliFailure with a one-line reason when the server will not start, exits early, does not
 * answer in time, or cannot be reached; the signal's reason ({@link Interrupted}) on Ctrl-C.
 */
export async function connect(target: Target, options: ConnectOptions): Promise<Connection> {
  let lastStderr: string | undefined;
  const onStderrLine = (line: string): void => {
    if (line.trim() !== '') lastStderr = line;
    if (!options.quiet) options.log(line);
  };
  const transport =
    target.kind === 'command'
      ? new ChildProcessTransport(target.command, target.args, { onStderrLine })
      : new HttpTransport(target.url);
  const name =
    target.kind === 'command' ? [target.command, ...target.args].join(' ') : target.url.href;
  const client = new Client({ name: 'mcp-progress', version: packageVersion() });
  const warn =
    options.warn ??
    ((message: string) => {
      options.log(`mcp-progress: warning: ${message}`);
    });
  // Warnings while connecting wait: if connecting fails, its one line says them too (the first,
  // and how many more), so that `--json` and `check` have them. None once closing.
  let held: string[] | undefined = [];
  let closingDown = false;
  client.onerror = (error) => {
    if (closingDown) return;
    if (held === undefined) warn(messageOf(error));
    else held.push(messageOf(error));
  };

  const exitOf = (): ServerExit | undefined =>
    transport instanceof ChildProcessTransport ? transport.exit : undefined;
  const lastWords = (): string =>
    options.quiet && lastStderr !== undefined
      ? `; its last words: ${oneLine(lastStderr, 100)}`
      : '';
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closingDown = true;
    closing ??= client.close().catch(ignore);
    return closing;
  };

  // A server may take a while to start (`npx -y` downloads it): --timeout, but at least a minute.
  const initializeMs = Math.max(options.timeoutMs, options.minInitializeMs ?? INITIALIZE_MS);
  try {
    const timeout = initializeMs === Infinity ? MAX_TIMER_MS : initializeMs;
    await unlessAborted(client.connect(transport, { timeout }), options.signal);
  } catch (error: unknown) {
    const failure =
      startFailure(target, error, exitOf(), initializeMs) +
      lastWords() +
      heldWarnings(held, messageOf(error));
    await close();
    if (error instanceof Interrupted) throw error;
    throw new CliFailure(failure);
  }
  const warnings = held;
  held = undefined;
  for (const message of warnings) warn(message);

  return {
    client,
    transport,
    name,
    explain: (error) => {
      const exit = exitOf();
      return exit === undefined
        ? (describeHttpError(error) ?? messageOf(error))
        : `the server ${describeExit(exit)} during the call${lastWords()}`;
    },
    close,
  };
}

/** Why connecting failed, on one line. */
const startFailure = (
  target: Target,
  error: unknown,
  exit: ServerExit | undefined,
  timeoutMs: number,
): string => {
  if (target.kind === 'command') {
    const code = errnoOf(error);
    if (code === 'ENOENT') {
      return `cannot start the server: command not found: ${target.command} (ENOENT)`;
    }
    if (code === 'EACCES') {
      return `cannot start the server: permission denied: ${target.command} (EACCES)`;
    }
    if (code !== undefined) {
      return `cannot start the server ${target.command}: ${messageOf(error)}`;
    }
    if (exit !== undefined) {
      return `the server ${describeExit(exit)} before it answered the initialize request`;
    }
  }
  if (isTimeout(error)) {
    return `the server did not answer the initialize request within ${String(timeoutMs)} ms`;
  }
  const where = target.kind === 'command' ? 'the server' : target.url.href;
  const http = describeHttpError(error);
  if (http !== undefined) return `cannot connect to ${where}: ${http}`;
  return `cannot connect to ${where}: ${messageOf(error)}${causeOf(error)}`;
};

/**
 * What the server did wrong while connecting (a line on stdout that is not JSON-RPC, say), for the
 * end of the failure's line: the first warning and how many more. The error itself, which the SDK
 * reports to `onerror` as well, is left out.
 */
const heldWarnings = (held: readonly string[], error: string): string => {
  const warnings = held.filter((message) => message !== error);
  const first = warnings.at(0);
  if (first === undefined) return '';
  const more = warnings.length - 1;
  return `; before that, ${first}${more === 0 ? '' : ` (and ${String(more)} more warnings)`}`;
};

/** `exited with code 1`, `was killed by SIGTERM`. */
const describeExit = ({ code, signal }: ServerExit): string =>
  signal !== null ? `was killed by ${signal}` : `exited with code ${String(code)}`;

const errnoOf = (error: unknown): string | undefined => {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
};

/** `fetch failed` says little; its `cause` (`connect ECONNREFUSED 127.0.0.1:9`) says why. */
const causeOf = (error: unknown): string => {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? ` (${messageOf(cause)})` : '';
};

/** Whether the SDK gave up waiting (`ErrorCode.RequestTimeout`). */
export const isTimeout = (error: unknown): boolean =>
  error instanceof McpError && error.code === (ErrorCode.RequestTimeout as number);

const ignore = (): void => undefined;
