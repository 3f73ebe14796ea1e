/**
 * Tables, targets and the generated page. Every table is built once as rows of cells and rendered
 * either as aligned text (console) or as Markdown (docs/benchmarks.md).
 */
import type { PassTiming } from './measure.js';
import type { MemoryResult } from './memory.js';
import type { RateResult, SendingResult } from './sending.js';

/** One measured (or skipped) contender at one M. */
export interface ReceivingRow {
  readonly id: string;
  readonly label: string;
  readonly library: boolean;
  readonly m: number;
  readonly timing: PassTiming | undefined;
  readonly note: string | undefined;
}

/** A table: a header and rows of cells. */
export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns aligned right. */
  readonly right: readonly number[];
}

/** One target, checked. */
export interface TargetLine {
  readonly name: string;
  readonly measured: string;
  readonly target: string;
  readonly pass: boolean;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** A rate in readable units: 4.79 M, 412 k. */
export const rate = (perSecond: number): string =>
  perSecond >= 1e6
    ? `${(perSecond / 1e6).toPrecision(3)} M`
    : perSecond >= 1e3
      ? `${(perSecond / 1e3).toPrecision(3)} k`
      : perSecond.toPrecision(3);

/** A ratio: 0.166×, 1.52×, 118×. */
export const ratio = (r: number): string =>
  `${r >= 100 ? Math.round(r).toString() : r >= 0.01 ? r.toPrecision(3) : r.toExponential(2)}×`;

const bytes = (b: number): string =>
  Math.abs(b) >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${int(b)} B`;

const ms = (x: number): string => (x >= 100 ? int(x) : x.toPrecision(3));

/** Finds a row's throughput. */
const perSecondOf = (rows: readonly ReceivingRow[], id: string, m: number): number | undefined =>
  rows.find((r) => r.id === id && r.m === m)?.timing?.perSecond;

/** The receiving table: contender, M, msgs/s, spread, runs, ratio to the hand loop and to the SDK. */
export const receivingTable = (rows: readonly ReceivingRow[]): Table => ({
  header: [
    'Contender',
    'M',
    'msgs/s (CPU, median)',
    '± MAD',
    'msgs/s (wall)',
    'runs',
    '× hand loop',
    '× SDK',
    'Notes',
  ],
  right: [1, 2, 3, 4, 5, 6, 7],
  rows: rows.map((r) => {
    const t = r.timing;
    if (t === undefined) return [r.label, int(r.m), '—', '', '', '', '', '', r.note ?? ''];
    const hand = perSecondOf(rows, 'hand', r.m);
    const sdk = perSecondOf(rows, 'sdk', r.m);
    return [
      r.label,
      int(r.m),
      rate(t.perSecond),
      `${((t.madMs / t.medianMs) * 100).toFixed(1)}%`,
      rate(t.messages / (t.wallMs / 1000)),
      String(t.runs),
      hand === undefined ? '' : ratio(t.perSecond / hand),
      sdk === undefined ? '' : ratio(t.perSecond / sdk),
      r.note ?? '',
    ];
  }),
});

/** Flat scaling: throughput at every M over M = 1, per contender. */
export const scalingTable = (rows: readonly ReceivingRow[]): Table => {
  const ids = [...new Set(rows.map((r) => r.id))];
  const ms = [...new Set(rows.map((r) => r.m))].sort((a, b) => a - b);
  const out: string[][] = [];
  for (const id of ids) {
    const one = perSecondOf(rows, id, 1);
    if (one === undefined) continue;
    const label = rows.find((r) => r.id === id)?.label ?? id;
    const cells = ms.map((m) => {
      const at = perSecondOf(rows, id, m);
      return at === undefined ? '—' : ratio(at / one);
    });
    out.push([label, ...cells]);
  }
  return {
    header: ['Contender', ...ms.map((m) => `M = ${int(m)} / M = 1`)],
    right: ms.map((_, i) => i + 1),
    rows: out,
  };
};

/** The memory table. */
export const memoryTable = (results: readonly MemoryResult[]): Table => ({
  header: [
    'Contender',
    'tokens',
    'runs',
    'B/token registered',
    'B/token active',
    'complete all (CPU ms)',
    'wall ms',
    'completed by',
    'heap after vs baseline',
  ],
  right: [1, 2, 3, 4, 5, 6],
  rows: results.map((r) => [
    r.label,
    int(r.tokens),
    String(r.runs),
    r.registeredPerToken === undefined ? '—' : int(r.registeredPerToken),
    r.activePerToken === undefined ? '—' : int(r.activePerToken),
    ms(r.completeMs),
    ms(r.completeWallMs),
    r.completedBy,
    `${r.afterBytes >= 0 ? '+' : ''}${bytes(r.afterBytes)} (${r.afterPercent >= 0 ? '+' : ''}${r.afterPercent.toFixed(2)}% of ${bytes(r.baselineBytes)})`,
  ]),
});

const rateRow = (r: RateResult): string[] => [
  `${r.clock} clock, ${r.maxUpdatesPerSecond}/s, burst ${r.burst}`,
  int(r.calls),
  `${ms(r.durationMs)} ms`,
  int(r.sent),
  r.bound.toFixed(1),
  `${r.sustainedPerSecond.toFixed(2)}/s`,
  r.lastExact ? 'yes' : 'NO',
];

/** The sending tables. */
export const sendingTables = (s: SendingResult): { flood: Table; rates: Table } => {
  const f = s.flood;
  return {
    flood: {
      header: [
        'Flood of next() calls',
        'calls',
        'loop (CPU, median)',
        'loop (wall)',
        'calls/s (CPU)',
        '× baseline time',
      ],
      right: [1, 2, 3, 4, 5],
      rows: [
        [
          `ProgressReporter (${f.maxUpdatesPerSecond}/s, burst ${f.burst}), ${f.runs} runs`,
          int(f.calls),
          `${ms(f.reporterMs)} ms`,
          `${ms(f.reporterWallMs)} ms`,
          rate(f.calls / (f.reporterMs / 1000)),
          ratio(f.reporterMs / f.baselineMs),
        ],
        [
          'baseline: hand-written latest-wins limiter',
          int(f.calls),
          `${ms(f.baselineMs)} ms`,
          '',
          rate(f.calls / (f.baselineMs / 1000)),
          ratio(1),
        ],
      ],
    },
    rates: {
      header: [
        'Sustained flood',
        'calls',
        'duration',
        'sent',
        'bound',
        'sustained rate',
        'last exact',
      ],
      right: [1, 2, 3, 4, 5],
      rows: s.rates.map(rateRow),
    },
  };
};

/** Everything the targets are checked against. */
export interface Results {
  readonly receiving: readonly ReceivingRow[];
  readonly memory: readonly MemoryResult[] | undefined;
  readonly sending: SendingResult | undefined;
}

const everyM = (
  rows: readonly ReceivingRow[],
  id: string,
  against: string,
  min: number,
): { text: string; pass: boolean } | undefined => {
  const parts: string[] = [];
  let pass = true;
  let any = false;
  for (const m of [...new Set(rows.map((r) => r.m))].sort((a, b) => a - b)) {
    const mine = perSecondOf(rows, id, m);
    const theirs = perSecondOf(rows, against, m);
    if (mine === undefined || theirs === undefined) continue;
    any = true;
    const r = mine / theirs;
    if (r < min) pass = false;
    parts.push(`M=${int(m)}: ${ratio(r)}`);
  }
  return any ? { text: parts.join(', '), pass } : undefined;
};

/**
 * The targets of issue 6, for the given contenders (the library's paths with throttling off), and
 * the same checks for other configurations as information.
 */
export const checkTargets = (results: Results, ids: readonly string[]): TargetLine[] => {
  const lines: TargetLine[] = [];
  const rows = results.receiving;
  const labelOf = (id: string): string => rows.find((r) => r.id === id)?.label ?? id;
  for (const id of ids) {
    const sdk = everyM(rows, id, 'sdk', 50);
    if (sdk !== undefined) {
      lines.push({
        name: `${labelOf(id)}: throughput vs SDK Client, every M`,
        measured: sdk.text,
        target: '>= 50×',
        pass: sdk.pass,
      });
    }
    const hand = everyM(rows, id, 'hand', 0.1);
    if (hand !== undefined) {
      lines.push({
        name: `${labelOf(id)}: throughput vs hand-written loop, every M`,
        measured: hand.text,
        target: '>= 0.1×',
        pass: hand.pass,
      });
    }
    const one = perSecondOf(rows, id, 1);
    const tenK = perSecondOf(rows, id, 10_000);
    if (one !== undefined && tenK !== undefined) {
      lines.push({
        name: `${labelOf(id)}: flat scaling, msgs/s at M=10,000 / M=1`,
        measured: `${ratio(tenK / one)} (${rate(tenK)} / ${rate(one)})`,
        target: '>= 0.7×',
        pass: tenK / one >= 0.7,
      });
    }
  }
  const hand = results.memory?.find((r) => r.kind === 'hand');
  for (const r of results.memory ?? []) {
    if (r.kind !== 'library') continue;
    const vsHand = hand === undefined ? '' : `; hand loop ${ms(hand.completeMs)} ms CPU`;
    lines.push({
      name: `${r.label}: complete ${int(r.tokens)} active tokens (${r.completedBy})`,
      measured: `${ms(r.completeMs)} ms CPU (${ms(r.completeWallMs)} ms wall)${vsHand}`,
      target: '< 250 ms',
      pass: r.completeMs < 250,
    });
    const perToken = Math.max(r.registeredPerToken ?? 0, r.activePerToken ?? 0);
    if (r.by === 'final') {
      lines.push({
        name: `${r.label}: retained heap per active token (${int(r.tokens)} tokens)`,
        measured: `${int(perToken)} B`,
        target: '<= 512 B',
        pass: perToken <= 512,
      });
    }
    lines.push({
      name: `${r.label}: heap after completion vs baseline (${r.completedBy})`,
      measured: `${r.afterPercent >= 0 ? '+' : ''}${r.afterPercent.toFixed(2)}% (${bytes(r.afterBytes)})`,
      target: 'within 5%',
      pass: Math.abs(r.afterPercent) <= 5,
    });
  }
  const s = results.sending;
  if (s !== undefined) {
    const f = s.flood;
    lines.push({
      name: `ProgressReporter: flood of ${int(f.calls)} next() calls`,
      measured: `${ms(f.reporterMs)} ms CPU, ${ms(f.reporterWallMs)} ms wall (baseline limiter ${ms(f.baselineMs)} ms CPU, ${ratio(f.reporterMs / f.baselineMs)})`,
      target: '< 100 ms',
      pass: f.reporterMs < 100,
    });
    lines.push({
      name: 'ProgressReporter: flood sends at most burst + rate × duration + 1, last exact',
      measured: `${f.sent} sent, bound ${f.bound.toFixed(1)}, last ${f.lastExact ? 'exact' : 'WRONG'}`,
      target: '<= bound, last exact',
      pass: f.sent <= f.bound && f.lastExact,
    });
    for (const r of s.rates) {
      const near =
        Math.abs(r.sustainedPerSecond - r.maxUpdatesPerSecond) <= 0.05 * r.maxUpdatesPerSecond;
      lines.push({
        name: `ProgressReporter: sustained flood, ${r.clock} clock (${int(r.calls)} calls over ${ms(r.durationMs)} ms)`,
        measured: `${r.sent} sent, bound ${r.bound.toFixed(1)}, ${r.sustainedPerSecond.toFixed(2)}/s sustained, last ${r.lastExact ? 'exact' : 'WRONG'}`,
        target: `<= bound, ${r.maxUpdatesPerSecond}/s ± 5%, last exact`,
        pass: r.sent <= r.bound && near && r.lastExact,
      });
    }
  }
  return lines;
};

/** Renders a table as aligned text. */
export const textTable = (t: Table): string => {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) =>
        t.right.includes(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join(
    '\n',
  );
};

/** Renders a table as Markdown. */
export const markdownTable = (t: Table): string => {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const sep = t.header.map((_, c) => (t.right.includes(c) ? '---:' : '---'));
  return [t.header, sep, ...t.rows].map((r) => `| ${r.map(esc).join(' | ')} |`).join('\n');
};

/** Renders target lines as text. */
export const textTargets = (lines: readonly TargetLine[]): string =>
  lines
    .map((l) => `${l.pass ? 'PASS' : 'FAIL'}  ${l.name}: ${l.measured} (target ${l.target})`)
    .join('\n');

/** Renders target lines as a Markdown table. */
export const markdownTargets = (lines: readonly TargetLine[]): string =>
  markdownTable({
    header: ['', 'Target', 'Measured', 'Wanted'],
    right: [],
    rows: lines.map((l) => [l.pass ? '**PASS**' : '**FAIL**', l.name, l.measured, l.target]),
  });
