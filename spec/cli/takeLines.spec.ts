import { takeLines } from '../../src/cli/takeLines.js';

/** Feeds chunks through takeLines as a reader would; returns every line and the unfinished rest. */
const feed = (chunks: readonly string[]): { lines: string[]; rest: string } => {
  const lines: string[] = [];
  let rest = '';
  for (const chunk of chunks) {
    const taken = takeLines(rest, chunk);
    lines.push(...taken.lines);
    rest = taken.rest;
  }
  return { lines, rest };
};

describe('takeLines', () => {
  it('completes lines across chunks and keeps the unfinished one', () => {
    expect(feed(['{"a":', '1}\n{"b"', ':2}\n{"c"'])).toEqual({
      lines: ['{"a":1}', '{"b":2}'],
      rest: '{"c"',
    });
  });

  it('gives empty lines, keeps a \\r before the \\n, and takes empty chunks', () => {
    expect(feed(['', 'x\r\n\n', '', 'y\n'])).toEqual({ lines: ['x\r', '', 'y'], rest: '' });
  });

  it('puts a line that came in many chunks back together exactly', () => {
    const parts = Array.from({ length: 2000 }, (_, i) => `${String(i)},`);
    const { lines, rest } = feed([...parts, 'end\nnext']);
    expect(lines).toEqual([`${parts.join('')}end`]);
    expect(rest).toBe('next');
  });

  it('splits many lines in one chunk', () => {
    expect(feed(['a\nb\nc\nd'])).toEqual({ lines: ['a', 'b', 'c'], rest: 'd' });
  });
});
