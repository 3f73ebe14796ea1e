/**
 * The three displays of `mcp-progress`, in process: live bars (on a fake terminal), plain lines,
 * JSON lines; and the number formats they share.
 */
import { Writable } from 'node:stream';
import { BarDisplay } from '../../src/cli/display/BarDisplay.js';
import { createDisplay } from '../../src/cli/display/createDisplay.js';
import { JsonDisplay } from '../../src/cli/display/JsonDisplay.js';
import { PlainDisplay } from '../../src/cli/display/PlainDisplay.js';
import {
  describeUpdate,
  formatCount,
  formatDuration,
  formatRate,
  oneLine,
} from '../../src/cli/format.js';

/** A writable that keeps what it is given; a terminal of `columns` columns when `columns` is set. */
class Sink extends Writable {
  text = '';
  readonly isTTY: boolean;
  constructor(readonly columns?: number) {
    super();
    this.isTTY = columns !== undefined;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

const FULL = '█';
const EMPTY = '░';

describe('BarDisplay (a terminal)', () => {
  it('draws a bar per job: percent, count, rate, ETA, message; a count when the total is unknown', () => {
    const out = new Sink(120);
    const err = new Sink();
    const display = new BarDisplay({ out, err });
    display.job('build').update({
      progressToken: 'a',
      progress: 4,
      total: 10,
      message: 'compiling',
      rate: 2,
      etaMs: 3000,
    });
    display.job('crawl').update({ progressToken: 'b', progress: 1234, rate: 56.7 });
    display.job('wait');
    display.log('a line from the server');
    display.stop();
    const text = plain(out.text);
    expect(text).toContain(
      `build  ${FULL.repeat(10)}${EMPTY.repeat(14)}   40% | 4/10 | 2.0/s | ETA 3.0s | compiling`,
    );
    expect(text).toMatch(/crawl {2}[░█]{24} {2}1,234 \| 57\/s\n/);
    expect(text).toMatch(/wait {3}[░█]{24} {2}waiting for progress\n/);
    expect(text.indexOf('a line from the server\n')).toBeLessThan(text.indexOf('build'));
    expect(err.text).toBe('');
  });

  it('shows how each job finished', () => {
    const out = new Sink(120);
    const display = new BarDisplay({ out, err: new Sink() });
    const build = display.job('build');
    build.update({ progressToken: 'a', progress: 10, total: 10, message: 'linked', rate: 5 });
    build.finish('done', 'done in 2.0s');
    const crawl = display.job('crawl');
    crawl.update({ progressToken: 'b', progress: 3, total: 12 });
    crawl.finish('failed', 'failed in 0.4s');
    display.stop();
    const text = plain(out.text);
    expect(text).toContain(`build  ${FULL.repeat(24)}  100% | 10/10 | done in 2.0s | linked`);
    expect(text).toContain(
      `crawl  ${FULL.repeat(6)}${EMPTY.repeat(18)}   25% | 3/12 | failed in 0.4s`,
    );
  });

  it('fits a line to the terminal, and writes to stderr once stopped', () => {
    const out = new Sink(40);
    const err = new Sink();
    const display = new BarDisplay({ out, err });
    display
      .job('build')
      .update({ progressToken: 'a', progress: 1, total: 2, message: 'x'.repeat(80) });
    display.stop();
    display.stop(); // idempotent
    display.log('after');
    const lines = plain(out.text)
      .split('\n')
      .filter((line) => line.includes('build'));
    expect(lines.every((line) => line.length <= 39 && line.endsWith('…'))).toBe(true);
    expect(err.text).toBe('after\n');
  });
});

describe('PlainDisplay (no terminal)', () => {
  it('writes one line per update, names aligned, at most once a second', () => {
    const out = new Sink();
    const err = new Sink();
    const display = new PlainDisplay({ out, err });
    // One a second by default; --rate, when given, wins (Infinity: every update).
    expect(display.rateFor(undefined)).toBe(1);
    expect(display.rateFor(0.5)).toBe(0.5);
    expect(display.rateFor(5)).toBe(5);
    expect(display.rateFor(Infinity)).toBe(Infinity);
    const a = display.job('a');
    const build = display.job('build');
    a.update({ progressToken: 'a', progress: 1 });
    build.update({
      progressToken: 'b',
      progress: 3,
      total: 4,
      rate: 12.5,
      etaMs: 80,
      message: 'm',
    });
    build.finish('done', 'done in 0.3s');
    display.log('from the server');
    expect(out.text).toBe('a      1\nbuild  3/4 (75%)  13/s  ETA 0.1s  m\nbuild  done in 0.3s\n');
    expect(err.text).toBe('from the server\n');
  });
});

describe('JsonDisplay (--json)', () => {
  it('writes one JSON object a line, the rate to 3 decimals and the ETA in whole ms', () => {
    const out = new Sink(120); // even on a terminal
    const display = createDisplay({ out, err: new Sink() }, true);
    expect(display).toBeInstanceOf(JsonDisplay);
    display
      .job()
      .update({ progressToken: 't', progress: 1, total: 3, rate: 1.23456, etaMs: 1620.4 });
    display.write({ type: 'result', isError: false, elapsedMs: 5, result: { content: [] } });
    const [progress, result] = out.text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(progress).toEqual({
      type: 'progress',
      progressToken: 't',
      progress: 1,
      total: 3,
      rate: 1.235,
      etaMs: 1620,
      elapsedMs: expect.any(Number) as unknown,
    });
    expect(result).toEqual({
      type: 'result',
      isError: false,
      elapsedMs: 5,
      result: { content: [] },
    });
  });
});

describe('createDisplay', () => {
  it('picks bars on a terminal and plain lines otherwise', () => {
    const bars = createDisplay({ out: new Sink(80), err: new Sink() }, false);
    expect(bars).toBeInstanceOf(BarDisplay);
    bars.stop();
    expect(createDisplay({ out: new Sink(), err: new Sink() }, false)).toBeInstanceOf(PlainDisplay);
  });

  it('bars and JSON lines: 10 updates a second unless --rate says otherwise', () => {
    const bars = createDisplay({ out: new Sink(80), err: new Sink() }, false);
    bars.stop();
    const json = createDisplay({ out: new Sink(), err: new Sink() }, true);
    for (const display of [bars, json]) {
      expect(display.rateFor(undefined)).toBe(10);
      expect(display.rateFor(Infinity)).toBe(Infinity);
    }
  });
});

describe('formats', () => {
  it.each([
    [0.4, '0.0s'],
    [400, '0.4s'],
    [12_400, '12s'],
    [185_000, '3m05s'],
    [3_725_000, '1h02m'],
  ])('formatDuration(%d) is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats counts, rates, lines and updates', () => {
    expect(formatCount(100000)).toBe('100,000');
    expect(formatCount(0.256)).toBe('0.26');
    expect(formatRate(4.25)).toBe('4.3/s');
    expect(formatRate(43_420.7)).toBe('43,421/s');
    expect(oneLine('a\n  b\tc', 80)).toBe('a b c');
    expect(oneLine('abcdef', 4)).toBe('abc…');
    expect(describeUpdate({ progressToken: 't', progress: 5, total: 5, rate: 2, etaMs: 0 })).toBe(
      '5/5 (100%)  2.0/s',
    );
    expect(describeUpdate({ progressToken: 't', progress: 7, message: 'seven' })).toBe('7  seven');
  });
});
