import type { RatedProgress } from '../../operators/progressRate.js';
import { describeUpdate } from '../format.js';
import type { Display, DisplayStreams, JobView } from './Display.js';

/**
 * Plain lines, for when stdout is not a terminal (a pipe, a file, CI): one line per update, prefixed
 * with the job's name, at most once a second per job unless `--rate` is given (the rate is applied
 * upstream, by the library's throttle, which never holds back the final update).
 */
export class PlainDisplay implements Display {
  private width = 0;

  constructor(private readonly streams: DisplayStreams) {}

  /** One a second, unless `--rate` says otherwise (`Infinity`: every update). */
  rateFor(requested: number | undefined): number {
    return requested ?? 1;
  }

  job(name: string): JobView {
    this.width = Math.max(this.width, name.length);
    const line = (text: string): void => {
      this.streams.out.write(`${name.padEnd(this.width)}  ${text}\n`);
    };
    return {
      update: (update: RatedProgress) => {
        line(describeUpdate(update));
      },
      finish: (_outcome, summary) => {
        line(summary);
      },
    };
  }

  log(line: string): void {
    this.streams.err.write(`${line}\n`);
  }

  stop(): void {
    // Nothing live to stop.
  }
}
