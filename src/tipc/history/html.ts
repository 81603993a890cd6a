// The history page (`tipc report --history … --html OUT.html`): self-contained like report.html (no
// script, no link). Per model and mode: an inline SVG chart per figure over the runs, oldest first (one
// x position per run, a gap where a run lacks the figure, each regression ringed in red), then the table of runs (every figure with its change from the run before)
// and the thresholds each change was judged by. A run that did not measure a figure has no point on
// its chart and "–" in the table.
import { esc, num, ticks } from '../report/index.js';
import { page, table } from '../report/index.js';
import { HISTORY_FIGURES, type History, type HistoryFigureKey, type HistoryGroup } from './series.js';
import { changeOf, changeText, figureText, startedText, thresholdLines, thresholdText } from './table.js';

const COLOR: Record<HistoryFigureKey, string> = { size: '#2a6fd0', top1: '#393', latency: '#c60' };
const REGRESSED = '#c33';

/** The chart's y values: bytes as MB (decimal), the others as they are. */
const AXIS: Record<HistoryFigureKey, { label: string; scale: (v: number) => number }> = {
  size: { label: 'MB', scale: (v) => v / 1e6 },
  top1: { label: 'top-1', scale: (v) => v },
  latency: { label: '× reference p50', scale: (v) => v },
};

const W = 640;
const H = 220;
const PAD = { l: 56, r: 24, t: 30, b: 40 };

/** Consecutive measured runs as polylines: a run without the figure breaks the line. */
function segments(points: ({ x: number; y: number } | null)[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  for (const p of [...points, null]) {
    if (p) run.push(`${p.x.toFixed(1)},${p.y.toFixed(1)}`);
    else {
      if (run.length > 1) out.push(run.join(' '));
      run = [];
    }
  }
  return out;
}

/** Axes of a run chart: y ticks with labels, one x label per run (every k-th when there are many). */
function runAxes(n: number, X: (i: number) => number, Y: (v: number) => number, y: [number, number]): string {
  const every = Math.ceil(n / 12);
  return [
    `<line x1="${PAD.l}" y1="${H - PAD.b}" x2="${W - PAD.r}" y2="${H - PAD.b}" stroke="#888"/>`,
    `<line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${H - PAD.b}" stroke="#888"/>`,
    ...ticks(y[0], y[1]).map(
      (t) =>
        `<line x1="${PAD.l - 4}" y1="${Y(t).toFixed(1)}" x2="${W - PAD.r}" y2="${Y(t).toFixed(1)}" stroke="#eee"/><text x="${PAD.l - 6}" y="${(Y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${num(t)}</text>`,
    ),
    ...Array.from({ length: n }, (_, i) => i)
      .filter((i) => i % every === 0 || i === n - 1)
      .map(
        (i) =>
          `<text x="${X(i).toFixed(1)}" y="${H - PAD.b + 16}" font-size="11" text-anchor="middle">#${i + 1}</text>`,
      ),
    `<text x="${(PAD.l + W - PAD.r) / 2}" y="${H - 4}" font-size="11" text-anchor="middle">run (oldest → newest)</text>`,
  ].join('');
}

/**
 * A figure over the runs: one x position per run (a run without the figure leaves a gap), each
 * regression ringed in red. data-points: the values drawn; data-regressions: the rings.
 */
function figureChart(g: HistoryGroup, gi: number, key: HistoryFigureKey, label: string): string {
  const axis = AXIS[key];
  const values = g.runs.map((run) => (run.figures[key] === null ? null : axis.scale(run.figures[key])));
  const shown = values.filter((v): v is number => v !== null);
  if (!shown.length) return `<p class="muted">${esc(label)}: not measured in any run.</p>`;
  let [y0, y1] = [Math.min(...shown), Math.max(...shown)];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const n = g.runs.length;
  const X = (i: number) => (n === 1 ? (PAD.l + W - PAD.r) / 2 : PAD.l + (i / (n - 1)) * (W - PAD.l - PAD.r));
  const Y = (v: number) => H - PAD.b - ((v - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  const points = values.map((v, i) => (v === null ? null : { x: X(i), y: Y(v), i }));
  const lines = segments(points).map(
    (p) => `<polyline fill="none" stroke="${COLOR[key]}" stroke-width="1.8" points="${p}"/>`,
  );
  const dots = points.flatMap((p) => {
    if (!p) return [];
    const c = changeOf(g, p.i, key);
    const tip = `#${p.i + 1}: ${figureText(key, g.runs[p.i].figures[key])}${c ? ` (${changeText(c)})` : ''}`;
    const ring = c?.regressed
      ? `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="7" fill="none" stroke="${REGRESSED}" stroke-width="2.2" data-regression="${key}"/>`
      : '';
    return [
      `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3.5" fill="${COLOR[key]}"><title>${esc(tip)}</title></circle>${ring}`,
    ];
  });
  const rings = g.changes.flat().filter((c) => c.key === key && c.regressed).length;
  const legend = rings
    ? `<circle cx="${W - PAD.r - 76}" cy="12" r="5" fill="none" stroke="${REGRESSED}" stroke-width="2"/><text x="${W - PAD.r}" y="16" font-size="11" text-anchor="end" fill="${REGRESSED}">regression</text>`
    : '';
  return `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}" data-chart="history-${gi}-${key}" data-points="${shown.length}" data-regressions="${rings}">
<text x="${PAD.l}" y="16" font-size="13" font-weight="bold">${esc(label)}</text><text transform="translate(12 ${(PAD.t + H - PAD.b) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(axis.label)}</text>
${runAxes(n, X, Y, [y0, y1])}${lines.join('')}${dots.join('')}${legend}</svg></figure>`;
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
      `<span style="white-space:nowrap">${esc(startedText(run.startedAt))}</span>`,
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
