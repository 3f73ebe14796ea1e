/**
 * The package as a user gets it: `npm pack` (which builds), installed into another folder, then
 * loaded with `require` and with `import`, and type-checked from a CommonJS and an ES module file.
 * Everything happens in a temporary copy, so the working tree's dist/ is never touched.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const run = (cmd: string, args: string[], cwd: string): string =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Links every installed package of the project into `dir/node_modules` (peers come from there). */
const linkDependencies = (dir: string, except: string[] = []): void => {
  const target = path.join(dir, 'node_modules');
  fs.mkdirSync(target, { recursive: true });
  for (const name of fs.readdirSync(path.join(root, 'node_modules'))) {
    if (name.startsWith('.') || except.includes(name)) continue;
    fs.symlinkSync(path.join(root, 'node_modules', name), path.join(target, name), 'junction');
  }
};

describe('the packed package', () => {
  let tmp: string;
  let consumer: string;
  let files: string[];

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rx-mcp-progress-pack-'));
    const project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    for (const entry of [
      'src',
      'docs',
      'package.json',
      'README.md',
      'tsconfig.json',
      'tsconfig.build.json',
      'tsconfig.build.esm.json',
    ]) {
      fs.cpSync(path.join(root, entry), path.join(project, entry), { recursive: true });
    }
    linkDependencies(project);
    const packed = JSON.parse(run(npm, ['pack', '--json', '--pack-destination', tmp], project)) as {
      filename: string;
      files: { path: string }[];
    }[];
    files = packed[0].files.map((f) => f.path);

    consumer = path.join(tmp, 'consumer');
    fs.mkdirSync(consumer);
    linkDependencies(consumer, ['rx-mcp-progress']);
    const installed = path.join(consumer, 'node_modules', 'rx-mcp-progress');
    fs.mkdirSync(installed);
    run(
      'tar',
      ['xzf', path.join(tmp, packed[0].filename), '-C', installed, '--strip-components=1'],
      tmp,
    );
  }, 120_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('ships the CommonJS and ES module builds with declarations, the docs the README links to, and no sources or tests', () => {
    for (const f of [
      'dist/cjs/index.js',
      'dist/cjs/index.d.ts',
      'dist/esm/index.js',
      'dist/esm/index.d.ts',
      'dist/esm/package.json',
      'dist/cjs/package.json',
      'README.md',
      'package.json',
      'docs/sdk.md',
      'docs/cli.md',
      'docs/examples/readme.ts',
    ]) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('spec/'))).toEqual([]);
    // Every relative link of the README resolves inside the package (a file, or a folder of files).
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(5);
    const shipped = (link: string): boolean =>
      files.includes(link) || files.some((f) => f.startsWith(`${link}/`));
    expect(links.filter((link) => !shipped(link))).toEqual([]);
  });

  const program = `
    const messages = new Subject();
    const manager = new ProgressManager(messages, { maxUpdatesPerSecond: Infinity });
    const seen = [];
    manager.track('job').subscribe({ next: (u) => seen.push(u.progress), complete: () => seen.push('done') });
    messages.next({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'job', progress: 1, total: 2 } });
    messages.next({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 'job', progress: 2, total: 2 } });
    const decoded = decodeProgressNotification({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1.5, progress: 1 } });
    console.log(JSON.stringify({ seen, error: decoded._tag === 'Left' ? decoded.left.error : null, failure: new ProgressFailure(ProgressError.STATE_ERROR, 'x') instanceof Error }));
  `;
  const expected = { seen: [1, 2, 'done'], error: 'invalid_token', failure: true };

  it('works with require()', () => {
    const file = path.join(consumer, 'main.cjs');
    fs.writeFileSync(
      file,
      `const { Subject } = require('rxjs');
       const { ProgressManager, decodeProgressNotification, ProgressFailure, ProgressError } = require('rx-mcp-progress');
       ${program}`,
    );
    expect(JSON.parse(run(process.execPath, [file], consumer))).toEqual(expected);
  });

  it('works with import', () => {
    const file = path.join(consumer, 'main.mjs');
    fs.writeFileSync(
      file,
      `import { Subject } from 'rxjs';
       import { ProgressManager, decodeProgressNotification, ProgressFailure, ProgressError } from 'rx-mcp-progress';
       ${program}`,
    );
    expect(JSON.parse(run(process.execPath, [file], consumer))).toEqual(expected);
  });

  it('loads rx-mcp-progress/sdk with require() and with import', () => {
    const check = `typeof sdk.callToolWithProgress + typeof sdk.withProgress + typeof sdk.fromTransport`;
    const cjs = path.join(consumer, 'sdk.cjs');
    fs.writeFileSync(cjs, `const sdk = require('rx-mcp-progress/sdk'); console.log(${check});`);
    const mjs = path.join(consumer, 'sdk.mjs');
    fs.writeFileSync(mjs, `import * as sdk from 'rx-mcp-progress/sdk'; console.log(${check});`);
    expect(run(process.execPath, [cjs], consumer).trim()).toBe('functionfunctionfunction');
    expect(run(process.execPath, [mjs], consumer).trim()).toBe('functionfunctionfunction');
  });

  const source = `
    import { trackProgress, type ProgressUpdate, type ProgressToken } from 'rx-mcp-progress';
    import { callToolWithProgress, type RequestEvent } from 'rx-mcp-progress/sdk';
    const op = trackProgress({ maxUpdatesPerSecond: 5 });
    const token: ProgressToken = 'x';
    const update: ProgressUpdate = { progressToken: token, progress: 1 };
    const event: RequestEvent<number> = { type: 'progress', update };
    export const used = [op, update, event, callToolWithProgress];
  `;
  const typeCheck = (name: string, compilerOptions: object, files: string[]): string => {
    for (const file of files) fs.writeFileSync(path.join(consumer, file), source);
    const config = `tsconfig.${name}.json`;
    fs.writeFileSync(
      path.join(consumer, config),
      JSON.stringify({
        compilerOptions: {
          ...compilerOptions,
          strict: true,
          noEmit: true,
          // Since the sdk subpath: MCP SDK, zod and rxjs .d.ts fail under node10/bundler (ES5 lib,
          // no esModuleInterop); the package's own .d.ts pass with false too.
          skipLibCheck: true,
          types: [],
        },
        files,
      }),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    return run(process.execPath, [tsc, '-p', config], consumer);
  };

  it.each([
    [
      'nodenext (a .cts and a .mts file)',
      { module: 'nodenext', moduleResolution: 'nodenext' },
      ['check.cts', 'check.mts'],
    ],
    [
      'node10 (module commonjs)',
      { module: 'commonjs', moduleResolution: 'node10' },
      ['check10.ts'],
    ],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['checkb.ts']],
  ])(
    'type-checks the root entry and the sdk subpath with module resolution %s',
    (name, options, files) => {
      expect(typeCheck(name.split(' ')[0], options, files)).toBe('');
    },
  );

  it('runs the mcp-progress bin: the demo from the packed build, without a terminal', () => {
    const pkg = JSON.parse(
      fs.readFileSync(
        path.join(consumer, 'node_modules', 'rx-mcp-progress', 'package.json'),
        'utf8',
      ),
    ) as { bin: Record<string, string> };
    const bin = path.join(consumer, 'node_modules', 'rx-mcp-progress', pkg.bin['mcp-progress']);
    expect(run(process.execPath, [bin, '--help'], consumer)).toContain('Usage: mcp-progress');
    const out = run(process.execPath, [bin, 'demo'], consumer);
    expect(out).toMatch(/build +done/);
    expect(out).toMatch(/^flood +100,000 +\d+ +\d+ /m);
  }, 60_000);
});
