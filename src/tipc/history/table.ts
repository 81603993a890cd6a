// A history as text: the terminal table (one per model and mode, runs oldest first, each figure with its
// change from the run before and REGRESSED where it went past gates.regression) and the same as
// Markdown for a CI job summary. A figure a run did not measure is "–", never 0.
import { table } from 'table';
import { bytes, num } from '../report/index.js';
import {
  HISTORY_FIGURES,
  type History,
  type HistoryChange,
  type HistoryFigureKey,
  type HistoryGroup,
  type HistoryRun,
  type RegressionThresholds,
} from './series.js';

export const MISSING = '–';

/** A figure's value as shown: bytes in decimal units, top-1 and latency ratio to 4 digits. */
export function figureText(key: HistoryFigureKey, v: number | null): string {
  if (v === null) return MISSING;
  return key === 'size' ? bytes(v) : key === 'latency' ? `${num(v)}×` : num(v);
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}`;

/** The change as a reader expects it: sizes and latency in %, top-1 in points (a drop is negative). */
export function changeText(c: Pick<HistoryChange, 'key' | 'worsening'>): string {
  return c.key === 'top1' ? `${pct(-c.worsening)} pt` : `${pct(c.worsening)} %`;
}

/** The threshold of a change: "> 1 %" of growth, "> 1 pt" of top-1 drop. */
export function thresholdText(key: HistoryFigureKey, t: number): string {
  return `${key === 'top1' ? 'drop' : 'growth'} > ${num(t * 100)} ${key === 'top1' ? 'pt' : '%'}`;
}

/** "2026-12-07 04:01:26" from an ISO time (as given when it does not parse). */
export function startedText(iso: string): string {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? new Date(t).toISOString().slice(0, 19).replace('T', ' ') : iso;
}

export function changeOf(g: HistoryGroup, run: number, key: HistoryFigureKey): HistoryChange | undefined {
  return g.changes[run]?.find((c) => c.key === key);
}

const thresholdsKey = (t: RegressionThresholds) =>
  JSON.stringify([t.maxSizeGrowth, t.maxTop1Drop, t.maxLatencySlowdown, t.source]);

/** One line per distinct set of thresholds: which runs it judged, its values and where they came from. */
export function thresholdLines(g: HistoryGroup): string[] {
  const sets = new Map<string, { t: RegressionThresholds; runs: number[] }>();
  g.runs.forEach((run, i) => {
    if (!i) return;
    const k = thresholdsKey(run.thresholds);
    const s = sets.get(k) ?? { t: run.thresholds, runs: [] };
    s.runs.push(i + 1);
    sets.set(k, s);
  });
  return [...sets.values()].map(
    ({ t, runs }) =>
      `run${runs.length > 1 ? 's' : ''} ${runs.map((n) => `#${n}`).join(', ')} against the one before: regressed when ` +
      HISTORY_FIGURES.map((f) => `${f.label} ${thresholdText(f.key, f.threshold(t))}`).join(', ') +
      ` (from ${t.source})`,
  );
}

const regressionsIn = (g: HistoryGroup) => g.changes.flat().filter((c) => c.regressed).length;

function groupHeading(g: HistoryGroup): string {
  const n = regressionsIn(g);
  return `TIPC history ${g.model} ${g.mode}: ${g.runs.length} run${g.runs.length === 1 ? '' : 's'}, ${n} regression${n === 1 ? '' : 's'}`;
}

function terminalCell(g: HistoryGroup, i: number, key: HistoryFigureKey, run: HistoryRun): string {
  const c = changeOf(g, i, key);
  const value = figureText(key, run.figures[key]);
  return c ? `${value}\n${changeText(c)}${c.regressed ? ' REGRESSED' : ''}` : value;
}

function terminalGroup(g: HistoryGroup): string {
  const rows = [
    ['#', 'started (UTC)', 'status', ...HISTORY_FIGURES.map((f) => f.label)],
    ...g.runs.map((run, i) => [
      String(i + 1),
      startedText(run.startedAt),
      run.status.toUpperCase(),
      ...HISTORY_FIGURES.map((f) => terminalCell(g, i, f.key, run)),
    ]),
  ];
  const files = g.runs.map((run, i) => `#${i + 1} ${run.file}`);
  return [groupHeading(g), table(rows).trimEnd(), ...files, ...thresholdLines(g), ''].join('\n');
}

/** The terminal form: a table per model and mode, the report files, and the thresholds used. */
export function historyTable(h: History): string {
  return h.groups.map(terminalGroup).join('\n');
}

/** A Markdown table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

function markdownCell(g: HistoryGroup, i: number, key: HistoryFigureKey, run: HistoryRun): string {
  const c = changeOf(g, i, key);
  const value = figureText(key, run.figures[key]);
  if (!c) return value;
  return c.regressed
    ? `${value} (${changeText(c)}) ❌ **regressed** (${thresholdText(key, c.threshold)})`
    : `${value} (${changeText(c)})`;
}

function markdownGroup(g: HistoryGroup): string[] {
  const n = regressionsIn(g);
  return [
    `## ${n ? '❌' : '✅'} ${cell(groupHeading(g))}`,
    '',
    `| # | started (UTC) | status | ${HISTORY_FIGURES.map((f) => f.label).join(' | ')} | report |`,
    `|---:|---|---|${HISTORY_FIGURES.map(() => '---:').join('|')}|---|`,
    ...g.runs.map(
      (run, i) =>
        `| ${i + 1} | ${startedText(run.startedAt)} | ${run.status === 'pass' ? '✅' : '❌'} ${run.status.toUpperCase()} | ` +
        `${HISTORY_FIGURES.map((f) => markdownCell(g, i, f.key, run)).join(' | ')} | \`${cell(run.file)}\` |`,
    ),
    '',
    ...thresholdLines(g).flatMap((l, i, all) => [`- ${cell(l)}`, ...(i === all.length - 1 ? [''] : [])]),
  ];
}

/** The Markdown form (a CI job summary): a heading and table per model and mode, then the thresholds. */
export function historyMarkdown(h: History): string {
  return h.groups.flatMap(markdownGroup).join('\n');
}
