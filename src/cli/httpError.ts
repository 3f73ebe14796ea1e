import { STATUS_CODES } from 'node:http';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { oneLine } from './format.js';

/** The most characters of a response body quoted in a message. */
const MAX_EXCERPT = 120;

/** The most characters of a response body looked at. */
const MAX_BODY = 4096;

/**
 * What a Streamable HTTP failure says, on one short line: the HTTP status with its name, then an
 * excerpt of the body (an HTML page's text without its tags, a JSON-RPC error's message), where the
 * SDK's `StreamableHTTPError` message holds the whole body, HTML and all, and no status.
 *
 * @param error Anything thrown.
 * @return `HTTP 404 Not Found: Cannot POST /nope`; `undefined` for anything but a
 * `StreamableHTTPError`.
 */
export const describeHttpError = (error: unknown): string | undefined => {
  if (!(error instanceof StreamableHTTPError)) return undefined;
  const detail = excerpt(
    error.message
      .replace(/^Streamable HTTP error: /, '')
      .replace(/^Error POSTing to endpoint: /, ''),
  );
  const code = error.code;
  if (code === undefined || code < 100) return detail;
  const name = STATUS_CODES[code];
  const status = `HTTP ${String(code)}${name === undefined ? '' : ` ${name}`}`;
  if (detail === '' || detail === 'null' || detail === name) return status;
  // `Failed to open SSE stream: Not Found`: what failed, then the status instead of its bare text.
  if (name !== undefined && detail.endsWith(`: ${name}`)) {
    return `${detail.slice(0, -name.length)}${status}`;
  }
  return `${status}: ${detail}`;
};

/**
 * A body, short: a JSON-RPC error's message, or the text of an HTML page (its head, scripts,
 * styles, comments and tags left out), on one line of at most {@link MAX_EXCERPT} characters.
 */
const excerpt = (body: string): string => {
  const message = jsonRpcErrorMessage(body); // JSON.parse is linear, whatever the size
  if (message !== undefined) return oneLine(message, MAX_EXCERPT);
  // A page can be any size, and the patterns below are quadratic on hostile input (`<<<<...`):
  // only its start is read (4 KB: a few milliseconds at worst).
  const text = body
    .slice(0, MAX_BODY)
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(head|script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(lt|gt|amp|quot|#39|nbsp);/g, (_, entity: string) => ENTITIES[entity] ?? ' ');
  return oneLine(text, MAX_EXCERPT);
};

const ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  '#39': "'",
  nbsp: ' ',
};

/** `error.message` of a JSON-RPC error response (`{"jsonrpc":"2.0","error":{...}}`), if it is one. */
const jsonRpcErrorMessage = (body: string): string | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const error: unknown = (value as { readonly error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const message: unknown = (error as { readonly message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
};
