/**
 * `mcp-progress call`, end to end: the CLI runs from the sources as a child process and starts the
 * demo server or the fixture server (./fixtures/server.ts) as its own child; one test serves the
 * fixture tools over Streamable HTTP from this process. The runs start together in `beforeAll`
 * (at most four at a time) and each test awaits its own.
 */
import { demoServer, fixtureServer, jsonLines, runCli, signalOnce, type Run } from './support.js';
import { startHttpServer, type HttpFixture } from './fixtures/httpServer.js';

jest.setTimeout(120_000);

describe('mcp-progress call', () => {
  let http: HttpFixture;
  let runs: Record<string, Promise<Run>>;

  beforeAll(async () => {
    http = await startHttpServer();
    runs = {
      json: runCli([
        'call',
        'build',
        '--json',
        '--args',
        '{"modules":8,"delayMs":30}',
        '--',
        ...demoServer,
      ]),
      sigint: runCli(['call', 'wait', '--', ...fixtureServer], {
        onStdout: signalOnce('waiting to be cancelled', 'SIGINT'),
      }),
      plain: runCli([
        'call',
        'build',
        '--args',
        '{"modules":25,"delayMs":100}',
        '--',
        ...demoServer,
      ]),
      fail: runCli(['call', 'fail', '--', ...fixtureServer]),
      plainAll: runCli([
        'call',
        'steady',
        '--rate',
        'Infinity',
        '--args',
        '{"steps":5,"delayMs":10}',
        '--',
        ...fixtureServer,
      ]),
      http: runCli([
        'call',
        'steady',
        '--json',
        '--args',
        '{"steps":3,"delayMs":10}',
        '--url',
        http.url,
      ]),
      enoent: runCli(['call', 'steady', '--', 'no-such-mcp-server-xyz', '--port', '3']),
      early: runCli([
        'call',
        'steady',
        '--quiet',
        '--',
        process.execPath,
        '-e',
        "console.error('missing config'); process.exit(3)",
      ]),
      noTool: runCli(['call', 'nope', '--', ...fixtureServer]),
      exit: runCli(['call', 'exit', '--', ...fixtureServer]),
      timeout: runCli(['call', 'wait', '--timeout', '300', '--', ...fixtureServer]),
    };
  });

  afterAll(async () => {
    await Promise.allSettled(Object.values(runs));
    await http.close();
  });

  it('--json: one object a line, progress strictly increasing up to the final one, then the result (exit 0)', async () => {
    const run = await runs.json;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    const result = events.at(-1)!;
    const progress = events.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((e) => e.type === 'progress' && typeof e.elapsedMs === 'number')).toBe(
      true,
    );
    const values = progress.map((e) => e.progress as number);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    expect(progress.at(-1)).toMatchObject({
      progress: 8,
      total: 8,
      message: 'compiled src/module-08.ts',
    });
    // progressRate: no rate on the first update, a rate after it.
    expect(progress[0]).not.toHaveProperty('rate');
    expect(progress[1]).toHaveProperty('rate');
    expect(result).toMatchObject({
      type: 'result',
      isError: false,
      result: {
        content: [{ type: 'text', text: 'built 8 modules' }],
        structuredContent: { updates: 8 },
      },
    });
  });

  it('without a terminal: plain lines, at most one a second, the final update, then the result', async () => {
    const run = await runs.plain;
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b'); // no escape sequences
    const lines = run.stdout.trimEnd().split('\n');
    const progressLines = lines.filter((l) => /^build {2}\d+\/25 \(\d+%\)/.test(l));
    const seconds = Number(/^build {2}done in ([\d.]+)s$/m.exec(run.stdout)?.[1]);
    expect(seconds).toBeGreaterThan(2);
    // The first at once, then at most one a second; the final one is never held back.
    expect(progressLines.length).toBeGreaterThanOrEqual(2);
    expect(progressLines.length).toBeLessThanOrEqual(Math.floor(seconds) + 2);
    expect(progressLines[0]).toMatch(/^build {2}1\/25 \(4%\) {2}compiled src\/module-01\.ts$/);
    expect(progressLines.at(-1)).toMatch(
      /^build {2}25\/25 \(100%\) {2}[\d.]+\/s {2}compiled src\/module-25\.ts$/,
    );
    expect(lines.at(-1)).toBe('built 25 modules');
  });

  it('without a terminal, --rate Infinity: every update, a line each', async () => {
    const run = await runs.plainAll;
    expect(run.code).toBe(0);
    const steps = run.stdout.split('\n').filter((l) => /^steady {2}\d\/5 /.test(l));
    expect(steps.map((l) => l.slice(0, 'steady  1/5'.length))).toEqual(
      [1, 2, 3, 4, 5].map((i) => `steady  ${String(i)}/5`),
    );
  });

  it('a tool that returns an error: its message in one line (exit 1)', async () => {
    const run = await runs.fail;
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('mcp-progress: the tool "fail" returned an error: disk full\n');
  });

  it('Ctrl-C (SIGINT): cancels the call, the server sees it, exit 130', async () => {
    const run = await runs.sigint;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(
      'mcp-progress: cancelled (SIGINT): the server was sent notifications/cancelled\n',
    );
    // The server's stderr, passed through: its extra.signal aborted.
    expect(run.stderr).toContain('fixture: wait cancelled\n');
  });

  it('--timeout: no progress and no result for that long cancels the call (exit 1)', async () => {
    const run = await runs.timeout;
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'mcp-progress: timed out: no progress and no result for 300 ms (--timeout); the call was cancelled\n',
    );
    expect(run.stderr).toContain('fixture: wait cancelled\n');
  });

  it('--url: a Streamable HTTP server', async () => {
    const run = await runs.http;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const events = jsonLines(run.stdout);
    expect(events.at(-2)).toMatchObject({
      type: 'progress',
      progress: 3,
      total: 3,
      message: 'step 3',
    });
    expect(events.at(-1)).toMatchObject({
      type: 'result',
      result: { content: [{ type: 'text', text: 'steady: 3 steps' }] },
    });
  });

  describe('a clear one-line message (exit 1)', () => {
    it('for a server command that does not exist', async () => {
      const run = await runs.enoent;
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'mcp-progress: cannot start the server: command not found: no-such-mcp-server-xyz (ENOENT)\n',
      );
    });

    it('for a server that exits before answering (with --quiet, its last stderr line)', async () => {
      const run = await runs.early;
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'mcp-progress: the server exited with code 3 before it answered the initialize request; its last words: missing config\n',
      );
    });

    it('for a server that exits during the call (after its own stderr)', async () => {
      const run = await runs.exit;
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'fixture: exiting\nmcp-progress: the call failed: the server exited with code 3 during the call\n',
      );
    });

    it('for a tool that does not exist', async () => {
      const run = await runs.noTool;
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /^mcp-progress: the server has no tool "nope"; its tools: steady, fail, wait, .*\n$/,
      );
    });
  });
});
