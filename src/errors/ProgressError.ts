/**
 * The kinds of problem the library reports, from the MCP progress system's error model.
 *
 * - `INVALID_TOKEN`: a progress token that is malformed, unknown, inactive or already in use.
 * - `INVALID_PROGRESS`: a notification or input whose `progress`, `total` or `message` is malformed,
 *   or whose progress does not strictly increase.
 * - `RATE_LIMIT`: a peer sending faster than the configured rate (the surplus is coalesced, not lost
 *   silently).
 * - `STATE_ERROR`: an operation in the wrong state: progress after completion, a failed send, a
 *   timeout, a stream that ended before completion.
 */
export enum ProgressError {
  INVALID_TOKEN = 'invalid_token',
  INVALID_PROGRESS = 'invalid_progress',
  RATE_LIMIT = 'rate_limit',
  STATE_ERROR = 'state_error',
}
