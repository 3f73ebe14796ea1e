/**
 * `mcp-progress demo` without a terminal (as in CI): the plain-line form, then the summary table.
 */
import { runCli, signalOnce, type Run } from './support.js';

jest.setTimeout(120_000);

describe('mcp-progress demo', () => {
  let run: Run;
  let interrupted: Promise<Run>;

  beforeAll(async () => {
    interrupted = runCli(['demo'], { onStdout: signalOnce(/^build {2}1\/30 /m, 'SIGINT') });
    run = await runCli(['demo']);
  });

  afterAll(async () => {
    await interrupted;
  });

  it('Ctrl-C: each call is cancelled, and says so (exit 130)', async () => {
    const cancelled = await interrupted;
    expect(cancelled.code).toBe(130);
    expect(cancelled.stderr).toBe('mcp-progress: cancelled (SIGINT)\n');
    for (const job of ['build', 'crawl', 'flood']) {
      expect(cancelled.stdout).toMatch(new RegExp(`^${job} {2}cancelled$`, 'm'));
    }
    expect(cancelled.stdout).not.toContain('failed');
  });

  it('exits 0 with nothing on stderr', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('shows the three calls as plain lines, each ending with its final update', () => {
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).toMatch(/^build {2}30\/30 \(100%\) .*compiled src\/module-30\.ts$/m);
    expect(run.stdout).toMatch(/^crawl {2}100 {2}[\d.,]+\/s {2}fetched \/docs\/page-100$/m);
    expect(run.stdout).toMatch(/^flood {2}100,000\/100,000 \(100%\) {2}[\d.,]+\/s$/m);
    for (const job of ['build', 'crawl', 'flood']) {
      expect(run.stdout).toMatch(new RegExp(`^${job} {2}done in [\\d.]+s$`, 'm'));
    }
  });

  it('ends with the summary table: produced, sent over the wire, shown, time', () => {
    const table = run.stdout.slice(run.stdout.indexOf('\njob '));
    expect(table).toMatch(
      /\njob {4}updates produced {2}notifications sent {2}updates shown {2}time\n/,
    );
    const row = (job: string): number[] => {
      const match = new RegExp(`\\n${job} +([\\d,]+) +([\\d,]+) +([\\d,]+) +[\\d.]+s\\n`).exec(
        table,
      );
      expect(match).not.toBeNull();
      return match!.slice(1, 4).map((n) => Number(n.replace(/,/g, '')));
    };
    const [produced, sent, shown] = row('flood');
    expect(produced).toBe(100_000);
    // The reporter's bucket: 10 at once, then 10 a second for about 2.5 s, and the final one.
    expect(sent).toBeGreaterThan(10);
    expect(sent).toBeLessThan(100);
    // Without a terminal, at most one line a second, and the final one.
    expect(shown).toBeLessThan(sent);
    expect(row('build')[0]).toBe(30);
    expect(row('crawl')[0]).toBe(100);
  });
});
