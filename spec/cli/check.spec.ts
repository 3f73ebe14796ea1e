/**
 * `mcp-progress check`, end to end, against the fixture server's tools (./fixtures/tools.ts): a
 * compliant one, and deliberately broken ones, each reported.
 */
import { fixtureServer, runCli, signalOnce, type Run } from './support.js';
import { startHttpServer, type HttpFixture } from './fixtures/httpServer.js';

jest.setTimeout(120_000);

describe('mcp-progress check', () => {
  let http: HttpFixture;
  let runs: Record<string, Promise<Run>>;
  const check = (tool: string, ...options: string[]): Promise<Run> =>
    runCli(['check', tool, ...options, '--', ...fixtureServer]);

  beforeAll(async () => {
    http = await startHttpServer();
    runs = {
      steady: check('steady'),
      decreasing: check('decreasing'),
      // A generous grace period: the late notification comes 50 ms after the response, however busy
      // the machine is.
      late: check('late', '--grace', '2000'),
      unknownToken: check('unknown_token'),
      flood: check('flood'),
      badTypes: check('bad_types', '--json'),
      http: runCli(['check', 'steady', '--url', http.url]),
      sigint: runCli(
        ['check', 'wait', '--args', '{"say":"fixture: waiting"}', '--', ...fixtureServer],
        { onStderr: signalOnce('fixture: waiting\n', 'SIGINT') },
      ),
    };
  });

  afterAll(async () => {
    await Promise.allSettled(Object.values(runs));
    await http.close();
  });

  it('a compliant tool: a short report, PASS (exit 0)', async () => {
    const run = await runs.steady;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^mcp-progress check: tool "steady" on .*node .*\n/);
    expect(run.stdout).toMatch(/\n {2}token {10}"mcp-progress-check-[a-z0-9]+"\n/);
    expect(run.stdout).toContain(
      '\n  notifications  5: 5 for the token, 0 for other tokens, 0 after the response, 0 malformed\n',
    );
    expect(run.stdout).toContain('\n  progress       1 → 5 of 5\n');
    expect(run.stdout).toMatch(
      /\n {2}timeline {7}first \+\d+ ms · last \+\d+ ms · response \+\d+ ms · listened until \+/,
    );
    expect(run.stdout).toMatch(
      /\n {2}peak rate {6}5 in 1 s, from \+\d+ ms \(allowed: bursts of 10, then 10\/s\)\n/,
    );
    expect(run.stdout).toMatch(/\nPASS: no violations\n$/);
  });

  it('Ctrl-C: the report of what came until then, marked interrupted (exit 130)', async () => {
    const run = await runs.sigint;
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/^mcp-progress check: tool "wait" on /);
    expect(run.stdout).toContain(
      '\n  result         interrupted: cancelled (SIGINT) before the response\n',
    );
    expect(run.stdout).toContain('\n  notifications  1: 1 for the token,');
    expect(run.stdout).toMatch(
      /\nINTERRUPTED: no verdict; no violation in what came until then\n$/,
    );
    expect(run.stderr).toContain(
      'mcp-progress: cancelled (SIGINT): the report covers what came until then\n',
    );
    expect(run.stderr).toContain('fixture: wait cancelled\n');
  });

  it('over Streamable HTTP too', async () => {
    const run = await runs.http;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASS: no violations');
  });

  it('decreasing progress: reported with the values (exit 1)', async () => {
    const run = await runs.decreasing;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('\nFAIL: 1 violation\n');
    expect(run.stdout).toMatch(
      /\n {2}#3 {5}\+\d+ ms +not increasing {2}progress 2 does not increase on 3 \(progress MUST increase with each notification\)\n/,
    );
  });

  it('progress after the response: reported with how late it was (exit 1)', async () => {
    const run = await runs.late;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 after the response');
    expect(run.stdout).toMatch(
      /\n {2}#2 {5}\+\d+ ms +after response {2}progress 2 of 2 arrived \d+ ms after the response \(notifications MUST stop when the operation completes\)\n/,
    );
  });

  it('an unknown token: reported with both tokens (exit 1)', async () => {
    const run = await runs.unknownToken;
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /\n {2}#1 {5}\+\d+ ms +unknown token {3}progress for token "not-your-token", which no request carried \(the request's token is "mcp-progress-check-[a-z0-9]+"\)\n/,
    );
  });

  it('a flood: the rate, and the busiest second (exit 1)', async () => {
    const run = await runs.flood;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('notifications  1,000: 1,000 for the token');
    expect(run.stdout).toMatch(/peak rate {6}1,000 in 1 s/);
    expect(run.stdout).toMatch(
      /\n {2}#\d+ +\+\d+ ms +rate {12}\d+ of 999 notifications came faster than allowed \(bursts of 10, then 10\/s\)\n/,
    );
  });

  it('--json: the report as one object; wrong types are malformed notifications', async () => {
    const run = await runs.badTypes;
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      ok: false,
      tool: 'bad_types',
      outcome: { kind: 'ok' },
      notifications: 2,
      malformed: 1,
      violations: [
        {
          kind: 'malformed',
          index: 1,
          message:
            'invalid progress notification: params.total: "ten" is not a finite number >= 0; params.message: 42 is not a string',
        },
      ],
    });
  });
});
