import { main as reporting } from '../../docs/examples/reporting.js';

describe('docs/examples/reporting.ts', () => {
  it('sends few, increasing notifications, the final one before the response', async () => {
    const lines: string[] = [];
    await reporting((line) => lines.push(line));
    const progress = lines
      .filter((l) => /^client {2}\d+\/20000/.test(l))
      .map((l) => Number(/^client {2}(\d+)/.exec(l)![1]));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.length).toBeLessThan(20);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);
    expect(progress[progress.length - 1]).toBe(20_000);
    const final = lines.indexOf('client  20000/20000  file 20000');
    const complete = lines.indexOf('client  progress complete');
    const response = lines.findIndex((l) => l.startsWith('client  response: '));
    expect(final).toBeGreaterThanOrEqual(0);
    expect(complete).toBeGreaterThan(final);
    expect(response).toBeGreaterThan(complete);
    expect(lines[response]).toBe(
      'client  response: {"content":[{"type":"text","text":"indexed 20000 files"}]}',
    );
    const diagnostics = lines.filter((l) => l.startsWith('server  diagnostic'));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatch(
      /^server {2}diagnostic invalid_progress: progress reporter for token "[^"]+": progress 5000 does not increase on 5000 \(the last accepted progress\); nothing sent$/,
    );
    if (process.env.SHOW_EXAMPLE !== undefined) console.log(lines.join('\n'));
  });
});
