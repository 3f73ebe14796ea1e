import type { AuditReport, Violation, ViolationKind } from './audit.js';
import { formatCount, formatOffset, oneLine } from './format.js';
import { previewValue } from '../wire/previewValue.js';

/** How the call itself ended, for the report. */
export type CallOutcome =
  | { readonly kind: 'ok' }
  | { readonly kind: 'tool error'; readonly message: string }
  | { readonly kind: 'failed'; readonly message: string }
  /** Ctrl-C, SIGTERM or SIGHUP: the report covers what came until then. */
  | { readonly kind: 'interrupted'; readonly message: string };

/** What `check` prints: the audit and the call's outcome. */
export interface CheckReport {
  readonly tool: string;
  readonly server: string;
  readonly outcome: CallOutcome;
  readonly audit: AuditReport;
}

/** How many violations of one kind are listed before "and N more". */
const LISTED_PER_KIND = 5;
const COLUMNS = 40;
const LEVELS = '▁▂▃▄▅▆▇█';

/** Whether the check passed: a successful call and no violation. */
export const passed = (report: CheckReport): boolean =>
  report.outcome.kind === 'ok' && report.audit.violations.length === 0;

/**
 * The report as text: counts, a timeline, the busiest second, then PASS or FAIL with each
 * violation (at most five of a kind, then a count).
 */
export const formatReport = (report: CheckReport): string => {
  const { audit, outcome } = report;
  const lines = [`mcp-progress check: tool "${report.tool}" on ${oneLine(report.server, 100)}`];
  const row = (label: string, value: string): void => {
    lines.push(`  ${label.padEnd(15)}${value}`);
  };
  row('token', previewValue(audit.token));
  row(
    'result',
    outcome.kind === 'ok'
      ? `ok${audit.responseAt === undefined ? '' : ` (response at ${formatOffset(audit.responseAt)})`}`
      : `${outcome.kind}: ${outcome.message}`,
  );
  row(
    'notifications',
    `${formatCount(audit.notifications)}: ${formatCount(audit.ours)} for the token, ` +
      `${formatCount(audit.otherTokens)} for other tokens, ${formatCount(audit.afterResponse)} after the response, ` +
      `${formatCount(audit.malformed)} malformed`,
  );
  if (audit.first !== undefined && audit.last !== undefined) {
    const total = audit.last.total === undefined ? '' : ` of ${formatCount(audit.last.total)}`;
    row(
      'progress',
      `${formatCount(audit.first.progress)} → ${formatCount(audit.last.progress)}${total}`,
    );
  }
  row('timeline', timeline(audit));
  if (audit.notifications > 0) {
    const [activity, marker] = sparkline(audit);
    row('activity', activity);
    if (marker !== undefined) lines.push(`  ${' '.repeat(15)}${marker}`);
  }
  if (audit.peak !== undefined) {
    row(
      'peak rate',
      `${formatCount(audit.peak.count)} in 1 s, from ${formatOffset(audit.peak.from)} ` +
        `(allowed: bursts of ${String(audit.limit.burst)}, then ${String(audit.limit.maxRate)}/s)`,
    );
  }
  lines.push('');
  const problems = audit.violations.length;
  if (passed(report)) {
    lines.push('PASS: no violations');
    if (audit.notifications === 0) {
      lines.push('note: the server sent no progress notifications (allowed; nothing was audited)');
    }
  } else {
    const counted = `${String(problems)} violation${problems === 1 ? '' : 's'}`;
    lines.push(
      outcome.kind === 'interrupted'
        ? `INTERRUPTED: no verdict; ${problems === 0 ? 'no violation' : counted} in what came until then`
        : outcome.kind === 'ok'
          ? `FAIL: ${counted}`
          : `FAIL: the call did not succeed${problems === 0 ? '' : `, and ${counted}`}`,
    );
    lines.push(...listViolations(audit.violations));
  }
  return `${lines.join('\n')}\n`;
};

/**
 * The report as one JSON object: times (milliseconds since the request was sent) to 0.1 ms, the
 * list of every arrival time left out.
 */
export const reportJson = (report: CheckReport): string => {
  const { tool, server, outcome, audit } = report;
  const { peak } = audit;
  return `${JSON.stringify({
    ok: passed(report),
    tool,
    server,
    outcome,
    ...audit,
    firstAt: roundMs(audit.firstAt),
    lastAt: roundMs(audit.lastAt),
    responseAt: roundMs(audit.responseAt),
    endedAt: roundMs(audit.endedAt),
    peak: peak && { ...peak, from: roundMs(peak.from), to: roundMs(peak.to) },
    violations: audit.violations.map((v) => ({ ...v, at: roundMs(v.at) })),
    arrivals: undefined,
  })}\n`;
};

/** A time to 0.1 ms: what `performance.now()` differences mean, without the float noise. */
function roundMs(ms: number): number;
function roundMs(ms: number | undefined): number | undefined;
function roundMs(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : Math.round(ms * 10) / 10;
}

const timeline = (audit: AuditReport): string => {
  const parts: string[] = [];
  if (audit.firstAt !== undefined) parts.push(`first ${formatOffset(audit.firstAt)}`);
  if (audit.lastAt !== undefined && audit.notifications > 1) {
    parts.push(`last ${formatOffset(audit.lastAt)}`);
  }
  if (audit.responseAt !== undefined) parts.push(`response ${formatOffset(audit.responseAt)}`);
  parts.push(`listened until ${formatOffset(audit.endedAt)}`);
  return parts.join(' · ');
};

/** Notifications per column of time, and a line marking the response under it. */
const sparkline = (audit: AuditReport): [string, string | undefined] => {
  const span = Math.max(audit.endedAt, 1);
  const counts = new Array<number>(COLUMNS).fill(0);
  const column = (at: number): number => Math.min(COLUMNS - 1, Math.floor((at / span) * COLUMNS));
  for (const at of audit.arrivals) {
    const i = column(at);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const max = Math.max(...counts);
  const bars = counts
    .map((n) =>
      n === 0 ? '·' : (LEVELS[Math.ceil((n / max) * LEVELS.length) - 1] ?? LEVELS.charAt(0)),
    )
    .join('');
  const scale = `  0 to ${formatOffset(audit.endedAt).slice(1)}, max ${String(max)} a column`;
  const marker =
    audit.responseAt === undefined
      ? undefined
      : `${' '.repeat(column(audit.responseAt))}^ response`;
  return [bars + scale, marker];
};

const listViolations = (violations: readonly Violation[]): string[] => {
  const byKind = new Map<ViolationKind, Violation[]>();
  for (const v of violations) {
    const list = byKind.get(v.kind);
    if (list === undefined) byKind.set(v.kind, [v]);
    else list.push(v);
  }
  const lines: string[] = [];
  for (const [kind, list] of byKind) {
    for (const v of list.slice(0, LISTED_PER_KIND)) {
      lines.push(
        `  ${`#${String(v.index)}`.padEnd(7)}${formatOffset(v.at).padEnd(11)}${kind.padEnd(16)}${v.message}`,
      );
    }
    if (list.length > LISTED_PER_KIND) {
      lines.push(`  … and ${String(list.length - LISTED_PER_KIND)} more ${kind}`);
    }
  }
  return lines;
};
