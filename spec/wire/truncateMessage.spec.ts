import { truncateMessage } from '../../src/wire/truncateMessage.js';

describe('truncateMessage', () => {
  it('returns a message within the limit unchanged', () => {
    expect(truncateMessage('abc', 3)).toBe('abc');
    expect(truncateMessage('', 1)).toBe('');
  });

  it('cuts a longer message to the limit, ending in …', () => {
    expect(truncateMessage('abcdef', 4)).toBe('abc…');
    expect(truncateMessage('abcdef', 4)).toHaveLength(4);
    expect(truncateMessage('abcdef', 1)).toBe('…');
  });

  it('never splits a surrogate pair', () => {
    const cut = truncateMessage('ab😀cd', 4); // 😀 is two code units at 2..3
    expect(cut).toBe('ab…');
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(cut)).toBe(false);
  });
});
