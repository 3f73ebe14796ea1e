import type { RatedProgress } from '../../operators/progressRate.js';
import { DEFAULT_RATE, type Display, type DisplayStreams, type JobView } from './Display.js';

/** What `--json` writes: one object a line. */
export type JsonEvent =
  | ({ readonly type: 'progress'; readonly elapsedMs: number } & RatedProgress)
  | {
      readonly type: 'result';
      readonly isError: boolean;
      readonly elapsedMs: number;
      readonly result: unknown;
    }
  | {
      readonly type: 'error';
      readonly reason: 'failed' | 'timeout' | 'cancelled';
      readonly message: string;
      readonly elapsedMs: number;
    };

/**
 * JSON lines on stdout (`--json`): one `progress` object per update delivered (after `--rate`), then
 * one `result` or `error` object. Everything else (the server's stderr, warnings) goes to stderr.
 */
export class JsonDisplay implements Display {
  private startedAt = performance.now();

  constructor(private readonly streams: DisplayStreams) {}

  rateFor(requested: number | undefined): number {
    return requested ?? DEFAULT_RATE;
  }

  /** The job's place; the clock of `elapsedMs` starts now (the call is about to be sent). */
  job(): JobView {
    this.startedAt = performance.now();
    return {
      update: (update: RatedProgress) => {
        this.write({ type: 'progress', ...rounded(update), elapsedMs: this.elapsedMs() });
      },
      finish: () => {
        // The result or error event says it.
      },
    };
  }

  /** Writes one event. */
  write(event: JsonEvent): void {
    this.streams.out.write(`${JSON.stringify(event)}\n`);
  }

  /** Milliseconds since the job started (or the display was created), rounded. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  log(line: string): void {
    this.streams.err.write(`${line}\n`);
  }

  stop(): void {
    // Nothing live to stop.
  }
}

/** The rate to 3 decimals and the ETA to whole milliseconds: JSON readers want numbers, not noise. */
const rounded = (update: RatedProgress): RatedProgress => ({
  ...update,
  ...(update.rate === undefined ? {} : { rate: Math.round(update.rate * 1000) / 1000 }),
  ...(update.etaMs === undefined ? {} : { etaMs: Math.round(update.etaMs) }),
});
