// Trends across runs (`tipc report --history`): the headline figures of each run (exported fp32 size,
// exported top-1, latency against the reference), runs ordered by when they started, grouped per
// model and mode, and for each consecutive pair the change of each figure judged against
// gates.regression of the newer run. Size and latency ratio regress when they grow by more than
// maxSizeGrowth / maxLatencySlowdown (relative); top-1 when it drops by more than maxTop1Drop
// (absolute). The latency figure is already a ratio to the reference timed in the same run, so two runs
// on different machines still compare. A figure missing in either run of a pair is not compared.
import { headlineFigures, type HeadlineKey } from '../report/index.js';
import type { Report } from '../report/index.js';

export type HistoryFigureKey = 'size' | 'top1' | 'latency';

/** gates.regression as a history uses it, with where the values came from. */
export interface RegressionThresholds {
  maxSizeGrowth: number;
  maxTop1Drop: number;
  maxLatencySlowdown: number;
  /** Where the values came from (the run's regression gates, its gates file, or the defaults). */
  source: string;
}

export interface HistoryFigureSpec {
  key: HistoryFigureKey;
  headline: HeadlineKey;
  label: string;
  /** How much worse `to` is than `from` (positive: worse), or null when it cannot be said. */
  worsening: (from: number, to: number) => number | null;
  threshold: (t: RegressionThresholds) => number;
}

const relative = (from: number, to: number) => (from > 0 ? (to - from) / from : null);

export const HISTORY_FIGURES: readonly HistoryFigureSpec[] = [
  {
    key: 'size',
    headline: 'size',
    label: 'exported fp32 size',
    worsening: relative,
    threshold: (t) => t.maxSizeGrowth,
  },
  {
    key: 'top1',
    headline: 'top1',
    label: 'exported top-1',
    worsening: (from, to) => from - to,
    threshold: (t) => t.maxTop1Drop,
  },
  {
    key: 'latency',
    headline: 'latency',
    label: 'latency ÷ reference p50',
    worsening: relative,
    threshold: (t) => t.maxLatencySlowdown,
  },
];

export type HistoryFigures = Record<HistoryFigureKey, number | null>;

export interface HistoryRun {
  /** The report.json it was read from. */
  file: string;
  startedAt: string;
  status: Report['status'];
  figures: HistoryFigures;
  /** gates.regression of this run: judges the change from the run before it. */
  thresholds: RegressionThresholds;
}

/** One figure's change from the run before. */
export interface HistoryChange {
  key: HistoryFigureKey;
  from: number;
  to: number;
  /** How much worse (positive) or better (negative): relative for size and latency, absolute for top-1. */
  worsening: number;
  threshold: number;
  regressed: boolean;
}

export interface HistoryGroup {
  model: string;
  mode: string;
  /** Oldest first. */
  runs: HistoryRun[];
  /** changes[i]: run i against run i − 1 (changes[0] is empty), figures missing on either side left out. */
  changes: HistoryChange[][];
}

export interface History {
  groups: HistoryGroup[];
  /** Marked regressions over all groups. */
  regressions: number;
}

export interface HistoryEntry {
  file: string;
  report: Report;
}

/** Rounding before the comparison: a change exactly at the threshold is not a regression. */
const settle = (x: number) => Number(x.toFixed(9));

/** A run's figures from its headline gates; a figure whose gate has no finite number is null. */
export function historyFigures(r: Pick<Report, 'gates'>): HistoryFigures {
  const heads = headlineFigures(r);
  const value = (key: HeadlineKey) => {
    const v = heads.find((h) => h.key === key)?.gate?.value;
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  return { size: value('size'), top1: value('top1'), latency: value('latency') };
}

/** The changes of `now` against `before`, judged by `now`'s thresholds. */
export function changesBetween(before: HistoryRun, now: HistoryRun): HistoryChange[] {
  const out: HistoryChange[] = [];
  for (const f of HISTORY_FIGURES) {
    const from = before.figures[f.key];
    const to = now.figures[f.key];
    if (from === null || to === null) continue;
    const w = f.worsening(from, to);
    if (w === null || !Number.isFinite(w)) continue;
    const worsening = settle(w);
    const threshold = f.threshold(now.thresholds);
    out.push({ key: f.key, from, to, worsening, threshold, regressed: worsening > threshold });
  }
  return out;
}

const startOf = (e: HistoryEntry) => {
  const t = Date.parse(e.report.startedAt);
  return Number.isFinite(t) ? t : -Infinity;
};

/** Oldest first by startedAt; equal times by file name, so the order never depends on the arguments'. */
function byStart(a: HistoryEntry, b: HistoryEntry): number {
  return startOf(a) - startOf(b) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}

function groupOf(model: string, mode: string, entries: HistoryEntry[], thresholdsOf: ThresholdsOf): HistoryGroup {
  const runs: HistoryRun[] = [...entries].sort(byStart).map((e) => ({
    file: e.file,
    startedAt: e.report.startedAt,
    status: e.report.status,
    figures: historyFigures(e.report),
    thresholds: thresholdsOf(e.report),
  }));
  return { model, mode, runs, changes: runs.map((run, i) => (i ? changesBetween(runs[i - 1], run) : [])) };
}

export type ThresholdsOf = (r: Report) => RegressionThresholds;

/** The history of the given reports: one group per model and mode (in name order), each oldest first. */
export function buildHistory(entries: HistoryEntry[], thresholdsOf: ThresholdsOf): History {
  const byKey = new Map<string, { model: string; mode: string; entries: HistoryEntry[] }>();
  for (const e of entries) {
    const key = `${e.report.model}\u0000${e.report.mode}`;
    const g = byKey.get(key) ?? { model: e.report.model, mode: e.report.mode, entries: [] };
    g.entries.push(e);
    byKey.set(key, g);
  }
  const groups = [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => groupOf(g.model, g.mode, g.entries, thresholdsOf));
  const regressions = groups.reduce((n, g) => n + g.changes.flat().filter((c) => c.regressed).length, 0);
  return { groups, regressions };
}
