/**
 * The root entry must run in browsers and edge runtimes: every module reachable from src/index.ts
 * imports only RxJS, io-ts and its siblings at run time (fp-ts for types only), and names no
 * Node-only global.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const src = path.resolve(__dirname, '../../src');
const ALLOWED_PACKAGES = [/^rxjs$/, /^io-ts$/];
/**
 * fp-ts only for its types: at run time the ES build would have to import its CommonJS build
 * (fp-ts/lib, the only one Node's ES modules load), which a bundler then ships next to the ES build
 * (fp-ts/es6) that io-ts imports, 55 kB of it (docs/decisions.md, "Packaging").
 */
const TYPE_ONLY_PACKAGES = [/^fp-ts\/lib\/[A-Za-z]+\.js$/];
const NODE_GLOBALS = new Set([
  'process',
  'require',
  'module',
  'Buffer',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  '__dirname',
  '__filename',
  'global',
]);

interface Module {
  readonly file: string;
  readonly imports: string[];
  /** The specifiers of `import type` declarations, erased from the build. */
  readonly typeImports: string[];
  readonly globals: string[];
}

const read = (file: string): Module => {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const imports: string[] = [];
  const typeImports: string[] = [];
  const globals: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const typeOnly = ts.isImportDeclaration(node)
        ? node.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword
        : node.isTypeOnly;
      (typeOnly ? typeImports : imports).push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      imports.push(node.arguments[0].getText(sf));
    } else if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) {
      const parent = node.parent;
      const isMember = ts.isPropertyAccessExpression(parent) && parent.name === node;
      const isKey =
        (ts.isPropertyAssignment(parent) ||
          ts.isPropertySignature(parent) ||
          ts.isMethodDeclaration(parent)) &&
        parent.name === node;
      if (!isMember && !isKey)
        globals.push(
          `${node.text} at line ${String(sf.getLineAndCharacterOfPosition(node.getStart()).line + 1)}`,
        );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { file, imports, typeImports, globals };
};

const reachable = (entry: string): Module[] => {
  const seen = new Map<string, Module>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    const mod = read(file);
    seen.set(file, mod);
    for (const spec of [...mod.imports, ...mod.typeImports]) {
      if (spec.startsWith('.'))
        queue.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
    }
  }
  return [...seen.values()];
};

describe('the root entry (src/index.ts)', () => {
  const modules = reachable(path.join(src, 'index.ts'));

  it('reaches the library modules', () => {
    expect(modules.length).toBeGreaterThan(20);
  });

  it('imports only rxjs, io-ts and its own modules at run time (never fp-ts, the MCP SDK nor node:*)', () => {
    const allowed = (spec: string, typeOnly: boolean): boolean =>
      spec.startsWith('.') ||
      ALLOWED_PACKAGES.some((re) => re.test(spec)) ||
      (typeOnly && TYPE_ONLY_PACKAGES.some((re) => re.test(spec)));
    const foreign = modules.flatMap((m) => [
      ...m.imports
        .filter((s) => !allowed(s, false))
        .map((s) => `${path.relative(src, m.file)} imports ${s}`),
      ...m.typeImports
        .filter((s) => !allowed(s, true))
        .map((s) => `${path.relative(src, m.file)} imports the types of ${s}`),
    ]);
    expect(foreign).toEqual([]);
  });

  it('uses no Node-only global', () => {
    const used = modules.flatMap((m) =>
      m.globals.map((g) => `${path.relative(src, m.file)}: ${g}`),
    );
    expect(used).toEqual([]);
  });
});
