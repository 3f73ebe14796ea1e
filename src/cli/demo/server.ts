/**
 * The bundled demo MCP server over stdio (its tools: ./tools.ts). `mcp-progress demo` starts it;
 * any MCP client can too: `node dist/cjs/cli/demo/server.js`.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { demoServer } from './tools.js';

process.stdin.on('end', () => {
  process.exit(0);
});
void demoServer().connect(new StdioServerTransport());
