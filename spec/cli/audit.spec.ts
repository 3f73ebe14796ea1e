/**
 * The audit behind `mcp-progress check`, in process: messages in, with their arrival times (ms
 * since the request), a report out.
 */
import { ProgressAudit, type AuditReport } from '../../src/cli/audit.js';
import { formatReport, passed, reportJson } from '../../src/cli/report.js';
import { progressMessage } from '../helpers/messages.js';

const TOKEN = 'tok';
const REQUEST_ID = 7;

/** Feeds `[at, message]` pairs to a fresh audit and ends it at `end`. */
const audit = (
  arrivals: readonly (readonly [number, unknown])[],
  end = 1000,
  limits: { maxRate?: number; burst?: number } = {},
): AuditReport => {
  const a = new ProgressAudit({ token: TOKEN, maxRate: 10, burst: 10, ...limits });
  a.request(REQUEST_ID);
  for (const [at, message] of arrivals) a.message(message, at);
  return a.end(end);
};

const response = { jsonrpc: '2.0', id: REQUEST_ID, result: { content: [] } };
const p = (progress: number, total?: number, message?: string): unknown =>
  progressMessage(TOKEN, progress, total, message);

/** `n` progress notifications (1..n of n+1, none final) `gapMs` apart from `from`. */
const paced = (n: number, gapMs: number, from = 0): [number, unknown][] =>
  Array.from({ length: n }, (_, i) => [from + i * gapMs, p(i + 1, n + 1)]);

describe('ProgressAudit', () => {
  it('passes a compliant sequence and counts it', () => {
    const report = audit(
      [
        [10, p(1, 3, 'a')],
        [20, p(2, 3)],
        [30, p(3, 3)],
        [31, response],
      ],
      600,
    );
    expect(report.violations).toEqual([]);
    expect(report).toMatchObject({
      notifications: 3,
      ours: 3,
      otherTokens: 0,
      afterResponse: 0,
      malformed: 0,
      first: { progress: 1, total: 3, message: 'a' },
      last: { progress: 3, total: 3 },
      firstAt: 10,
      lastAt: 30,
      responseAt: 31,
      endedAt: 600,
      peak: { count: 3, from: 10, to: 30 },
    });
  });

  it('ignores messages that are neither progress nor the response', () => {
    const other = { jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info' } };
    const report = audit([
      [1, other],
      [2, { jsonrpc: '2.0', id: 99, result: {} }],
      [3, 'junk'],
    ]);
    expect(report.notifications).toBe(0);
    expect(report.responseAt).toBeUndefined();
  });

  it('reports progress that does not increase, with both values', () => {
    const report = audit([
      [1, p(1)],
      [2, p(3)],
      [3, p(2)],
      [4, p(3)],
      [5, p(4)],
    ]);
    expect(report.violations).toEqual([
      {
        kind: 'not increasing',
        at: 3,
        index: 3,
        message:
          'progress 2 does not increase on 3 (progress MUST increase with each notification)',
      },
      {
        kind: 'not increasing',
        at: 4,
        index: 4,
        message:
          'progress 3 does not increase on 3 (progress MUST increase with each notification)',
      },
    ]);
    expect(report.last).toMatchObject({ progress: 4 });
  });

  it('reports progress after the response, with how late', () => {
    const report = audit([
      [1, p(1, 2)],
      [5, response],
      [55, p(2, 2)],
    ]);
    expect(report.afterResponse).toBe(1);
    expect(report.violations).toEqual([
      {
        kind: 'after response',
        at: 55,
        index: 2,
        message:
          'progress 2 of 2 arrived 50 ms after the response (notifications MUST stop when the operation completes)',
      },
    ]);
  });

  it('reports a token the request did not carry ("1" and 1 are different tokens)', () => {
    const report = audit([
      [1, progressMessage('1', 1)],
      [2, progressMessage(1, 1)],
    ]);
    expect(report.otherTokens).toBe(2);
    expect(report.violations.map((v) => v.message)).toEqual([
      `progress for token "1", which no request carried (the request's token is "tok")`,
      `progress for token 1, which no request carried (the request's token is "tok")`,
    ]);
  });

  it('reports malformed notifications with the codec’s words', () => {
    const bad = { ...(p(1) as object), params: { progressToken: TOKEN, progress: -1 } };
    const report = audit([[1, bad]]);
    expect(report.malformed).toBe(1);
    expect(report.violations).toEqual([
      {
        kind: 'malformed',
        at: 1,
        index: 1,
        message: 'invalid progress notification: params.progress: -1 is not a finite number >= 0',
      },
    ]);
  });

  describe('the rate: bursts of --burst, then --max-rate a second', () => {
    it('allows a burst of 10 at once, then 10 a second', () => {
      const burst = Array.from({ length: 10 }, (_, i) => [0, p(i + 1, 100)] as const);
      const then = Array.from({ length: 20 }, (_, i) => [100 * (i + 1), p(i + 11, 100)] as const);
      expect(audit([...burst, ...then], 3000).violations).toEqual([]);
    });

    it('reports one violation for everything beyond it, from the first one over', () => {
      const report = audit(paced(100, 1), 1000);
      expect(report.violations).toEqual([
        {
          kind: 'rate',
          at: 11,
          index: 12,
          message: '89 of 100 notifications came faster than allowed (bursts of 10, then 10/s)',
        },
      ]);
      expect(report.peak).toEqual({ count: 100, from: 0, to: 99 });
    });

    it('tolerates 100 ms of delivery jitter: one more at once, not two', () => {
      expect(audit(paced(11, 0)).violations).toEqual([]);
      expect(audit(paced(12, 0)).violations).toHaveLength(1);
    });

    it('counts a sustained rate above --max-rate once the burst is spent', () => {
      // 20 a second for 3 seconds: the burst covers the first half second or so.
      const report = audit(paced(60, 50), 3000);
      expect(report.violations).toHaveLength(1);
      expect(report.violations[0]?.kind).toBe('rate');
    });

    it('lets the final notification (progress >= total) through whatever the bucket holds', () => {
      const burst = Array.from({ length: 11 }, (_, i) => [0, p(i + 1, 12)] as const);
      expect(audit([...burst, [0, p(12, 12)]]).violations).toEqual([]);
    });

    it('follows --max-rate and --burst', () => {
      expect(audit(paced(5, 0), 1000, { burst: 2 }).violations).toHaveLength(1);
      expect(audit(paced(30, 50), 2000, { maxRate: 20, burst: 1 }).violations).toEqual([]);
    });
  });

  it('finds the busiest second with a sliding window', () => {
    const report = audit(
      [...paced(3, 10, 0), ...paced(5, 100, 2000)].map(([at], i) => [at, p(i + 1)]),
      3000,
    );
    expect(report.peak).toEqual({ count: 5, from: 2000, to: 2400 });
  });
});

describe('the check report', () => {
  it('says PASS with a short summary, and what it could not audit', () => {
    const report = { tool: 't', server: 'node s.js', outcome: { kind: 'ok' as const } };
    const silent = audit([[5, response]], 505);
    expect(passed({ ...report, audit: silent })).toBe(true);
    expect(formatReport({ ...report, audit: silent })).toBe(
      [
        'mcp-progress check: tool "t" on node s.js',
        '  token          "tok"',
        '  result         ok (response at +5 ms)',
        '  notifications  0: 0 for the token, 0 for other tokens, 0 after the response, 0 malformed',
        '  timeline       response +5 ms · listened until +505 ms',
        '',
        'PASS: no violations',
        'note: the server sent no progress notifications (allowed; nothing was audited)',
        '',
      ].join('\n'),
    );
  });

  it('says FAIL with each violation, at most five of a kind', () => {
    const arrivals: [number, unknown][] = [[0, p(10)]];
    for (let i = 1; i <= 7; i++) arrivals.push([i, p(10 - i)]);
    const report = {
      tool: 't',
      server: 'node s.js',
      outcome: { kind: 'ok' as const },
      audit: audit(arrivals, 600),
    };
    const text = formatReport(report);
    expect(passed(report)).toBe(false);
    expect(text).toContain('\nFAIL: 7 violations\n');
    expect(text).toContain(
      '\n  #2     +1 ms      not increasing  progress 9 does not increase on 10 (progress MUST increase with each notification)\n',
    );
    expect(text).toContain('\n  … and 2 more not increasing\n');
    expect(text).toMatch(/\n {2}activity {7}█·+ {2}0 to 600 ms, max 8 a column\n/);
  });

  it('says FAIL when the call itself failed, and gives JSON without the arrival times', () => {
    const report = {
      tool: 't',
      server: 'node s.js',
      outcome: {
        kind: 'failed' as const,
        message: 'the server exited with code 3 during the call',
      },
      audit: audit([[1, p(1)]]),
    };
    expect(formatReport(report)).toContain('\nFAIL: the call did not succeed\n');
    const json = JSON.parse(reportJson(report)) as Record<string, unknown>;
    expect(json).toMatchObject({ ok: false, outcome: report.outcome, notifications: 1 });
    expect(json).not.toHaveProperty('arrivals');
  });

  it('says INTERRUPTED, with no verdict, when a signal stopped the check', () => {
    const report = {
      tool: 't',
      server: 'node s.js',
      outcome: { kind: 'interrupted' as const, message: 'cancelled (SIGTERM) before the response' },
      audit: audit([
        [1, p(2)],
        [2, p(1)],
      ]),
    };
    const text = formatReport(report);
    expect(passed(report)).toBe(false);
    expect(text).toContain(
      '\n  result         interrupted: cancelled (SIGTERM) before the response\n',
    );
    expect(text).toContain('\nINTERRUPTED: no verdict; 1 violation in what came until then\n');
    expect(text).toContain(
      '\n  #2     +2 ms      not increasing  progress 1 does not increase on 2',
    );
  });

  it('gives times in JSON to 0.1 ms', () => {
    const report = {
      tool: 't',
      server: 'node s.js',
      outcome: { kind: 'ok' as const },
      audit: audit(
        [
          [10.866989000000103, p(2)],
          [12.34, p(1)],
          [20.05001, response],
        ],
        520.44999,
      ),
    };
    expect(JSON.parse(reportJson(report))).toMatchObject({
      firstAt: 10.9,
      lastAt: 12.3,
      responseAt: 20.1,
      endedAt: 520.4,
      peak: { count: 2, from: 10.9, to: 12.3 },
      violations: [{ kind: 'not increasing', at: 12.3, index: 2 }],
    });
  });
});
