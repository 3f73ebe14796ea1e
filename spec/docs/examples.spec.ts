import { main as receiving } from '../../docs/examples/receiving.js';

describe('docs/examples', () => {
  it('receiving.ts tracks both calls to completion, throttled, with diagnostics', async () => {
    const lines: string[] = [];
    await receiving((line) => lines.push(line));
    expect(lines).toContain('build  10/10  step 10');
    expect(lines).toContain('build  done');
    expect(lines).toContain('flood  2000/2000');
    expect(
      lines.some((l) => /^flood {2}done: 2,000 notifications received, \d+ shown$/.test(l)),
    ).toBe(true);
    const shown = lines.filter((l) => l.startsWith('flood  ') && !l.includes('done')).length;
    expect(shown).toBeLessThan(20);
    expect(
      lines.some((l) =>
        l.includes('diagnostic invalid_token: progress for unknown token "invented"'),
      ),
    ).toBe(true);
    expect(lines.some((l) => l.includes('diagnostic invalid_progress:'))).toBe(true);
    expect(lines.some((l) => l.includes('diagnostic rate_limit:'))).toBe(true);
  });
});
