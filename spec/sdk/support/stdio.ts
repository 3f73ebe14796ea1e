import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(__dirname, '../../..');

/** A client connected to a fixture server running as a child process. */
export interface StdioFixture {
  readonly transport: StdioClientTransport;
  readonly client: Client;
  /** What the SDK client reported to `onerror` (cleared by the test as it sees fit). */
  readonly clientErrors: Error[];
}

/**
 * For a describe block: starts `fixtures/<file>` (TypeScript, through ts-node) as a child process
 * before all tests, connects an SDK client to it over stdio, and closes it after all tests.
 */
export const stdioFixture = (file: string, clientName: string): StdioFixture => {
  const clientErrors: Error[] = [];
  let transport: StdioClientTransport | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    transport = new StdioClientTransport({
      command: process.execPath,
      args: ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', 'fixtures', file)],
      cwd: root,
      stderr: 'inherit',
    });
    client = new Client({ name: clientName, version: '1.0.0' });
    client.onerror = (error) => clientErrors.push(error);
    await client.connect(transport);
  }, 20_000);
  afterAll(async () => {
    await client?.close();
  });
  const connected = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the fixture is not connected (beforeAll)');
    return value;
  };
  return {
    get transport() {
      return connected(transport);
    },
    get client() {
      return connected(client);
    },
    clientErrors,
  };
};
