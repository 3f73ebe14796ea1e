import * as E from 'fp-ts/lib/Either.js';
import { Subject } from 'rxjs';
import { responseIdOf, type RequestId } from '../internal/jsonRpc.js';
import { monotonicProgress } from '../operators/monotonicProgress.js';
import { decodeProgressNotification } from '../wire/decodeProgressNotification.js';
import { isFinalUpdate } from '../wire/isFinalUpdate.js';
import { PROGRESS_METHOD } from '../wire/ProgressNotification.js';
import type { ProgressToken } from '../wire/ProgressToken.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { previewValue } from '../wire/previewValue.js';
import { TokenBucket } from '../internal/TokenBucket.js';

/** The kinds of rule a progress notification can break. */
export type ViolationKind =
  'malformed' | 'unknown token' | 'not increasing' | 'after response' | 'rate';

/** One broken rule. */
export interface Violation {
  readonly kind: ViolationKind;
  /** When (the first time, for `rate`), in milliseconds since the request was sent. */
  readonly at: number;
  /** Which progress notification (the first, for `rate`), counting from 1. */
  readonly index: number;
  /** What happened, in words. */
  readonly message: string;
}

/** Configuration of a {@link ProgressAudit}. */
export interface AuditConfig {
  /** The token the request carried. */
  readonly token: ProgressToken;
  /** Notifications per second allowed after a burst. */
  readonly maxRate: number;
  /** Notifications allowed back to back. */
  readonly burst: number;
}

/**
 * How much earlier than the rate allows a notification may arrive, in milliseconds: delivery
 * jitter (a notification delayed in transit makes the next one look early).
 */
const JITTER_MS = 100;

/** What a {@link ProgressAudit} found. */
export interface AuditReport {
  readonly token: ProgressToken;
  /** Every `notifications/progress` received. */
  readonly notifications: number;
  /** ... of which well formed, for the request's token, before the response. */
  readonly ours: number;
  /** ... of which for another token. */
  readonly otherTokens: number;
  /** ... of which after the response. */
  readonly afterResponse: number;
  /** ... of which malformed. */
  readonly malformed: number;
  /** The first and the last well-formed update for the token, before the response. */
  readonly first: ProgressUpdate | undefined;
  readonly last: ProgressUpdate | undefined;
  /** Times in milliseconds since the request was sent. */
  readonly firstAt: number | undefined;
  readonly lastAt: number | undefined;
  readonly responseAt: number | undefined;
  readonly endedAt: number;
  /** The busiest one-second window: how many notifications, from when to when. */
  readonly peak: { readonly count: number; readonly from: number; readonly to: number } | undefined;
  /** The rate limit applied: `burst` back to back, then `maxRate` a second. */
  readonly limit: { readonly maxRate: number; readonly burst: number; readonly jitterMs: number };
  /** Arrival times of every progress notification (for a timeline). */
  readonly arrivals: readonly number[];
  readonly violations: readonly Violation[];
}

interface Arrival {
  readonly at: number;
  /** Sent at once by a compliant reporter whatever its bucket holds: the final update. */
  readonly exempt: boolean;
}

/**
 * Audits the progress notifications a server sends for one request against the MCP specification:
 * fed every message the client receives (with its arrival time), it checks each
 * `notifications/progress`:
 *
 * - it is well formed: the library's codec decides (`progressToken` a string or an integer,
 *   `progress` a finite number >= 0, `total` a number, `message` a string);
 * - its token is the one the request carried;
 * - it does not arrive after the response;
 * - its progress is greater than the previous one's (the library's `monotonicProgress`);
 * - and, over all of them, the rate: a token bucket of `burst` notifications refilled at `maxRate`
 *   a second, with `JITTER_MS` of tolerance for delivery jitter (the bound `ProgressReporter` keeps:
 *   in any interval of length T, at most `burst + T × maxRate` notifications). A final notification
 *   (`progress >= total`) is exempt, as a reporter sends it at once.
 */
export class ProgressAudit {
  private requestId: RequestId | undefined = undefined;
  private readonly arrivalsList: Arrival[] = [];
  private readonly violations: Violation[] = [];
  private readonly ours = new Subject<ProgressUpdate>();
  private current: { readonly at: number; readonly index: number } | undefined = undefined;
  private counts = { ours: 0, otherTokens: 0, afterResponse: 0, malformed: 0 };
  private first: ProgressUpdate | undefined = undefined;
  private last: ProgressUpdate | undefined = undefined;
  private responseAt: number | undefined = undefined;

  /** @param config See {@link AuditConfig}. */
  constructor(private readonly config: AuditConfig) {
    this.ours
      .pipe(
        monotonicProgress((problem) => {
          const details = problem.details as
            { readonly progress?: unknown; readonly last?: unknown } | undefined;
          const position = this.current;
          if (position === undefined) return;
          this.violations.push({
            kind: 'not increasing',
            ...position,
            message: `progress ${previewValue(details?.progress)} does not increase on ${previewValue(details?.last)} (progress MUST increase with each notification)`,
          });
        }),
      )
      .subscribe();
  }

  /** The request went out with this id: its response ends the operation. */
  request(id: RequestId): void {
    this.requestId = id;
  }

  /**
   * One message received from the server.
   *
   * @param message Anything the transport delivered.
   * @param at Its arrival, in milliseconds since the request was sent.
   */
  message(message: unknown, at: number): void {
    if (typeof message !== 'object' || message === null) return;
    const { method } = message as { readonly method?: unknown };
    if (method === undefined) {
      const id = responseIdOf(message);
      if (id !== undefined && id === this.requestId && this.responseAt === undefined) {
        this.responseAt = at;
      }
      return;
    }
    if (method !== PROGRESS_METHOD) return;
    const index = this.arrivalsList.length + 1;
    const decoded = decodeProgressNotification(message);
    this.arrivalsList.push({ at, exempt: E.isRight(decoded) && isFinalUpdate(decoded.right) });
    if (E.isLeft(decoded)) {
      this.counts.malformed++;
      this.violate('malformed', at, index, decoded.left.message);
      return;
    }
    const update = decoded.right;
    if (update.progressToken !== this.config.token) {
      this.counts.otherTokens++;
      this.violate(
        'unknown token',
        at,
        index,
        `progress for token ${previewValue(update.progressToken)}, which no request carried (the request's token is ${previewValue(this.config.token)})`,
      );
      return;
    }
    if (this.responseAt !== undefined) {
      this.counts.afterResponse++;
      this.violate(
        'after response',
        at,
        index,
        `progress ${describe(update)} arrived ${String(Math.round(at - this.responseAt))} ms after the response (notifications MUST stop when the operation completes)`,
      );
      return;
    }
    this.counts.ours++;
    this.first ??= update;
    this.last = update;
    this.current = { at, index };
    this.ours.next(update);
    this.current = undefined;
  }

  /**
   * Ends the audit.
   *
   * @param at When listening stopped, in milliseconds since the request was sent.
   * @return The report.
   */
  end(at: number): AuditReport {
    const rate = this.rateViolation();
    const violations = rate === undefined ? [...this.violations] : [...this.violations, rate];
    violations.sort((a, b) => a.index - b.index);
    const arrivals = this.arrivalsList.map((a) => a.at);
    return {
      token: this.config.token,
      notifications: this.arrivalsList.length,
      ...this.counts,
      first: this.first,
      last: this.last,
      firstAt: arrivals[0],
      lastAt: arrivals.at(-1),
      responseAt: this.responseAt,
      endedAt: at,
      peak: busiestSecond(arrivals),
      limit: { maxRate: this.config.maxRate, burst: this.config.burst, jitterMs: JITTER_MS },
      arrivals,
      violations,
    };
  }

  private violate(kind: ViolationKind, at: number, index: number, message: string): void {
    this.violations.push({ kind, at, index, message });
  }

  /**
   * The reporter's own token bucket ({@link TokenBucket}): a notification that arrives more than
   * `JITTER_MS` before the bucket has a token does not conform and takes none; the others take one.
   */
  private rateViolation(): Violation | undefined {
    const bucket = new TokenBucket(1000 / this.config.maxRate, this.config.burst);
    let over = 0;
    let firstOver: { readonly at: number; readonly index: number } | undefined;
    let counted = 0;
    this.arrivalsList.forEach(({ at, exempt }, i) => {
      if (exempt) return;
      counted++;
      if (bucket.wait(at) > JITTER_MS) {
        over++;
        firstOver ??= { at, index: i + 1 };
      } else {
        bucket.take(at);
      }
    });
    if (firstOver === undefined) return undefined;
    return {
      kind: 'rate',
      ...firstOver,
      message: `${String(over)} of ${String(counted)} notifications came faster than allowed (bursts of ${String(this.config.burst)}, then ${String(this.config.maxRate)}/s)`,
    };
  }
}

/** `3 of 4`, or `3`. */
const describe = (update: ProgressUpdate): string =>
  update.total === undefined
    ? String(update.progress)
    : `${String(update.progress)} of ${String(update.total)}`;

/** The most arrivals within one second (a window `[t, t + 1000)`), with two pointers. */
const busiestSecond = (
  arrivals: readonly number[],
): { count: number; from: number; to: number } | undefined => {
  let best: { count: number; from: number; to: number } | undefined;
  let start = 0;
  arrivals.forEach((at, end) => {
    while ((arrivals[start] ?? at) <= at - 1000) start++;
    const count = end - start + 1;
    if (best === undefined || count > best.count) {
      best = { count, from: arrivals[start] ?? at, to: at };
    }
  });
  return best;
};
