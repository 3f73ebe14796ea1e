import type { RatedProgress } from '../operators/progressRate.js';
import type { ProgressUpdate } from '../wire/ProgressUpdate.js';
import { truncateMessage } from '../wire/truncateMessage.js';

/**
 * Text formatting shared by the displays and the reports: numbers, rates, durations, one-line
 * previews.
 */

/** A progress value: integers with thousands separators, others with at most 2 decimals. */
export const formatCount = (value: number): string =>
  value.toLocaleString('en-US', { maximumFractionDigits: Number.isInteger(value) ? 0 : 2 });

/** A rate in units per second: `4.2/s`, `13/s`, `1,250/s`. */
export const formatRate = (perSecond: number): string =>
  `${perSecond < 10 ? perSecond.toFixed(1) : formatCount(Math.round(perSecond))}/s`;

/** A duration: `0.4s`, `12s`, `3m05s`, `1h02m`. */
export const formatDuration = (ms: number): string => {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${String(Math.round(seconds))}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)}m${pad2(Math.round(seconds % 60))}s`;
  return `${String(Math.floor(minutes / 60))}h${pad2(minutes % 60)}m`;
};

/** Milliseconds since a start, for reports: `+12 ms`, `+1.25 s`. */
export const formatOffset = (ms: number): string =>
  ms < 1000 ? `+${String(Math.round(ms))} ms` : `+${(ms / 1000).toFixed(2)} s`;

/** Whole percent of `progress` in `total`, between 0 and 100. */
export const percentOf = (progress: number, total: number): number =>
  Math.min(100, Math.max(0, Math.floor((100 * progress) / total)));

/** Text on one line, at most `max` characters (an ellipsis marks a cut). */
export const oneLine = (text: string, max = 80): string => {
  return truncateMessage(text.replace(/\s+/g, ' ').trim(), Math.max(1, max));
};

/** `16/40 (40%)`, or `1,530` when the total is unknown. */
export const formatAmount = (update: ProgressUpdate): string =>
  update.total === undefined
    ? formatCount(update.progress)
    : `${formatCount(update.progress)}/${formatCount(update.total)} (${String(percentOf(update.progress, update.total))}%)`;

/** The rate and ETA parts of an update that has them: `13/s`, `ETA 1.8s` (none once final). */
export const rateParts = (update: RatedProgress): string[] => [
  ...(update.rate === undefined ? [] : [formatRate(update.rate)]),
  ...(update.etaMs === undefined || update.etaMs === 0
    ? []
    : [`ETA ${formatDuration(update.etaMs)}`]),
];

/** One plain line for an update: `16/40 (40%)  13/s  ETA 1.8s  compiling module 16`. */
export const describeUpdate = (update: RatedProgress): string =>
  [
    formatAmount(update),
    ...rateParts(update),
    ...(update.message === undefined ? [] : [oneLine(update.message)]),
  ].join('  ');

const pad2 = (n: number): string => String(n).padStart(2, '0');
