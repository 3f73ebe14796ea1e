import { spawn, type ChildProcess } from 'node:child_process';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { oneLine } from './format.js';
import { settlesWithin } from './settlesWithin.js';
import { takeLines } from './takeLines.js';

/** How the server process ended. */
export interface ServerExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Options of {@link ChildProcessTransport}. */
export interface ChildProcessTransportOptions {
  /** Called with each line the server writes to stderr. */
  readonly onStderrLine: (line: string) => void;
}

/** Largest stdout line we buffer, as the SDK's `ReadBuffer` (10 MB). */
const MAX_LINE = 10 * 1024 * 1024;
/** How long `close()` waits at each step (stdin closed, SIGTERM) before the next (as the SDK). */
const CLOSE_STEP_MS = 2000;

/**
 * An MCP client transport over a server started as a child process, speaking JSON-RPC lines on its
 * stdin and stdout: the SDK's `StdioClientTransport`, with what a command-line tool needs besides.
 *
 * - **Its own process group** (POSIX): Ctrl-C on a terminal sends SIGINT to the whole foreground
 *   process group. With the SDK's transport the server is in ours, so it would die at the same
 *   moment and never receive the `notifications/cancelled` we send. Here it is spawned `detached`,
 *   so only we get the signal, cancel the call, and then close the server (stdin, then SIGTERM and
 *   SIGKILL to its group, as the SDK does to the process). On Windows the process is not detached
 *   (that would open a console window).
 * - **Why it failed**: `start()` rejects with the spawn error (`ENOENT`, `EACCES`); {@link exit}
 *   tells how the process ended, so "connection closed" can become "the server exited with code 1".
 * - **stderr** is read line by line and handed to `onStderrLine` (to pass it through or drop it).
 * - A stdout line that is not JSON-RPC is reported to `onerror` with the line itself (the SDK's
 *   message names only the parse error); blank lines are ignored.
 * - The environment is ours, whole (the SDK's transport passes only a few safe variables): servers
 *   started by hand expect theirs, API keys included.
 */
export class ChildProcessTransport implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  private child: ChildProcess | undefined = undefined;
  private stdout = '';
  /** Dropping the rest of a stdout line that was too long, up to its end. */
  private skippingLine = false;
  private exitInfo: ServerExit | undefined = undefined;
  private closed = false;
  private readonly killOnExit = (): void => {
    this.signalGroup('SIGKILL');
  };

  /**
   * @param command The executable.
   * @param args Its arguments.
   * @param options See {@link ChildProcessTransportOptions}.
   */
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    private readonly options: ChildProcessTransportOptions,
  ) {}

  /** How the server process ended; `undefined` while it runs (or before it started). */
  get exit(): ServerExit | undefined {
    return this.exitInfo;
  }

  /** Starts the server; rejects with the spawn error (`error.code` is `ENOENT`, `EACCES`, ...). */
  start(): Promise<void> {
    if (this.child !== undefined) return Promise.reject(new Error('already started'));
    return new Promise<void>((resolve, reject) => {
      const child = spawn(this.command, [...this.args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
      this.child = child;
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        process.on('exit', this.killOnExit);
        resolve();
      });
      child.on('error', (error) => {
        if (!spawned) reject(error);
        else this.onerror?.(error);
      });
      child.once('close', (code, signal) => {
        process.off('exit', this.killOnExit);
        this.exitInfo = { code, signal };
        this.finish();
      });
      child.stdin.on('error', () => {
        // EPIPE once the server is gone: its exit says more, and `send` rejects.
      });
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        this.read(chunk);
      });
      child.stderr.setEncoding('utf8');
      let partial = '';
      child.stderr.on('data', (chunk: string) => {
        const { lines, rest } = takeLines(partial, chunk);
        partial = rest;
        for (const line of lines) this.options.onStderrLine(line.replace(/\r$/, ''));
        // A line that never ends is passed on in pieces rather than held without bound.
        if (partial.length > MAX_LINE) {
          this.options.onStderrLine(partial);
          partial = '';
        }
      });
      child.stderr.on('end', () => {
        if (partial !== '') this.options.onStderrLine(partial);
        partial = '';
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (stdin == null || stdin.destroyed || !stdin.writable) {
      return Promise.reject(new Error('Not connected'));
    }
    return new Promise<void>((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => {
        if (error == null) resolve();
        else reject(error);
      });
    });
  }

  /**
   * Ends the server: closes its stdin (what was written is delivered first), then after 2 s sends
   * SIGTERM to its process group, then after 2 s more SIGKILL. Resolves when it has exited.
   */
  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || this.exitInfo !== undefined) {
      this.finish();
      return;
    }
    const exited = new Promise<void>((resolve) => {
      child.once('close', () => {
        resolve();
      });
    });
    child.stdin?.end();
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      if (await settlesWithin(exited, CLOSE_STEP_MS)) return;
      this.signalGroup(signal);
    }
    await settlesWithin(exited, CLOSE_STEP_MS);
    this.finish();
  }

  /** Signals the server's process group (its own, when detached), or the process alone. */
  private signalGroup(signal: NodeJS.Signals): void {
    const child = this.child;
    if (child?.pid === undefined || this.exitInfo !== undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // Gone already.
    }
  }

  private read(chunk: string): void {
    if (this.skippingLine) {
      // The rest of a line already reported as too long: not a line of its own.
      const end = chunk.indexOf('\n');
      if (end < 0) return;
      this.skippingLine = false;
      chunk = chunk.slice(end + 1);
    }
    const { lines, rest } = takeLines(this.stdout, chunk);
    this.stdout = rest;
    for (const line of lines) {
      if (line.trim() !== '') this.deliver(line.replace(/\r$/, ''));
    }
    if (this.stdout.length > MAX_LINE) {
      this.stdout = '';
      this.skippingLine = true;
      this.onerror?.(
        new Error(`the server wrote a stdout line longer than ${String(MAX_LINE)} bytes`),
      );
    }
  }

  private deliver(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      this.onerror?.(
        new Error(`the server wrote a line that is not JSON-RPC to stdout: ${oneLine(line, 60)}`),
      );
      return;
    }
    this.onmessage?.(message);
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
