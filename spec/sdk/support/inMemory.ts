import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type {
  CallToolResult,
  ClientCapabilities,
  ProgressToken,
} from '@modelcontextprotocol/sdk/types.js';
import { VirtualTimeScheduler } from 'rxjs';
import type { ToolExtra } from '../../../src/sdk/index.js';

/** Lets every pending promise chain (in-memory delivery, SDK handlers) run. */
export const settle = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** A virtual clock for the library's timers while the SDK runs on real promises. */
export class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler();

  get now(): number {
    return this.scheduler.now();
  }

  /** Runs every action due in the next `ms` milliseconds, then sets the clock `ms` later. */
  advance(ms: number): void {
    const target = this.scheduler.frame + ms;
    this.scheduler.maxFrames = target;
    this.scheduler.flush();
    this.scheduler.frame = target;
  }
}

/** One call of a {@link RemoteTool}, driven by the test. */
export interface ToolCall {
  readonly extra: ToolExtra;
  /** `extra._meta.progressToken` as the server received it. */
  readonly token: ProgressToken | undefined;
  /** Sends a progress notification for this call (resolves once delivered in memory). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** Returns the tool's result. */
  finish(text?: string): void;
  /** Makes the tool throw. */
  fail(error: Error): void;
}

/** A tool whose calls wait for the test to drive them. */
export class RemoteTool {
  calls = 0;
  private readonly ready: ToolCall[] = [];
  private readonly waiting: ((call: ToolCall) => void)[] = [];

  readonly handler = (extra: ToolExtra): Promise<CallToolResult> =>
    new Promise<CallToolResult>((resolve, reject) => {
      this.calls++;
      const token = extra._meta?.progressToken;
      const call: ToolCall = {
        extra,
        token,
        progress: (progress, total, message) =>
          extra.sendNotification({
            method: 'notifications/progress',
            params: {
              progressToken: token ?? 'no-token',
              progress,
              ...(total === undefined ? {} : { total }),
              ...(message === undefined ? {} : { message }),
            },
          }),
        finish: (text = 'done') => {
          resolve({ content: [{ type: 'text', text }] });
        },
        fail: reject,
      };
      const waiter = this.waiting.shift();
      if (waiter === undefined) this.ready.push(call);
      else waiter(call);
    });

  /** The next call (already made, or the next one to come). */
  next(): Promise<ToolCall> {
    const call = this.ready.shift();
    if (call !== undefined) return Promise.resolve(call);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** An SDK McpServer and Client connected in memory. */
export interface Connection {
  readonly server: McpServer;
  readonly client: Client;
  readonly clientTransport: InMemoryTransport;
  readonly serverTransport: InMemoryTransport;
  /** What the SDK client reported to `client.onerror`. */
  readonly clientErrors: Error[];
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Registers tools (and handlers) before connecting. */
  readonly setup?: (server: McpServer, client: Client) => void;
  /** Runs with the transports before the SDK connects to them. */
  readonly beforeConnect?: (client: InMemoryTransport, server: InMemoryTransport) => void;
  readonly clientCapabilities?: ClientCapabilities;
}

/** Connects a fresh McpServer and Client over the SDK's InMemoryTransport. */
export const connect = async (options: ConnectOptions = {}): Promise<Connection> => {
  const server = new McpServer({ name: 'test-server', version: '1.0.0' });
  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    { capabilities: options.clientCapabilities ?? {} },
  );
  options.setup?.(server, client);
  const clientErrors: Error[] = [];
  client.onerror = (error) => clientErrors.push(error);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  options.beforeConnect?.(clientTransport, serverTransport);
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return {
    server,
    client,
    clientTransport,
    serverTransport,
    clientErrors,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
};
