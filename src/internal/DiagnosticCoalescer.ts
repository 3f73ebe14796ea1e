import type { SchedulerLike } from 'rxjs';
import type { ProgressError } from '../errors/ProgressError.js';
import type { ProgressErrorResult } from '../errors/ProgressErrorResult.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import { TimerQueue, type TimerNode } from './TimerQueue.js';

const NO_TOKEN = Symbol('no token');
const OTHER_TOKENS = Symbol('other tokens');
type Key = ProgressToken | typeof NO_TOKEN | typeof OTHER_TOKENS;

class Entry implements TimerNode {
  timerPrev: TimerNode | undefined = undefined;
  timerNext: TimerNode | undefined = undefined;
  timerDue: number | undefined = undefined;
  /** Inputs counted since the last emitted diagnostic. */
  count = 0;
  /** Builds the diagnostic of the newest counted input. */
  latest: (() => ProgressErrorResult) | undefined = undefined;

  constructor(
    readonly kind: ProgressError,
    readonly key: Key,
  ) {}
}

/**
 * Keeps a flood of bad input from becoming a flood of diagnostics, without losing count of any.
 *
 * Diagnostics are keyed by kind and token. The first of a key is emitted at once (`count: 1`) and
 * opens a window; the others inside the window are only counted; when the window ends, one
 * diagnostic carrying the newest message and `count: n` is emitted and the next window opens (a
 * window with nothing counted forgets the key). Every reported input is thus in exactly one emitted
 * `count`. At most `maxKeys` keys are kept; past that, further tokens share one key per kind.
 * Diagnostic text is built lazily, so an input that is only counted costs no formatting.
 *
 * @internal
 */
export class DiagnosticCoalescer {
  private readonly entries = new Map<ProgressError, Map<Key, Entry>>();
  private readonly windows: TimerQueue<Entry>;
  private keys = 0;

  constructor(
    scheduler: SchedulerLike,
    private readonly windowMs: number,
    private readonly maxKeys: number,
    private readonly emit: (problem: ProgressErrorResult) => void,
  ) {
    this.windows = new TimerQueue<Entry>(scheduler, windowMs, this.windowEnded);
  }

  /** Counts one input, emitting a diagnostic now if its key has no open window. */
  report(
    kind: ProgressError,
    token: ProgressToken | undefined,
    build: () => ProgressErrorResult,
  ): void {
    let byKey = this.entries.get(kind);
    if (byKey === undefined) this.entries.set(kind, (byKey = new Map<Key, Entry>()));
    let key: Key = token ?? NO_TOKEN;
    let entry = byKey.get(key);
    if (entry === undefined && this.keys >= this.maxKeys) {
      key = OTHER_TOKENS;
      entry = byKey.get(key);
    }
    if (entry !== undefined) {
      entry.count++;
      entry.latest = build;
      return;
    }
    entry = new Entry(kind, key);
    byKey.set(key, entry);
    this.keys++;
    this.windows.push(entry);
    this.emit(this.describe(entry, build(), 1));
  }

  /** Emits what has been counted and not yet emitted, and forgets every key. */
  flush(): void {
    const pending: Entry[] = [];
    for (const byKey of this.entries.values()) for (const e of byKey.values()) pending.push(e);
    this.entries.clear();
    this.keys = 0;
    this.windows.clear();
    for (const entry of pending) this.emitCounted(entry);
  }

  private readonly windowEnded = (entry: Entry): void => {
    if (entry.count === 0) {
      this.entries.get(entry.kind)?.delete(entry.key);
      this.keys--;
      return;
    }
    this.windows.push(entry);
    this.emitCounted(entry);
  };

  private emitCounted(entry: Entry): void {
    const { count, latest } = entry;
    entry.count = 0;
    entry.latest = undefined;
    if (count > 0 && latest !== undefined) this.emit(this.describe(entry, latest(), count));
  }

  private describe(entry: Entry, problem: ProgressErrorResult, count: number): ProgressErrorResult {
    const others = entry.key === OTHER_TOKENS;
    const suffix =
      count === 1 && !others
        ? ''
        : others
          ? ` (${String(count)} such diagnostics for various tokens in ${String(this.windowMs)} ms)`
          : ` (${String(count)} times in ${String(this.windowMs)} ms)`;
    const details: unknown = problem.details;
    return {
      error: problem.error,
      message: `${problem.message}${suffix}`,
      details:
        typeof details === 'object' && details !== null
          ? { ...details, count }
          : details === undefined
            ? { count }
            : { details, count },
    };
  }
}
