import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, ProgressToken } from '@modelcontextprotocol/sdk/types.js';
import { fromTransport } from '../../../src/sdk/index.js';
import { connect, type Connection, type ConnectOptions } from './inMemory.js';

/** A progress notification as a recorder keeps it. */
export interface WireProgress {
  readonly progressToken: unknown;
  readonly progress: unknown;
  readonly total?: unknown;
  readonly message?: unknown;
}

const paramsOf = (message: JSONRPCMessage): Record<string, unknown> | undefined =>
  'method' in message && typeof message.params === 'object' ? message.params : undefined;

/** `p<progress>` for progress, `cancelled` for a cancellation, `result`/`error` for a response. */
export const describeMessage = (message: JSONRPCMessage): string => {
  if ('method' in message) {
    if (message.method === 'notifications/progress') {
      return `p${String(paramsOf(message)?.progress)}`;
    }
    if (message.method === 'notifications/cancelled') return 'cancelled';
    return message.method;
  }
  return 'result' in message ? 'result' : 'error';
};

/**
 * Records what a transport receives from now on (through `fromTransport`, so the SDK connected to
 * it keeps working).
 */
export class WireRecorder {
  readonly messages: JSONRPCMessage[] = [];
  private readonly subscription;
  private waiters: { readonly count: number; readonly resolve: () => void }[] = [];

  constructor(transport: Transport, onMessage?: (message: JSONRPCMessage) => void) {
    this.subscription = fromTransport(transport).subscribe((message) => {
      this.messages.push(message);
      onMessage?.(message);
      const ready = this.waiters.filter((w) => this.messages.length >= w.count);
      this.waiters = this.waiters.filter((w) => this.messages.length < w.count);
      for (const w of ready) w.resolve();
    });
  }

  /** Resolves once `count` messages have been recorded in all (at once if they have). */
  received(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
    });
  }

  /** The progress notifications received, optionally only those with `token`. */
  progress(token?: ProgressToken): WireProgress[] {
    const all = this.messages.flatMap((m) => {
      const params =
        'method' in m && m.method === 'notifications/progress' ? paramsOf(m) : undefined;
      return params === undefined ? [] : [params as unknown as WireProgress];
    });
    return token === undefined ? all : all.filter((p) => p.progressToken === token);
  }

  /** Every message received since the recorder started, in a word (see {@link describeMessage}). */
  shape(): string[] {
    return this.messages.map(describeMessage);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** What {@link recordedConnections} gives a describe block. */
export interface RecordedConnections {
  /** Connects an SDK server and client in memory and starts recording what the client receives. */
  readonly open: (options: ConnectOptions) => Promise<Connection>;
  /** The recorder of the current test's connection. */
  readonly wire: WireRecorder;
}

/**
 * For a describe block: `open` connects per test and records the client's side; after each test,
 * checks that the SDK client reported no error (nothing reached its own routing unasked: it would
 * report an unknown token) and closes the connection.
 */
export const recordedConnections = (): RecordedConnections => {
  let connection: Connection | undefined;
  let recorder: WireRecorder | undefined;
  afterEach(async () => {
    if (connection === undefined) return;
    expect(connection.clientErrors).toEqual([]);
    recorder?.stop();
    await connection.close();
    connection = undefined;
  });
  return {
    open: async (options) => {
      connection = await connect(options);
      recorder = new WireRecorder(connection.clientTransport);
      return connection;
    },
    get wire(): WireRecorder {
      if (recorder === undefined) throw new Error('open() a connection first');
      return recorder;
    },
  };
};
