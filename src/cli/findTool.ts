import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CliFailure } from './errors.js';

/** How many pages of `tools/list` we read at most. */
const MAX_PAGES = 20;

/**
 * Fails with a clear message when the server has no tool named `name`: before the call, rather
 * than after, so "no such tool" is not mistaken for the tool's own error. When the server cannot
 * list its tools, the call goes ahead and speaks for itself.
 *
 * @param client A connected client.
 * @param name The tool to call.
 * @param signal Ctrl-C.
 * @throws CliFailure when the server has no tools, or none of that name.
 */
export async function ensureTool(client: Client, name: string, signal: AbortSignal): Promise<void> {
  if (client.getServerCapabilities()?.tools === undefined) {
    throw new CliFailure(`the server has no tools (it does not declare the tools capability)`);
  }
  const names: string[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_PAGES; page++) {
      const listed = await client.listTools(cursor === undefined ? {} : { cursor }, { signal });
      if (listed.tools.some((tool) => tool.name === name)) return;
      names.push(...listed.tools.map((tool) => tool.name));
      cursor = listed.nextCursor;
      if (cursor === undefined) break;
    }
  } catch (error: unknown) {
    if (signal.aborted) throw error;
    return; // No listing: let the call tell.
  }
  if (cursor !== undefined) return; // Too many pages to be sure.
  throw new CliFailure(`the server has no tool "${name}"; its tools: ${listOf(names)}`);
}

/** How many tool names are listed before "and N more". */
const LISTED = 12;

/** The names, or the first {@link LISTED} and how many more (never "and 1 more": that one fits). */
const listOf = (names: readonly string[]): string => {
  if (names.length === 0) return '(none)';
  if (names.length <= LISTED + 1) return names.join(', ');
  return `${names.slice(0, LISTED).join(', ')}, and ${String(names.length - LISTED)} more`;
};
