/**
 * The README's 30-second example: README.md quotes docs/examples/readme.ts exactly, and the file,
 * run as it is (it calls `main()` when loaded), prints throttled progress, the final update, then
 * the result, and ends.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

describe('README.md: the 30-second example', () => {
  it('is docs/examples/readme.ts, quoted exactly (the first ts block)', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const example = fs.readFileSync(path.join(root, 'docs/examples/readme.ts'), 'utf8');
    const first = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(first).toBe(example);
  });

  it('runs: throttled progress, the final update, then the result', async () => {
    const lines: string[] = [];
    let printedResult = (): void => undefined;
    const result = new Promise<void>((resolve) => {
      printedResult = resolve;
    });
    const log = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      const line = args.map(String).join(' ');
      lines.push(line);
      if (line.startsWith('result:')) printedResult();
    });
    try {
      await import('../../docs/examples/readme.js');
      await result;
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toBe('1/40 file 1');
    expect(lines.slice(-2)).toEqual([
      '40/40 file 40',
      'result: [{"type":"text","text":"indexed 40 files"}]',
    ]);
    // 40 updates over ~1 s at most 10 a second (bursts of 10 first): fewer lines than updates
    // (about 12; the bound leaves room for a machine so loaded that the 25 ms steps stretch).
    expect(lines.length).toBeLessThan(40);
    const shown = lines.slice(0, -1).map((l) => Number(l.split('/')[0]));
    expect(shown).toEqual([...shown].sort((a, b) => a - b));
  });
});
