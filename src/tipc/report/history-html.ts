// The history page (`tipc report --history … --html OUT.html`): self-contained like report.html (no
// script, no link). Per model and mode: a line chart per figure over the runs, oldest first, with the
// regressions marked in red, then the table of runs (every figure with its change from the run before)
// and the thresholds each change was judged by. A run that did not measure a figure has no point on
// its chart and "–" in the table.
import { esc, lineChart } from './html-charts.js';
import { page, table } from './html.js';
import { HISTORY_FIGURES, type History, type HistoryFigureKey, type HistoryGroup } from './history.js';
import { changeOf, changeText, figureText, startedText, thresholdLines, thresholdText } from './history-table.js';

const COLOR: Record<HistoryFigureKey, string> = { size: '#2a6fd0', top1: '#393', latency: '#c60' };
const REGRESSED = '#c33';

/** The chart's y values: bytes as MB (decimal), the others as they are. */
const AXIS: Record<HistoryFigureKey, { label: string; scale: (v: number) => number }> = {
  size: { label: 'MB', scale: (v) => v / 1e6 },
  top1: { label: 'top-1', scale: (v) => v },
  latency: { label: '× reference p50', scale: (v) => v },
};

function figureChart(g: HistoryGroup, gi: number, key: HistoryFigureKey, label: string): string {
  const axis = AXIS[key];
  const points = g.runs.flatMap((run, i) => {
    const v = run.figures[key];
    return v === null ? [] : [{ x: i + 1, y: axis.scale(v) }];
  });
  if (!points.length) return `<p class="muted">${esc(label)}: not measured in any run.</p>`;
  const regressed = points.filter((p) => changeOf(g, p.x - 1, key)?.regressed);
  return lineChart(
    `history-${gi}-${key}`,
    label,
    [
      { name: label, color: COLOR[key], points },
      ...(regressed.length ? [{ name: 'regression', color: REGRESSED, markers: true, points: regressed }] : []),
    ],
    { xLabel: 'run # (oldest → newest)', yLabel: axis.label },
  );
}

function figureCell(g: HistoryGroup, i: number, key: HistoryFigureKey): string {
  const value = esc(figureText(key, g.runs[i].figures[key]));
  const c = changeOf(g, i, key);
  if (!c) return value;
  if (!c.regressed) return `${value}<br><span class="muted">${esc(changeText(c))}</span>`;
  return `<b style="color:${REGRESSED}" data-regressed="${key}">${value}</b><br><span style="color:${REGRESSED}">${esc(
    `${changeText(c)}: regressed (${thresholdText(key, c.threshold)})`,
  )}</span>`;
}

function runsTable(g: HistoryGroup): string {
  return table(
    ['#', 'started (UTC)', 'status', ...HISTORY_FIGURES.map((f) => f.label), 'report'],
    g.runs.map((run, i) => [
      String(i + 1),
      esc(startedText(run.startedAt)),
      `<b style="color:${run.status === 'pass' ? '#2a7' : REGRESSED}">${run.status.toUpperCase()}</b>`,
      ...HISTORY_FIGURES.map((f) => figureCell(g, i, f.key)),
      `<code>${esc(run.file)}</code>`,
    ]),
    [0, 3, 4, 5],
  );
}

function groupSection(g: HistoryGroup, gi: number): string {
  const n = g.changes.flat().filter((c) => c.regressed).length;
  const charts = HISTORY_FIGURES.map((f) => figureChart(g, gi, f.key, f.label));
  const thresholds = thresholdLines(g);
  return `<h2>${esc(g.model)} / ${esc(g.mode)}</h2>
<p>${g.runs.length} run${g.runs.length === 1 ? '' : 's'} · <b style="color:${n ? REGRESSED : '#2a7'}">${n} regression${n === 1 ? '' : 's'}</b></p>
<div class="charts">${charts.join('\n')}</div>
${runsTable(g)}
${thresholds.length ? `<ul>${thresholds.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''}`;
}

export function renderHistoryHtml(h: History): string {
  const runs = h.groups.reduce((n, g) => n + g.runs.length, 0);
  return page(
    `TIPC history: ${runs} runs, ${h.regressions} regressions`,
    `<h1>TIPC history</h1>
<p>${runs} run${runs === 1 ? '' : 's'} of ${h.groups.length} model/mode pair${h.groups.length === 1 ? '' : 's'}, oldest first · ${h.regressions} regression${h.regressions === 1 ? '' : 's'} beyond gates.regression</p>
${h.groups.map(groupSection).join('\n')}`,
  );
}
