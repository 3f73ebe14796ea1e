/**
 * `ensureTool`, in process, with a stand-in for the SDK client: a misspelt tool is said as such,
 * with the server's tools.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CliFailure } from '../../src/cli/errors.js';
import { ensureTool } from '../../src/cli/findTool.js';

/** A client whose server has tools `t1` .. `t<count>`, on one page. */
const clientWith = (count: number): Client =>
  ({
    getServerCapabilities: () => ({ tools: {} }),
    listTools: () =>
      Promise.resolve({
        tools: Array.from({ length: count }, (_, i) => ({ name: `t${String(i + 1)}` })),
      }),
  }) as unknown as Client;

/** The failure's message for a tool the server does not have. */
const missing = async (count: number): Promise<string> => {
  const error: unknown = await ensureTool(
    clientWith(count),
    'nope',
    new AbortController().signal,
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliFailure);
  return (error as CliFailure).message;
};

describe('ensureTool', () => {
  it('resolves when the server has the tool', async () => {
    await expect(ensureTool(clientWith(3), 't2', new AbortController().signal)).resolves.toBe(
      undefined,
    );
  });

  it('lists up to 13 tools in full: naming the last costs less than "and 1 more"', async () => {
    const names = Array.from({ length: 13 }, (_, i) => `t${String(i + 1)}`).join(', ');
    expect(await missing(13)).toBe(`the server has no tool "nope"; its tools: ${names}`);
    expect(await missing(0)).toBe('the server has no tool "nope"; its tools: (none)');
  });

  it('lists 12 of more, then how many more (at least 2)', async () => {
    expect(await missing(14)).toMatch(/; its tools: t1, t2, .*, t12, and 2 more$/);
  });
});
