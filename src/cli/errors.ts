/**
 * The exit statuses of `mcp-progress`.
 *
 * - `Ok` (0): the call succeeded (or the audit found nothing).
 * - `Failure` (1): the tool returned an error result, the call failed or timed out, the server
 *   would not start or has no such tool, or the audit found a violation.
 * - `Usage` (2): bad usage: an unknown option, a bad value, arguments that are not a JSON object,
 *   no server to talk to, or the MCP SDK is not installed.
 * - `Hangup` (129), `Interrupted` (130), `Terminated` (143): 128 + the number of the signal that
 *   stopped the run (SIGHUP, SIGINT i.e. Ctrl-C, SIGTERM); the call was cancelled.
 */
export const ExitCode = {
  Ok: 0,
  Failure: 1,
  Usage: 2,
  Hangup: 129,
  Interrupted: 130,
  Terminated: 143,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A failure the CLI reports as one line on stderr (`mcp-progress: <message>`) before it exits with
 * `exitCode`.
 */
export class CliFailure extends Error {
  /**
   * @param message One line, without the `mcp-progress: ` prefix.
   * @param exitCode The exit status. If not provided, defaults to {@link ExitCode.Failure}.
   */
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
  ) {
    super(message);
    this.name = 'CliFailure';
  }
}

/** A {@link CliFailure} for bad usage (exit status 2). */
export const usageError = (message: string): CliFailure => new CliFailure(message, ExitCode.Usage);

/** The message of anything thrown, on one line. */
export const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ').trim();
