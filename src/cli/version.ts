import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * This package's version, read from its package.json: the nearest one named `rx-mcp-progress` above
 * this module (the sources are two levels down, the build three). `0.0.0` if there is none.
 */
export const packageVersion = (): string => {
  // `__dirname` is there in CommonJS (the `mcp-progress` bin); the ES module build has none.
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (;;) {
    const version = versionIn(path.join(dir, 'package.json'));
    if (version !== undefined) return version;
    const parent = path.dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
};

const versionIn = (file: string): string | undefined => {
  try {
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (typeof json !== 'object' || json === null) return undefined;
    const { name, version } = json as { name?: unknown; version?: unknown };
    return name === 'rx-mcp-progress' && typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
};
