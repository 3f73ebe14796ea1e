/**
 * The slips a new user makes with the SDK adapters (found in a trial: `reporterFor(args)` in a tool
 * with an input schema) fail at once with a TypeError that names the function, what it expected and
 * what it got, instead of "Cannot read properties of undefined" from somewhere inside.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as z from 'zod';
import {
  callToolWithProgress,
  fromTransport,
  reporterFor,
  requestWithProgress,
  withProgress,
} from '../../src/sdk/index.js';

const handler = async (): Promise<CallToolResult> => Promise.resolve({ content: [] });

describe('the SDK adapters, given the wrong argument', () => {
  it('reporterFor: the tool arguments instead of the handler’s extra', () => {
    expect(() => reporterFor({ steps: 3 } as never)).toThrow(
      new TypeError(
        "reporterFor: expected the request handler's `extra` (its last argument, with `signal` and `sendNotification`), got an object with keys steps",
      ),
    );
    expect(() => reporterFor(undefined as never)).toThrow(
      /^reporterFor: expected .* got undefined$/,
    );
    // A signal that is not an AbortSignal-like object is the same slip.
    expect(() =>
      reporterFor({ signal: undefined, sendNotification: () => Promise.resolve() } as never),
    ).toThrow(TypeError);
  });

  it('withProgress: no handler (at registration), or called without the extra', async () => {
    expect(() => withProgress(undefined as never)).toThrow(
      new TypeError('withProgress: expected the tool handler, a function, got undefined'),
    );
    // What a direct call with the tool's arguments only would pass (McpServer always adds extra).
    const tool = withProgress(handler) as unknown as (...args: unknown[]) => Promise<unknown>;
    await expect(tool({ n: 1 }, 'secret')).rejects.toThrow(
      new TypeError(
        "withProgress: expected the request handler's `extra` (with `signal` and `sendNotification`) as argument 2, as McpServer passes a tool callback (args, extra) or (extra), got a string",
      ),
    );
  });

  it('callToolWithProgress and requestWithProgress: no client', () => {
    expect(() => callToolWithProgress(undefined as never, { name: 'x' })).toThrow(
      new TypeError(
        'callToolWithProgress: expected an SDK Client (with `callTool`), got undefined',
      ),
    );
    expect(() => requestWithProgress({} as never, { method: 'ping' }, z.object({}))).toThrow(
      new TypeError(
        'requestWithProgress: expected an SDK Client or Server (with `request`), got an empty object',
      ),
    );
  });

  it('names what it got by kind, never by content: a forgotten await, a class, an array', () => {
    expect(() => callToolWithProgress(Promise.resolve({}) as never, { name: 'x' })).toThrow(
      'callToolWithProgress: expected an SDK Client (with `callTool`), got a Promise',
    );
    class Settings {
      apiKey = 'sk-secret';
    }
    expect(() => reporterFor(new Settings() as never)).toThrow(/got a Settings with keys apiKey$/);
    expect(() => reporterFor([1, 2] as never)).toThrow(/got an array of 2$/);
  });

  it('fromTransport: something that is not a transport', () => {
    expect(() => fromTransport(null as never)).toThrow(
      new TypeError('fromTransport: expected an SDK Transport (with `send`), got null'),
    );
  });
});
