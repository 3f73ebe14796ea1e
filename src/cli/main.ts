#!/usr/bin/env node
/**
 * The `mcp-progress` command (the package's `bin`): see docs/cli.md, or run `mcp-progress --help`.
 */
import { run } from './program.js';

void run(process.argv.slice(2), { out: process.stdout, err: process.stderr }).then((code) => {
  // Exit once stdout has been flushed (asynchronous for pipes on macOS), whatever still holds the
  // event loop (an HTTP keep-alive socket, say).
  process.stdout.write('', () => {
    process.exit(code);
  });
});
