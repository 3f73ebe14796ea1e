/**
 * Bad usage exits 2 with one line; help and version exit 0; without the MCP SDK (an optional peer
 * dependency, hidden here by a preload) the commands say what to install.
 *
 * A few runs are child processes, end to end; the rest of the argument checks call the CLI's `run`
 * in this process (the same code, minus a TypeScript compiler starting for each case).
 */
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { run } from '../../src/cli/program.js';
import { runCli, type Run } from './support.js';

jest.setTimeout(120_000);

/** Runs `mcp-progress <argv>` in this process, capturing its output. */
const runHere = async (argv: readonly string[]): Promise<Run> => {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        append(chunk.toString());
        callback();
      },
    });
  const code = await run(argv, {
    out: sink((text) => (stdout += text)),
    err: sink((text) => (stderr += text)),
  });
  return { code, signal: null, stdout, stderr };
};

describe('mcp-progress usage', () => {
  describe('as a child process', () => {
    let runs: Record<string, Promise<Run>>;

    beforeAll(() => {
      runs = {
        help: runCli(['--help']),
        badJson: runCli(['call', 'steady', '--args', '{oops', '--', 'node', 'server.js']),
        withoutSdk: runCli(['call', 'steady', '--', 'node', 'server.js'], {
          nodeOptions: ['-r', path.join(__dirname, 'fixtures', 'withoutSdk.ts')],
        }),
      };
    });

    afterAll(async () => {
      await Promise.allSettled(Object.values(runs));
    });

    it('--help lists the commands and the exit statuses (exit 0)', async () => {
      const result = await runs.help;
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Usage: mcp-progress \[options\] \[command\]\n/);
      expect(result.stdout).toMatch(
        /\n {2}call \[options\] <tool> +call a tool and show its progress live\n/,
      );
      expect(result.stdout).toMatch(
        /\n {2}check \[options\] <tool> +call a tool and audit its progress notifications\n/,
      );
      expect(result.stdout).toContain('\n  130  Ctrl-C: the call was cancelled');
    });

    it('--args that is not JSON: one line, exit 2, before any server is started', async () => {
      const result = await runs.badJson;
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^mcp-progress: --args is not valid JSON: .+\n$/);
      expect(result.stdout).toBe('');
    });

    it('without @modelcontextprotocol/sdk installed: says what to install (exit 2)', async () => {
      const result = await runs.withoutSdk;
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'mcp-progress: this command needs the MCP TypeScript SDK, an optional peer dependency: npm install @modelcontextprotocol/sdk\n',
      );
    });
  });

  describe('in process', () => {
    it('call --help shows every option with its default (exit 0)', async () => {
      const result = await runHere(['call', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'Usage: mcp-progress call <tool> [options] -- <command> [args...]',
      );
      for (const option of [
        '--args <json>',
        '--url <url>',
        '--timeout <ms>',
        '-q, --quiet',
        '--rate <n>',
        '--json',
      ]) {
        expect(result.stdout).toContain(option);
      }
      expect(result.stdout).toContain('(default: 60000)');
    });

    it('check --help shows the audit options with their defaults (exit 0)', async () => {
      const result = await runHere(['check', '--help']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/--max-rate <n> .*\(default: 10\)/);
      expect(result.stdout).toMatch(/--burst <n> .*\(default: 10\)/);
      expect(result.stdout).toMatch(/--grace <ms> [^-]*\(default: 500\)/);
    });

    it('--version prints the package version (exit 0)', async () => {
      const result = await runHere(['--version']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });

    it.each([
      [
        ['call', 'steady', '--args', '[1, 2]', '--', 'node', 's.js'],
        /^mcp-progress: --args must be a JSON object such as '\{"count": 3\}', got an array\n$/,
      ],
      [
        ['check', 'steady', '--args', 'null', '--', 'node', 's.js'],
        /^mcp-progress: --args must be a JSON object such as '\{"count": 3\}', got null\n$/,
      ],
      [
        ['call', 'steady'],
        /^mcp-progress: no server: give its command after -- \(mcp-progress call <tool> -- node server\.js\) or --url <url>\n$/,
      ],
      [
        ['call', 'steady', '--url', 'http://localhost:1/mcp', '--', 'node', 's.js'],
        /^mcp-progress: give either a server command after -- or --url, not both\n$/,
      ],
      [
        ['call', 'steady', '--url', 'ftp://x/mcp'],
        /^mcp-progress: --url must be an http: or https: URL, got ftp:\n$/,
      ],
      [
        ['call', 'steady', 'node', 'server.js'],
        /^mcp-progress: unexpected argument "node": put the server command after -- \(mcp-progress call steady -- node server\.js\)\n$/,
      ],
      [
        ['check', 'steady', 'node', 'server.js', '--port', '3'],
        /^mcp-progress: unknown option '--port' \(put the server command and its options after --\)\n$/,
      ],
      [
        ['call', 'steady', '--rate', '0', '--', 'node', 's.js'],
        /^mcp-progress: option '--rate <n>' argument '0' is invalid\. --rate must be a number > 0\.\n$/,
      ],
      [
        ['check', 'steady', '--burst', '1.5', '--', 'node', 's.js'],
        /^mcp-progress: option '--burst <n>' argument '1\.5' is invalid\. --burst must be an integer >= 1\.\n$/,
      ],
      [
        ['call', 'steady', '--timeout', '-1', '--', 'node', 's.js'],
        /^mcp-progress: option '--timeout <ms>' argument '-1' is invalid\. --timeout must be a number of milliseconds >= 0\.\n$/,
      ],
      [['frobnicate'], /^mcp-progress: unknown command 'frobnicate'\n/],
      [[], /Usage: mcp-progress \[options\] \[command\]/],
    ])('%j: one line on stderr, exit 2', async (argv, message) => {
      const result = await runHere(argv);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    });
  });
});
