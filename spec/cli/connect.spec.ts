/**
 * Connecting to a server that goes wrong, in process: the one line says why, with what the server
 * did wrong on the way (a line on stdout that is not JSON-RPC) and, over HTTP, the status and a
 * short excerpt of the body.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect, type ConnectOptions, type Target } from '../../src/cli/connect.js';
import { CliFailure } from '../../src/cli/errors.js';
import { describeHttpError } from '../../src/cli/httpError.js';

jest.setTimeout(30_000);

/** Connects; resolves with the failure's message (and what was logged), fails if it connects. */
const failure = async (
  target: Target,
  options: Partial<ConnectOptions> = {},
): Promise<{ message: string; logged: string[] }> => {
  const logged: string[] = [];
  const connecting = connect(target, {
    log: (line) => logged.push(line),
    quiet: true,
    timeoutMs: 100,
    signal: new AbortController().signal,
    ...options,
  });
  const error = await connecting.then(
    async (connection) => {
      await connection.close();
      return new Error('connected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliFailure);
  return { message: (error as CliFailure).message, logged };
};

const node = (script: string): Target => ({
  kind: 'command',
  command: process.execPath,
  args: ['-e', script],
});

const NOT_JSON =
  'the server wrote a line that is not JSON-RPC to stdout: Server listening on :3000';

describe('connect', () => {
  it('a server that exits before it answers: the line it wrote to stdout is in the message', async () => {
    const { message, logged } = await failure(
      node("console.log('Server listening on :3000'); process.exit(0)"),
    );
    expect(message).toBe(
      `the server exited with code 0 before it answered the initialize request; before that, ${NOT_JSON}`,
    );
    expect(logged).toEqual([]);
  });

  it('a server that never answers: the line it wrote to stdout is in the message', async () => {
    // It leaves when its stdin closes, so that closing it takes no SIGTERM step.
    const { message } = await failure(
      node(
        "console.log('Server listening on :3000'); process.stdin.on('end', () => process.exit(0)).resume()",
      ),
      { minInitializeMs: 1500 },
    );
    expect(message).toBe(
      `the server did not answer the initialize request within 1500 ms; before that, ${NOT_JSON}`,
    );
  });

  it('several such lines: the first, and how many more', async () => {
    const { message } = await failure(
      node("console.log('Server listening on :3000'); console.log('a'); console.log('b')"),
    );
    expect(message).toMatch(/; before that, .*:3000 \(and 2 more warnings\)$/);
  });

  describe('over HTTP', () => {
    let server: http.Server;
    let base: string;

    beforeAll(async () => {
      server = http.createServer((req, res) => {
        // What Express answers for a path it has no route for.
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n' +
            `</head>\n<body>\n<pre>Cannot ${String(req.method)} ${String(req.url)}</pre>\n</body>\n</html>\n`,
        );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    });

    it('a 404 page: the status and the page’s text, not its HTML', async () => {
      const url = new URL(`${base}/nope`);
      const { message, logged } = await failure({ kind: 'url', url });
      expect(message).toBe(`cannot connect to ${url.href}: HTTP 404 Not Found: Cannot POST /nope`);
      expect(logged).toEqual([]);
    });
  });
});

describe('describeHttpError', () => {
  const error = (code: number | undefined, body: string): StreamableHTTPError =>
    new StreamableHTTPError(code, `Error POSTing to endpoint: ${body}`);

  it('gives a JSON-RPC error’s message', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Bad Request: No valid session ID provided' },
      id: null,
    });
    expect(describeHttpError(error(400, body))).toBe(
      'HTTP 400 Bad Request: Bad Request: No valid session ID provided',
    );
  });

  it('keeps a long page to a short line, and says the status alone when there is no body', () => {
    const long = describeHttpError(error(502, `<p>${'upstream &amp; down '.repeat(20)}</p>`));
    expect(long).toMatch(/^HTTP 502 Bad Gateway: upstream & down upstream/);
    expect(long!.length).toBeLessThanOrEqual('HTTP 502 Bad Gateway: '.length + 120);
    expect(describeHttpError(error(503, ''))).toBe('HTTP 503 Service Unavailable');
  });

  it('reads only the start of a huge or hostile page (quadratic patterns over 5 MB would hang)', () => {
    for (const page of [
      '<'.repeat(5_000_000),
      '<head'.repeat(1_000_000),
      '<!--'.repeat(1_000_000),
    ]) {
      const said = describeHttpError(error(500, page));
      expect(said).toMatch(/^HTTP 500 Internal Server Error/);
      expect(said!.length).toBeLessThanOrEqual('HTTP 500 Internal Server Error: '.length + 120);
    }
  });

  it('reads a JSON-RPC error of any size; a failed SSE stream says what failed and its status once', () => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Bad Request: too big', data: 'x'.repeat(10_000) },
      id: null,
    });
    expect(describeHttpError(error(400, body))).toBe('HTTP 400 Bad Request: Bad Request: too big');
    expect(
      describeHttpError(
        new StreamableHTTPError(405, 'Failed to open SSE stream: Method Not Allowed'),
      ),
    ).toBe('Failed to open SSE stream: HTTP 405 Method Not Allowed');
  });

  it('leaves other errors to their own message', () => {
    expect(describeHttpError(new Error('fetch failed'))).toBeUndefined();
    expect(
      describeHttpError(new StreamableHTTPError(-1, 'Unexpected content type: text/plain')),
    ).toBe('Unexpected content type: text/plain');
  });
});
