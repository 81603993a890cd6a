// A trade-off scatter chart as inline SVG (no script, no network; it scales with its viewBox): accuracy
// up, cost (size, latency) right, so a better variant sits up and to the left. One filled, labelled
// marker per measured variant (the baseline's a distinct diamond), the measured Pareto front as a step
// line through exactly its non-dominated points, published figures as hollow markers that never join the
// front. A variant without both figures is named under the chart, not drawn at 0.
//
// Markup hooks for tests and readers: the <svg> carries data-chart and data-points (measured points
// drawn); each marker data-kind (measured | published) and data-variant; the front data-front (its
// variants in x order) and its vertices alternate point, corner, point, …
import { esc, num, ticks } from '../report/index.js';
import { isMeasured, paretoFront, type MeasuredPoint, type TradePoint } from './pareto.js';

export interface TradeoffChart {
  name: string;
  title: string;
  xLabel: string;
  yLabel: string;
  measured: TradePoint[];
  /** The key of the baseline among `measured` (drawn as a diamond). */
  baseline?: string;
  /** Published figures: hollow markers, their own legend entry, never on the front. */
  published?: TradePoint[];
  publishedLegend?: string;
  /** A vertical reference line (e.g. ratio 1 = the baseline's latency). */
  refX?: { value: number; label: string };
  /** Tick text of each axis (default: 4 significant digits). */
  xTick?: (v: number) => string;
  yTick?: (v: number) => string;
}

const W = 640;
const H = 340;
const PAD = { l: 56, r: 20, t: 58, b: 40 };
/** Legend rows sit between the title and the plot. */
const LEGEND_Y = [32, 47];
const COLOR = { measured: '#2a6fd0', baseline: '#c60', published: '#777', front: '#2a7' };
const CHAR_W = 6;
const LABEL_H = 12;

interface Scale {
  X: (x: number) => number;
  Y: (y: number) => number;
  x: [number, number];
  y: [number, number];
}

const fx = (v: number) => v.toFixed(1);

/** Bounds of the values with a margin, so no marker sits on an axis. */
function padded(values: number[]): [number, number] {
  let [lo, hi] = [Math.min(...values), Math.max(...values)];
  const span = hi - lo || Math.abs(hi) * 0.1 || 1;
  [lo, hi] = [lo - span * 0.12, hi + span * 0.12];
  return [lo, hi];
}

function scaleOf(points: MeasuredPoint[], refX?: number): Scale {
  const x = padded([...points.map((p) => p.x), ...(refX === undefined ? [] : [refX])]);
  const y = padded(points.map((p) => p.y));
  return {
    x,
    y,
    X: (v) => PAD.l + ((v - x[0]) / (x[1] - x[0])) * (W - PAD.l - PAD.r),
    Y: (v) => H - PAD.b - ((v - y[0]) / (y[1] - y[0])) * (H - PAD.t - PAD.b),
  };
}

function axes(c: TradeoffChart, s: Scale): string {
  const xt = c.xTick ?? num;
  const yt = c.yTick ?? num;
  const bottom = H - PAD.b;
  return [
    `<line x1="${PAD.l}" y1="${bottom}" x2="${W - PAD.r}" y2="${bottom}" stroke="#888"/>`,
    `<line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${bottom}" stroke="#888"/>`,
    ...ticks(s.y[0], s.y[1]).map(
      (t) =>
        `<line x1="${PAD.l - 4}" y1="${fx(s.Y(t))}" x2="${W - PAD.r}" y2="${fx(s.Y(t))}" stroke="#eee"/><text x="${PAD.l - 6}" y="${fx(s.Y(t) + 4)}" font-size="11" text-anchor="end">${esc(yt(t))}</text>`,
    ),
    ...ticks(s.x[0], s.x[1]).map(
      (t) =>
        `<line x1="${fx(s.X(t))}" y1="${bottom}" x2="${fx(s.X(t))}" y2="${bottom + 4}" stroke="#888"/><text x="${fx(s.X(t))}" y="${bottom + 16}" font-size="11" text-anchor="middle">${esc(xt(t))}</text>`,
    ),
    `<text x="${(PAD.l + W - PAD.r) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${esc(c.xLabel)}</text>`,
    `<text transform="translate(12 ${(PAD.t + bottom) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(c.yLabel)}</text>`,
  ].join('');
}

function refLine(c: TradeoffChart, s: Scale): string {
  if (!c.refX) return '';
  const x = fx(s.X(c.refX.value));
  return `<line x1="${x}" y1="${PAD.t}" x2="${x}" y2="${H - PAD.b}" stroke="${COLOR.baseline}" stroke-dasharray="2 3"/><text x="${x}" y="${PAD.t - 2}" font-size="10" text-anchor="middle" fill="${COLOR.baseline}">${esc(c.refX.label)}</text>`;
}

/** The front as a staircase: from each point right to the next one's x, then up to it. */
function frontLine(front: MeasuredPoint[], s: Scale): string {
  if (!front.length) return '';
  const vertices: string[] = [];
  front.forEach((p, i) => {
    if (i > 0) vertices.push(`${fx(s.X(p.x))},${fx(s.Y(front[i - 1].y))}`);
    vertices.push(`${fx(s.X(p.x))},${fx(s.Y(p.y))}`);
  });
  // a ring round each point on the front, so a front of one point shows too
  const rings = front
    .map(
      (p) =>
        `<circle cx="${fx(s.X(p.x))}" cy="${fx(s.Y(p.y))}" r="9" fill="none" stroke="${COLOR.front}" stroke-width="1.5"/>`,
    )
    .join('');
  return `<polyline class="front" fill="none" stroke="${COLOR.front}" stroke-width="2" stroke-dasharray="6 3" points="${vertices.join(' ')}" data-front="${esc(front.map((p) => p.key).join(' '))}"/>${rings}`;
}

function marker(p: MeasuredPoint, kind: 'measured' | 'published', baseline: boolean, s: Scale): string {
  const [x, y] = [s.X(p.x), s.Y(p.y)];
  const data = `data-kind="${kind}" data-variant="${esc(p.key)}"${baseline ? ' data-baseline="true"' : ''}`;
  const tip = `<title>${esc(`${p.key}${kind === 'published' ? ' (published)' : ''}: ${num(p.x)}, ${num(p.y)}`)}</title>`;
  if (kind === 'published')
    return `<circle cx="${fx(x)}" cy="${fx(y)}" r="5" fill="none" stroke="${COLOR.published}" stroke-width="1.6" ${data}>${tip}</circle>`;
  if (baseline)
    return `<path d="M${fx(x)},${fx(y - 7)}L${fx(x + 7)},${fx(y)}L${fx(x)},${fx(y + 7)}L${fx(x - 7)},${fx(y)}Z" fill="${COLOR.baseline}" ${data}>${tip}</path>`;
  return `<circle cx="${fx(x)}" cy="${fx(y)}" r="5" fill="${COLOR.measured}" ${data}>${tip}</circle>`;
}

interface Box {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * A label beside each marker: right of it, else left, nudged up or down until it covers no marker and no
 * label placed before it (the first place tried when every place is taken).
 */
function labels(items: { p: MeasuredPoint; color: string }[], s: Scale): string {
  const placed: Box[] = items.map(({ p }) => {
    const [x, y] = [s.X(p.x), s.Y(p.y)];
    return { x0: x - 6, x1: x + 6, y0: y - 6, y1: y + 6 };
  });
  return items
    .map(({ p, color }) => {
      const [x, y] = [s.X(p.x), s.Y(p.y)];
      const w = CHAR_W * p.key.length;
      const sides = [x + 8, x - 8 - w].filter((x0) => x0 >= PAD.l && x0 + w <= W - 2);
      const tries = [0, -LABEL_H, LABEL_H, -2 * LABEL_H, 2 * LABEL_H].flatMap((d) =>
        (sides.length ? sides : [x + 8]).map((x0) => ({ x0, x1: x0 + w, y0: y + d - 8, y1: y + d + 3 })),
      );
      const box = tries.find((t) => !placed.some((b) => overlaps(b, t))) ?? tries[0];
      placed.push(box);
      return `<text x="${fx(box.x0)}" y="${fx(box.y1)}" font-size="10" fill="${color}">${esc(p.key)}</text>`;
    })
    .join('');
}

function legend(c: TradeoffChart, hasPublished: boolean): string {
  const entries: { mark: string; text: string }[] = [
    { mark: `<circle cx="6" cy="-4" r="4.5" fill="${COLOR.measured}"/>`, text: 'measured here' },
  ];
  if (c.baseline)
    entries.push({
      mark: `<path d="M6,-10L12,-4L6,2L0,-4Z" fill="${COLOR.baseline}"/>`,
      text: `${c.baseline} (baseline, measured)`,
    });
  entries.push({
    mark: `<line x1="0" y1="-4" x2="14" y2="-4" stroke="${COLOR.front}" stroke-width="2" stroke-dasharray="6 3"/>`,
    text: 'Pareto front (measured, ringed)',
  });
  if (hasPublished)
    entries.push({
      mark: `<circle cx="6" cy="-4" r="4.5" fill="none" stroke="${COLOR.published}" stroke-width="1.6"/>`,
      text: c.publishedLegend ?? 'published',
    });
  let [x, row] = [PAD.l, 0];
  return entries
    .map(({ mark, text }) => {
      const width = 32 + 6.4 * text.length;
      if (x > PAD.l && x + width > W - PAD.r && row + 1 < LEGEND_Y.length) [x, row] = [PAD.l, row + 1];
      const g = `<g transform="translate(${x} ${LEGEND_Y[row]})" data-legend="${esc(text)}">${mark}<text x="18" y="0" font-size="11">${esc(text)}</text></g>`;
      x += width;
      return g;
    })
    .join('');
}

/** Names of the points left off the chart for a missing figure. */
function missingCaption(measured: TradePoint[], published: TradePoint[]): string {
  const missing = (what: string, ps: TradePoint[]) => {
    const keys = ps.filter((p) => !isMeasured(p)).map((p) => esc(p.key));
    return keys.length ? [`${what} (not drawn): ${keys.join(', ')}`] : [];
  };
  const lines = [...missing('Not measured', measured), ...missing('Not published', published)];
  return lines.length
    ? `<figcaption class="muted" style="font-size:13px;margin-top:4px" data-missing>${lines.join('<br>')}</figcaption>`
    : '';
}

/** The chart, or '' when no point has both figures. */
export function tradeoffChart(c: TradeoffChart): string {
  const measured = c.measured.filter(isMeasured);
  const published = (c.published ?? []).filter(isMeasured);
  const all = [...measured, ...published];
  if (!all.length) return '';
  const s = scaleOf(all, c.refX?.value);
  const baseline = measured.some((p) => p.key === c.baseline) ? c.baseline : undefined;
  const body = [
    `<text x="${PAD.l}" y="16" font-size="13" font-weight="bold">${esc(c.title)}</text>`,
    `<text x="${W - PAD.r}" y="16" font-size="11" fill="#777" text-anchor="end">better: up and to the left ↖</text>`,
    legend({ ...c, baseline }, published.length > 0),
    axes(c, s),
    refLine(c, s),
    frontLine(paretoFront(measured), s),
    ...published.map((p) => marker(p, 'published', false, s)),
    ...measured.map((p) => marker(p, 'measured', p.key === baseline, s)),
    labels(
      [
        ...measured.map((p) => ({ p, color: p.key === baseline ? COLOR.baseline : '#222' })),
        ...published.map((p) => ({ p, color: COLOR.published })),
      ],
      s,
    ),
  ].join('\n');
  return `<figure class="chart tradeoff"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(c.title)}" data-chart="${esc(c.name)}" data-points="${measured.length}">
${body}</svg>${missingCaption(c.measured, c.published ?? [])}</figure>`;
}
