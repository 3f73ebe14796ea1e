/**
 * The receiving workload of issue 6: pre-parsed JSON-RPC messages, 10% of them not progress, M tokens
 * interleaved, every token going from a small progress to exactly 100 of 100.
 *
 * Generation (deterministic, done once per M, outside any timing, the same array for every contender):
 *
 * - `progressCount` progress notifications (1,000,000 in the full run): the M tokens are the integers
 *   `1..M` and each gets `U = progressCount / M` updates. Update `k` (1-based) of a token has
 *   `progress = k * 100 / U` (the last one exactly `100`) and `total: 100`, so every token completes
 *   on its last update: M = 10,000 gives 1, 2, ..., 100; M = 100,000 gives 10, 20, ..., 100;
 *   M = 1 and 100 climb in fractional steps. All M tokens are active from the first update to their
 *   last, so "M active tokens" holds for the whole pass.
 * - Interleaving is step-major round robin: step 1 of tokens 1..M, then step 2 of tokens 1..M, ...
 *   (with M > 1 no two consecutive progress messages share a token).
 * - After every 10th progress message one non-progress message follows (so 10% of all messages),
 *   alternately a JSON-RPC response `{ id, result }` to another request (ids `M + 1, M + 2, ...`, never
 *   a tracked token or request id) and a `notifications/message` log notification.
 *
 * Token `t` is also the JSON-RPC id of the request that carried it, as with the official SDK (which
 * uses the request's message id as its progress token).
 */

/** A JSON-RPC `notifications/progress` message as the benchmark sends it. */
export interface ProgressMessage {
  readonly jsonrpc: '2.0';
  readonly method: 'notifications/progress';
  readonly params: {
    readonly progressToken: number;
    readonly progress: number;
    readonly total: number;
  };
}

/** A JSON-RPC response to a request that carries no progress token. */
export interface ResponseMessage {
  readonly jsonrpc: '2.0';
  readonly id: number;
  readonly result: {
    readonly content: readonly { readonly type: 'text'; readonly text: string }[];
  };
}

/** A log notification (`notifications/message`). */
export interface LogMessage {
  readonly jsonrpc: '2.0';
  readonly method: 'notifications/message';
  readonly params: { readonly level: 'info'; readonly logger: string; readonly data: string };
}

/** Any message of the workload. */
export type BenchMessage = ProgressMessage | ResponseMessage | LogMessage;

/** One generated workload. */
export interface Workload {
  /** M: how many tokens are active at once (all of them, for the whole pass). */
  readonly tokens: number;
  /** U: updates per token. */
  readonly updatesPerToken: number;
  /** Every message, in arrival order. */
  readonly messages: readonly BenchMessage[];
  /** How many of `messages` are progress notifications (M × U). */
  readonly progressCount: number;
  /** The ids of the responses in `messages`, in order (`M + 1, M + 2, ...`). */
  readonly responseIds: readonly number[];
  /** The sum of every progress value, to check that a contender delivered every update. */
  readonly progressSum: number;
}

/** The default total: 1,000,000 progress messages, hence 1.1 million messages in all. */
export const FULL_PROGRESS_COUNT = 1_000_000;

/** One non-progress message after every `PROGRESS_PER_OTHER` progress messages (10% of all). */
export const PROGRESS_PER_OTHER = 10;

/** The token numbers of a workload with `m` tokens: `1..m`. */
export const tokenOf = (index: number): number => index + 1;

/** A progress notification. */
export const progressMessage = (token: number, progress: number, total = 100): ProgressMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/progress',
  params: { progressToken: token, progress, total },
});

/** A response to request `id`. */
export const responseMessage = (id: number): ResponseMessage => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text: 'done' }] },
});

/** A log notification. */
export const logMessage = (): LogMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { level: 'info', logger: 'bench', data: 'working' },
});

/**
 * Generates the workload for `m` tokens and `progressCount` progress messages (`progressCount` must
 * be a multiple of `m`).
 */
export const generateWorkload = (m: number, progressCount = FULL_PROGRESS_COUNT): Workload => {
  if (!Number.isInteger(m) || m < 1 || progressCount % m !== 0) {
    throw new RangeError(`progressCount ${progressCount} is not a multiple of M = ${m}`);
  }
  const u = progressCount / m;
  const messages: BenchMessage[] = [];
  const responseIds: number[] = [];
  let progressSum = 0;
  let sent = 0;
  let others = 0;
  for (let k = 1; k <= u; k++) {
    const progress = k === u ? 100 : (k * 100) / u;
    for (let i = 0; i < m; i++) {
      messages.push(progressMessage(tokenOf(i), progress));
      progressSum += progress;
      if (++sent % PROGRESS_PER_OTHER === 0) {
        if (others++ % 2 === 0) {
          const id = m + 1 + responseIds.length;
          responseIds.push(id);
          messages.push(responseMessage(id));
        } else {
          messages.push(logMessage());
        }
      }
    }
  }
  return { tokens: m, updatesPerToken: u, messages, progressCount, responseIds, progressSum };
};
