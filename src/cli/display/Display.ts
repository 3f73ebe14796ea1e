import type { RatedProgress } from '../../operators/progressRate.js';

/** One job's place on a {@link Display}: a bar, or a name prefixing lines. */
export interface JobView {
  /** Shows an update (with its rate and ETA from `progressRate`). */
  update(update: RatedProgress): void;
  /**
   * Marks the job finished.
   *
   * @param outcome `done` or `failed`.
   * @param summary A few words shown with it, such as `done in 3.1s`.
   */
  finish(outcome: 'done' | 'failed', summary: string): void;
}

/** Updates shown per second by bars and JSON lines when `--rate` is not given. */
export const DEFAULT_RATE = 10;

/** Where progress goes: live bars on a terminal, plain lines, or JSON lines. */
export interface Display {
  /**
   * The most updates per second to deliver for one job: what the user asked for (`--rate`), or the
   * display's own default: {@link DEFAULT_RATE} for bars and JSON, one a second for plain lines.
   */
  rateFor(requested: number | undefined): number;
  /** A place for one job. */
  job(name: string): JobView;
  /** A line that is not progress (the server's stderr, a warning), written without breaking bars. */
  log(line: string): void;
  /** Ends the live display: bars are drawn a last time and the cursor comes back. Idempotent. */
  stop(): void;
}

/** The output streams a display writes to. */
export interface DisplayStreams {
  readonly out: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly err: NodeJS.WritableStream;
}
