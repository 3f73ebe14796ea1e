import cliProgress from 'cli-progress';
import type { RatedProgress } from '../../operators/progressRate.js';
import { truncateMessage } from '../../wire/truncateMessage.js';
import { formatCount, oneLine, percentOf, rateParts } from '../format.js';
import { DEFAULT_RATE, type Display, type DisplayStreams, type JobView } from './Display.js';

const BAR_WIDTH = 24;
const BLOCK = 6;
const FULL = '\u2588';
const EMPTY = '\u2591';

interface BarState {
  readonly name: string;
  update: RatedProgress | undefined;
  finished: { readonly outcome: 'done' | 'failed'; readonly summary: string } | undefined;
}

/**
 * Live bars on a terminal, one per job, drawn by `cli-progress` ten times a second: percent,
 * `progress/total`, rate, ETA and the notification's message; when the total is unknown, a block
 * that bounces and the count so far. Lines logged meanwhile (the server's stderr) appear above the
 * bars.
 */
export class BarDisplay implements Display {
  private readonly bars: cliProgress.MultiBar;
  /** The longest job name, which every bar is padded to. */
  private nameWidth = 0;
  private active = true;

  constructor(private readonly streams: DisplayStreams) {
    this.bars = new cliProgress.MultiBar({
      stream: streams.out,
      fps: 10,
      hideCursor: true,
      gracefulExit: false, // Ctrl-C is ours: it cancels the call
      clearOnComplete: false,
      autopadding: true,
    });
  }

  rateFor(requested: number | undefined): number {
    return requested ?? DEFAULT_RATE;
  }

  job(name: string): JobView {
    const state: BarState = { name, update: undefined, finished: undefined };
    this.nameWidth = Math.max(this.nameWidth, name.length);
    this.bars.create(
      1,
      0,
      {},
      {
        format: (_options, params) => this.render(state, params.maxWidth),
      },
    );
    return {
      update: (update: RatedProgress) => {
        if (state.finished === undefined) state.update = update;
      },
      finish: (outcome, summary) => {
        state.finished = { outcome, summary };
      },
    };
  }

  log(line: string): void {
    if (this.active) this.bars.log(`${line}\n`);
    else this.streams.err.write(`${line}\n`);
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.bars.update(); // flushes logged lines before the last drawing
    this.bars.stop();
  }

  private render(state: BarState, maxWidth: number): string {
    const { update, finished } = state;
    const parts: string[] = [];
    if (update === undefined) {
      parts.push(finished === undefined ? 'waiting for progress' : finished.summary);
    } else if (update.total === undefined) {
      parts.push(formatCount(update.progress));
    } else {
      const percent = percentOf(update.progress, update.total);
      parts.push(
        `${String(percent).padStart(3)}%`,
        `${formatCount(update.progress)}/${formatCount(update.total)}`,
      );
    }
    if (update !== undefined) {
      if (finished === undefined) parts.push(...rateParts(update));
      else parts.push(finished.summary);
      if (update.message !== undefined) parts.push(oneLine(update.message));
    }
    const line = `${state.name.padEnd(this.nameWidth)}  ${bar(update, finished)}  ${parts.join(' | ')}`;
    return truncateMessage(line, Math.max(1, maxWidth - 1));
  }
}

/** The bar itself: filled in proportion, or a bouncing block while the total is unknown. */
const bar = (update: RatedProgress | undefined, finished: BarState['finished']): string => {
  if (finished?.outcome === 'done') return FULL.repeat(BAR_WIDTH);
  if (update?.total !== undefined) {
    const filled = Math.round((BAR_WIDTH * percentOf(update.progress, update.total)) / 100);
    return FULL.repeat(filled) + EMPTY.repeat(BAR_WIDTH - filled);
  }
  if (finished !== undefined) return EMPTY.repeat(BAR_WIDTH);
  const span = BAR_WIDTH - BLOCK;
  const step = Math.floor(Date.now() / 80) % (2 * span);
  const at = step <= span ? step : 2 * span - step;
  return EMPTY.repeat(at) + FULL.repeat(BLOCK) + EMPTY.repeat(span - at);
};
