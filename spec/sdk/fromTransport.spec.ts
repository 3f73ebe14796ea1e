import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolResultSchema, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { take } from 'rxjs';
import { fromTransport } from '../../src/sdk/index.js';
import { connect, RemoteTool, settle } from './support/inMemory.js';

const ping = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'ping' });

/** A linked pair whose receiving side has no SDK on it: `send` on `peer` delivers to `transport`. */
const pair = (): { transport: InMemoryTransport; peer: InMemoryTransport } => {
  const [transport, peer] = InMemoryTransport.createLinkedPair();
  return { transport, peer };
};

const handlersOf = (t: InMemoryTransport) => ({
  onmessage: t.onmessage,
  onclose: t.onclose,
  onerror: t.onerror,
  own: ['onmessage', 'onclose', 'onerror'].filter((k) => Object.hasOwn(t, k)),
});

describe('fromTransport', () => {
  it('emits every received message, and the handlers already set keep receiving them, after ours', async () => {
    const { transport, peer } = pair();
    const order: string[] = [];
    transport.onmessage = (m) => order.push(`previous ${String('id' in m ? m.id : '')}`);
    const sub = fromTransport(transport).subscribe((m) =>
      order.push(`ours ${String('id' in m ? m.id : '')}`),
    );
    await peer.send(ping(1));
    await peer.send(ping(2));
    expect(order).toEqual(['ours 1', 'previous 1', 'ours 2', 'previous 2']);
    sub.unsubscribe();
  });

  it('is cold: nothing is chained until subscription', () => {
    const { transport } = pair();
    const before = handlersOf(transport);
    const messages$ = fromTransport(transport);
    expect(handlersOf(transport)).toEqual(before);
    messages$.subscribe().unsubscribe();
    expect(handlersOf(transport)).toEqual(before);
  });

  it('completes when the transport closes (after calling the previous onclose)', async () => {
    const { transport, peer } = pair();
    const closed = jest.fn();
    transport.onclose = closed;
    const complete = jest.fn();
    fromTransport(transport).subscribe({ complete });
    // (The side that calls close() hears onclose twice from InMemoryTransport; its peer, once.)
    await peer.close();
    expect(complete).toHaveBeenCalledTimes(1);
    expect(closed).toHaveBeenCalledTimes(1);
    // Completion unlinked ours: the previous handler is back.
    expect(transport.onclose).toBe(closed);
  });

  it('errors on a transport error (the previous onerror still gets it)', () => {
    const { transport } = pair();
    const previous = jest.fn();
    transport.onerror = previous;
    const error = jest.fn();
    fromTransport(transport).subscribe({ error });
    const failure = new Error('read failed');
    transport.onerror(failure);
    expect(error).toHaveBeenCalledWith(failure);
    expect(previous).toHaveBeenCalledWith(failure);
    expect(transport.onerror).toBe(previous);
  });

  describe('unsubscribing', () => {
    it('restores the handlers exactly: same functions, and no own property where there was none', () => {
      const { transport } = pair();
      transport.onmessage = () => undefined;
      const before = handlersOf(transport);
      expect(before.own).toEqual(['onmessage']);
      const sub = fromTransport(transport).subscribe();
      expect(transport.onmessage).not.toBe(before.onmessage);
      expect(transport.onclose).toBeDefined();
      sub.unsubscribe();
      expect(handlersOf(transport)).toEqual(before);
    });

    it('lets stacked subscriptions leave in any order; the last one restores the handlers', async () => {
      const { transport, peer } = pair();
      const before = handlersOf(transport);
      const a: JSONRPCMessage[] = [];
      const b: JSONRPCMessage[] = [];
      const subA = fromTransport(transport).subscribe((m) => a.push(m));
      const subB = fromTransport(transport).subscribe((m) => b.push(m));
      await peer.send(ping(1));
      subA.unsubscribe();
      await peer.send(ping(2));
      expect(a).toEqual([ping(1)]);
      expect(b).toEqual([ping(1), ping(2)]);
      subB.unsubscribe();
      expect(handlersOf(transport)).toEqual(before);
    });

    it('leaves a subscriber that unsubscribes while a message is delivered, without disturbing the others', async () => {
      const { transport, peer } = pair();
      const first: JSONRPCMessage[] = [];
      const second: JSONRPCMessage[] = [];
      const previous: JSONRPCMessage[] = [];
      transport.onmessage = (m) => previous.push(m);
      fromTransport(transport)
        .pipe(take(1))
        .subscribe((m) => first.push(m));
      const sub = fromTransport(transport).subscribe((m) => second.push(m));
      await peer.send(ping(1));
      await peer.send(ping(2));
      expect(first).toEqual([ping(1)]);
      expect(second).toEqual([ping(1), ping(2)]);
      expect(previous).toEqual([ping(1), ping(2)]);
      sub.unsubscribe();
    });
  });

  describe('with an SDK Client and McpServer', () => {
    const tool = new RemoteTool();
    const setup = (server: McpServer): void => {
      server.registerTool('remote', {}, tool.handler);
    };

    it('observes a connected client without breaking it', async () => {
      const c = await connect({ setup });
      const seen: JSONRPCMessage[] = [];
      const sub = fromTransport(c.clientTransport).subscribe((m) => seen.push(m));
      const result = c.client.callTool({ name: 'remote' }, CallToolResultSchema);
      (await tool.next()).finish('observed');
      expect(await result).toEqual({ content: [{ type: 'text', text: 'observed' }] });
      expect(seen).toEqual([
        expect.objectContaining({ result: { content: [{ type: 'text', text: 'observed' }] } }),
      ]);
      sub.unsubscribe();
      expect(c.clientErrors).toEqual([]);
      await c.close();
    });

    it('subscribed before connect: the SDK chains after ours; unsubscribing leaves ours as a pass-through, and a new subscription reuses it', async () => {
      let early: JSONRPCMessage[] = [];
      let sub = { unsubscribe: () => undefined } as { unsubscribe(): void };
      const c = await connect({
        setup,
        beforeConnect: (clientTransport) => {
          sub = fromTransport(clientTransport).subscribe((m) => early.push(m));
        },
      });
      // The initialize response went through ours, below the SDK's handler.
      expect(early).toHaveLength(1);
      const sdkHandler = c.clientTransport.onmessage;
      sub.unsubscribe();
      // Removing ours would cut the SDK's handler off: it stays, as a pass-through.
      expect(c.clientTransport.onmessage).toBe(sdkHandler);
      const call = c.client.callTool({ name: 'remote' }, CallToolResultSchema);
      (await tool.next()).finish('still works');
      expect(await call).toEqual({ content: [{ type: 'text', text: 'still works' }] });
      expect(early).toHaveLength(1);

      early = [];
      sub = fromTransport(c.clientTransport).subscribe((m) => early.push(m));
      expect(c.clientTransport.onmessage).toBe(sdkHandler);
      const again = c.client.callTool({ name: 'remote' }, CallToolResultSchema);
      (await tool.next()).finish('again');
      await again;
      expect(early).toHaveLength(1);
      sub.unsubscribe();
      expect(c.clientErrors).toEqual([]);
      await c.close();
    });

    it('completes when the client closes the connection', async () => {
      const c = await connect({ setup });
      const complete = jest.fn();
      fromTransport(c.clientTransport).subscribe({ complete });
      await c.client.close();
      await settle();
      expect(complete).toHaveBeenCalledTimes(1);
      await c.server.close();
    });
  });
});
