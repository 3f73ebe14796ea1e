/** What {@link takeLines} found. */
export interface TakenLines {
  /** The lines the chunk completed, without their `\n` (a `\r` before it is kept). */
  readonly lines: readonly string[];
  /** The unfinished line after the last `\n`, to pass as `pending` with the next chunk. */
  readonly rest: string;
}

/**
 * Splits a stream of text into lines, one chunk at a time: `pending` (the unfinished line so far)
 * and `chunk` give the lines completed by this chunk and the new unfinished line.
 *
 * Only the chunk is scanned: a line that arrives in many chunks is appended to, never re-split, so a
 * multi-megabyte line (a large tool result on one JSON-RPC line) costs linear time, where splitting
 * `pending + chunk` every time cost quadratic.
 *
 * @param pending The unfinished line from the previous chunks (`''` at first).
 * @param chunk The text just read.
 */
export const takeLines = (pending: string, chunk: string): TakenLines => {
  if (!chunk.includes('\n')) return { lines: [], rest: pending + chunk };
  const lines = chunk.split('\n');
  lines[0] = pending + (lines[0] ?? '');
  const rest = lines.pop() ?? '';
  return { lines, rest };
};
