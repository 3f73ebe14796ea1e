import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { ChildProcessTransport } from '../../src/cli/ChildProcessTransport.js';

/** Runs `script` as a server with node; resolves with what the transport reported once it closed. */
const run = (
  script: string,
): Promise<{ messages: JSONRPCMessage[]; errors: string[]; stderr: string[] }> => {
  const messages: JSONRPCMessage[] = [];
  const errors: string[] = [];
  const stderr: string[] = [];
  const transport = new ChildProcessTransport(process.execPath, ['-e', script], {
    onStderrLine: (line) => stderr.push(line),
  });
  transport.onmessage = (m) => messages.push(m);
  transport.onerror = (e) => errors.push(e.message);
  return new Promise((resolve, reject) => {
    transport.onclose = () => {
      resolve({ messages, errors, stderr });
    };
    transport.start().catch(reject);
  });
};

describe('ChildProcessTransport', () => {
  it('reports a stdout line over 10 MB once, drops all of it, and reads the lines after it', async () => {
    const note = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info' } };
    // 11 MB of one line in many writes (so in many chunks), its end, then a message.
    const { messages, errors } = await run(`
      const part = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 11; i++) process.stdout.write(part);
      process.stdout.write('tail of the long line\\n' + ${JSON.stringify(JSON.stringify(note))} + '\\n');
    `);
    expect(errors).toEqual(['the server wrote a stdout line longer than 10485760 bytes']);
    expect(messages).toEqual([note]);
  });

  it('passes a stderr line that never ends on in pieces, holding little more than 10 MB of it', async () => {
    const { stderr } = await run(`
      const part = 'e'.repeat(1024 * 1024);
      for (let i = 0; i < 21; i++) process.stderr.write(part);
    `);
    expect(stderr.length).toBeGreaterThanOrEqual(3);
    expect(stderr.every((line) => line.length <= 11 * 1024 * 1024)).toBe(true);
    expect(stderr.join('')).toBe('e'.repeat(21 * 1024 * 1024));
  });

  it('puts JSON-RPC lines together across chunks and skips blank ones', async () => {
    const { messages, errors } = await run(`
      process.stdout.write('{"jsonrpc":"2.0",');
      setTimeout(() => process.stdout.write('"method":"a"}\\r\\n\\n{"jsonrpc":"2.0","method":"b"}\\n'), 20);
    `);
    expect(errors).toEqual([]);
    expect(messages).toEqual([
      { jsonrpc: '2.0', method: 'a' },
      { jsonrpc: '2.0', method: 'b' },
    ]);
  });
});
