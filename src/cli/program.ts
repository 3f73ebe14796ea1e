import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Target } from './connect.js';
import type { DisplayStreams } from './display/Display.js';
import { MAX_TIMER_MS } from '../internal/options.js';
import { CliFailure, ExitCode, messageOf, usageError } from './errors.js';
import { packageVersion } from './version.js';

/** The options `call` and `check` share, as commander gives them. */
interface CommonFlags {
  readonly args: string;
  readonly url?: string;
  readonly timeout: number;
  readonly quiet?: true;
  readonly json?: true;
}

interface CallFlags extends CommonFlags {
  readonly rate?: number;
}

/** The shared options, checked: what `call` and `check` both take. */
interface CommonOptions {
  readonly args: Record<string, unknown>;
  readonly timeoutMs: number;
  readonly json: boolean;
  readonly quiet: boolean;
}

interface CheckFlags extends CommonFlags {
  readonly maxRate: number;
  readonly burst: number;
  readonly grace: number;
}

const EXIT_CODES = `
Exit status:
  0    success (check: no violation)
  1    the tool returned an error; the call failed or timed out; the server
       would not start or has no such tool (check: a violation)
  2    bad usage: unknown option, bad value, --args not a JSON object, no server
  130  Ctrl-C: the call was cancelled (the server got notifications/cancelled)
  143  SIGTERM, 129 SIGHUP: as Ctrl-C`;

/**
 * Runs `mcp-progress` with the given arguments.
 *
 * The server command comes after the first `--` and is split off before commander sees the rest, so
 * that the server's own options are never taken for ours.
 *
 * @param argv The arguments after the executable and the script (`process.argv.slice(2)`).
 * @param streams stdout and stderr.
 * @return The exit status.
 */
export async function run(argv: readonly string[], streams: DisplayStreams): Promise<number> {
  const split = argv.indexOf('--');
  const ours = split === -1 ? [...argv] : argv.slice(0, split);
  const serverCommand = split === -1 ? [] : argv.slice(split + 1);
  let exitCode: number = ExitCode.Ok;

  const program = new Command('mcp-progress')
    .description(
      'Call a tool on an MCP server and watch its progress live, or audit the progress\n' +
        'notifications it sends against the MCP specification.',
    )
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'print help')
    .helpCommand('help [command]', 'print help for a command')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.out.write(text),
      writeErr: (text) => streams.err.write(text),
      outputError: (text, write) => {
        const hint =
          split === -1 && /unknown option/.test(text)
            ? ' (put the server command and its options after --)'
            : '';
        write(`mcp-progress: ${text.replace(/^error: /, '').trimEnd()}${hint}\n`);
      },
    })
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      `
Examples:
  mcp-progress call build --args '{"target":"docs"}' -- node server.js
  mcp-progress call build --json --url http://localhost:3000/mcp
  mcp-progress check build -- npx -y my-mcp-server
  mcp-progress demo
${EXIT_CODES}`,
    );

  /**
   * `call` and `check`: a command for one tool of a server, with the options they share, its own
   * (`options`), then `--json` and the exit statuses; `action` runs it once the server and the
   * shared options are checked (its own options are in `command.opts()`).
   */
  const toolCommand = (
    name: string,
    about: { readonly summary: string; readonly description: string; readonly json: string },
    options: (command: Command) => Command,
    action: (
      tool: string,
      target: Target,
      common: CommonOptions,
      command: Command,
    ) => Promise<number>,
  ): Command =>
    options(
      program
        .command(name)
        .summary(about.summary)
        .description(about.description)
        .usage(
          `<tool> [options] -- <command> [args...]\n       mcp-progress ${name} <tool> [options] --url <url>`,
        )
        .argument('<tool>', 'the tool to call')
        .option('--args <json>', "the tool's arguments, a JSON object", '{}')
        .option('--url <url>', 'a Streamable HTTP server, instead of a command after --')
        .addOption(
          new Option('--timeout <ms>', 'fail after this long without progress or result; 0: never')
            .default(60_000)
            .argParser(timeoutMs),
        )
        .option('-q, --quiet', "hide the server's stderr")
        .allowExcessArguments(),
    )
      .option('--json', about.json)
      .addHelpText('after', EXIT_CODES)
      .action(async (tool: string, flags: CommonFlags, command: Command) => {
        const target = targetOf(command, serverCommand, flags.url);
        const common = {
          args: argsOf(flags.args),
          timeoutMs: flags.timeout,
          json: flags.json === true,
          quiet: flags.quiet === true,
        };
        exitCode = await action(tool, target, common, command);
      });

  toolCommand(
    'call',
    {
      summary: 'call a tool and show its progress live',
      description:
        'Start the server (the command after --) or reach it (--url), call the tool\n' +
        'with a progress token, show its progress and print its result. On a terminal:\n' +
        'a live bar (percent, message, rate, ETA; a count when the total is unknown).\n' +
        'Otherwise: plain lines, one a second unless --rate says otherwise. With --json:\n' +
        'one JSON object a line per event.',
      json: 'one JSON object a line per event: progress, result, error',
    },
    (command) =>
      command.addOption(
        new Option(
          '--rate <n>',
          'most progress updates shown per second; Infinity: all (default: 10; plain lines: 1)',
        ).argParser(positive('--rate')),
      ),
    async (tool, target, common, command) => {
      const { rate } = command.opts<CallFlags>();
      const { callCommand } = await load(() => import('./call.js'));
      return callCommand(tool, target, { ...common, rate }, streams);
    },
  );

  toolCommand(
    'check',
    {
      summary: 'call a tool and audit its progress notifications',
      description:
        'Call the tool with a progress token and audit every progress notification the\n' +
        'server sends: the token is echoed, progress strictly increases, total and\n' +
        'message have the right types, no unknown token, none after the response\n' +
        '(listening --grace ms more), and the rate: at most --burst back to back, then\n' +
        '--max-rate a second. Prints a report; exits 1 on any violation.',
      json: 'print the report as one JSON object',
    },
    (command) =>
      command
        .addOption(
          new Option('--max-rate <n>', 'notifications per second allowed after a burst')
            .default(10)
            .argParser(positive('--max-rate')),
        )
        .addOption(
          new Option('--burst <n>', 'notifications allowed back to back')
            .default(10)
            .argParser(atLeastOne('--burst')),
        )
        .addOption(
          new Option('--grace <ms>', 'how long to listen after the response for late notifications')
            .default(500)
            .argParser(duration('--grace')),
        ),
    async (tool, target, common, command) => {
      const { maxRate, burst, grace: graceMs } = command.opts<CheckFlags>();
      const { checkCommand } = await load(() => import('./check.js'));
      return checkCommand(tool, target, { ...common, maxRate, burst, graceMs }, streams);
    },
  );

  program
    .command('demo')
    .summary('run the bundled demo server: three tools at once, three bars')
    .description(
      'Start the bundled demo MCP server and call three of its tools at once: a job\n' +
        'with a known total and messages, one whose total is unknown, and one that\n' +
        'reports 100,000 times to show rate limiting. Ends with a summary table.',
    )
    .action(async (_flags: unknown, command: Command) => {
      if (command.args.length > 0 || serverCommand.length > 0) {
        throw usageError('demo takes no arguments');
      }
      const { demoCommand } = await load(() => import('./demo.js'));
      exitCode = await demoCommand(streams);
    });

  try {
    await program.parseAsync(ours, { from: 'user' });
    return exitCode;
  } catch (error: unknown) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof CliFailure) {
      streams.err.write(`mcp-progress: ${error.message}\n`);
      return error.exitCode;
    }
    streams.err.write(
      `mcp-progress: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.Failure;
  }
}

/** The server from the command after `--` or `--url`: exactly one of them. */
const targetOf = (command: Command, serverCommand: readonly string[], url?: string): Target => {
  if (command.args.length > 1) {
    const extra = command.args.slice(1).join(' ');
    throw usageError(
      `unexpected argument "${command.args[1] ?? ''}": put the server command after -- ` +
        `(mcp-progress ${command.name()} ${command.args[0] ?? '<tool>'} -- ${extra})`,
    );
  }
  const executable = serverCommand.at(0);
  const args = serverCommand.slice(1);
  if (url !== undefined && executable !== undefined) {
    throw usageError('give either a server command after -- or --url, not both');
  }
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw usageError(`--url is not a URL: ${url}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw usageError(`--url must be an http: or https: URL, got ${parsed.protocol}`);
    }
    return { kind: 'url', url: parsed };
  }
  if (executable === undefined || executable === '') {
    throw usageError(
      `no server: give its command after -- (mcp-progress ${command.name()} <tool> -- node server.js) or --url <url>`,
    );
  }
  return { kind: 'command', command: executable, args };
};

/** `--args`: a JSON object. */
const argsOf = (text: string): Record<string, unknown> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    throw usageError(`--args is not valid JSON: ${messageOf(error)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw usageError(`--args must be a JSON object such as '{"count": 3}', got ${kind}`);
  }
  return value as Record<string, unknown>;
};

const positive =
  (name: string) =>
  (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !(value > 0)) {
      throw new InvalidArgumentError(`${name} must be a number > 0.`);
    }
    return value;
  };

const atLeastOne =
  (name: string) =>
  (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError(`${name} must be an integer >= 1.`);
    }
    return value;
  };

const duration =
  (name: string) =>
  (text: string): number => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${name} must be a number of milliseconds >= 0.`);
    }
    return value;
  };

/** `--timeout`: milliseconds, at most the longest timer Node keeps; `0` is no timeout. */
const timeoutMs = (text: string): number => {
  const value = duration('--timeout')(text);
  if (value > MAX_TIMER_MS) {
    throw new InvalidArgumentError(
      `--timeout must be at most ${String(MAX_TIMER_MS)} ms (0: no timeout).`,
    );
  }
  return value === 0 ? Infinity : value;
};

/**
 * Loads a command's module, which imports the MCP SDK (an optional peer dependency): when the SDK
 * is not installed, says so in one line (exit status 2) instead of a stack trace.
 */
const load = async <T>(importer: () => Promise<T>): Promise<T> => {
  try {
    return await importer();
  } catch (error: unknown) {
    const missing = missingModule(error);
    if (missing === undefined) throw error;
    if (missing.startsWith('@modelcontextprotocol/sdk')) {
      throw usageError(
        'this command needs the MCP TypeScript SDK, an optional peer dependency: npm install @modelcontextprotocol/sdk',
      );
    }
    if (error instanceof Error && error.message.includes('@modelcontextprotocol/sdk')) {
      throw usageError(
        `the MCP TypeScript SDK cannot load ${missing}: reinstall it (npm install @modelcontextprotocol/sdk)`,
      );
    }
    throw error;
  }
};

/** The module named by a "cannot find module" error, if it is one. */
const missingModule = (error: unknown): string | undefined => {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  return /(?:module|package) '([^']+)'/i.exec(error.message)?.[1] ?? 'unknown';
};
