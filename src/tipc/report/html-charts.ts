// Inline SVG charts for report.html: no script, no network, scaled by their viewBox (they shrink with
// the page). Each chart carries data-chart (its name) and data-points (how many values it draws), so a
// test — or a reader of the markup — can tell an empty chart from a drawn one.

export function esc(s: unknown): string {
  return String(s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A number for a label: 4 significant digits, no exponent for the magnitudes a report shows. */
export function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a === 0) return '0';
  if (a < 1e-4) return n.toExponential(1);
  return String(Number(n.toPrecision(4)));
}

/** Bytes in decimal units (1 kB = 1000 B, 1 MB = 10⁶ B). */
export function bytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(2)} MB`;
}

/** About five round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, want = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / want;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

export interface Series {
  name: string;
  color: string;
  points: { x: number; y: number }[];
  /** Draw markers only (e.g. one validation point per epoch). */
  markers?: boolean;
}

const W = 640;
const PAD = { l: 56, r: 16, t: 28, b: 36 };

function frame(name: string, title: string, h: number, points: number, body: string): string {
  return `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(title)}" data-chart="${esc(name)}" data-points="${points}">
<text x="${PAD.l}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>
${body}</svg></figure>`;
}

/** Lines (or markers) over a numeric x axis, each chart with its own labelled y axis. */
export function lineChart(
  name: string,
  title: string,
  series: Series[],
  o: { xLabel: string; yLabel: string; h?: number; yMin?: number; yMax?: number },
): string {
  const pts = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (!pts.length) return '';
  const h = o.h ?? 240;
  let [x0, x1] = [Math.min(...pts.map((p) => p.x)), Math.max(...pts.map((p) => p.x))];
  let [y0, y1] = [o.yMin ?? Math.min(...pts.map((p) => p.y)), o.yMax ?? Math.max(...pts.map((p) => p.y))];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  if (y0 === y1) [y0, y1] = [y0 - Math.abs(y0 || 1) * 0.1, y1 + Math.abs(y1 || 1) * 0.1];
  const X = (x: number) => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const Y = (y: number) => h - PAD.b - ((y - y0) / (y1 - y0)) * (h - PAD.t - PAD.b);
  const axes = [
    `<line x1="${PAD.l}" y1="${h - PAD.b}" x2="${W - PAD.r}" y2="${h - PAD.b}" stroke="#888"/>`,
    `<line x1="${PAD.l}" y1="${PAD.t}" x2="${PAD.l}" y2="${h - PAD.b}" stroke="#888"/>`,
    ...ticks(y0, y1).map(
      (t) =>
        `<line x1="${PAD.l - 4}" y1="${Y(t).toFixed(1)}" x2="${W - PAD.r}" y2="${Y(t).toFixed(1)}" stroke="#eee"/><text x="${PAD.l - 6}" y="${(Y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end">${num(t)}</text>`,
    ),
    ...ticks(x0, x1).map(
      (t) => `<text x="${X(t).toFixed(1)}" y="${h - PAD.b + 16}" font-size="11" text-anchor="middle">${num(t)}</text>`,
    ),
    `<text x="${(PAD.l + W - PAD.r) / 2}" y="${h - 4}" font-size="11" text-anchor="middle">${esc(o.xLabel)}</text>`,
    `<text transform="translate(12 ${(PAD.t + h - PAD.b) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(o.yLabel)}</text>`,
  ].join('');
  const drawn = series
    .map((s, k) => {
      const p = s.points.filter((q) => Number.isFinite(q.x) && Number.isFinite(q.y));
      const legend = `<text x="${W - PAD.r}" y="${16 + 14 * k}" font-size="11" text-anchor="end" fill="${s.color}">${esc(s.name)}</text>`;
      const marks = p
        .map((q) => `<circle cx="${X(q.x).toFixed(1)}" cy="${Y(q.y).toFixed(1)}" r="3.5" fill="${s.color}"/>`)
        .join('');
      const line = s.markers
        ? ''
        : `<polyline fill="none" stroke="${s.color}" stroke-width="1.6" points="${p.map((q) => `${X(q.x).toFixed(1)},${Y(q.y).toFixed(1)}`).join(' ')}"/>`;
      return line + (s.markers || p.length < 30 ? marks : '') + legend;
    })
    .join('');
  return frame(name, title, h, pts.length, axes + drawn);
}

export interface Bar {
  label: string;
  value: number;
  color?: string;
  /** Text after the bar (default: the value). */
  text?: string;
}

/** Horizontal bars, labels above each bar (so long names never clip), an optional budget line. */
export function barChart(
  name: string,
  title: string,
  bars: Bar[],
  o: { limit?: number | null; limitText?: string } = {},
): string {
  if (!bars.length) return '';
  const row = 34;
  const h = PAD.t + row * bars.length + (o.limit != null ? 24 : 8);
  const max = Math.max(...bars.map((b) => b.value), o.limit ?? 0) || 1;
  const L = 8;
  const R = W - 110;
  const X = (v: number) => L + (v / max) * (R - L);
  const rows = bars
    .map((b, i) => {
      const y = PAD.t + i * row;
      return `<text x="${L}" y="${y + 10}" font-size="11">${esc(b.label)}</text><rect x="${L}" y="${y + 14}" width="${Math.max(1, X(b.value) - L).toFixed(1)}" height="14" fill="${b.color ?? '#4a7bd0'}"/><text x="${(X(b.value) + 6).toFixed(1)}" y="${y + 25}" font-size="11">${esc(b.text ?? num(b.value))}</text>`;
    })
    .join('');
  const lim =
    o.limit != null
      ? `<line x1="${X(o.limit).toFixed(1)}" y1="${PAD.t}" x2="${X(o.limit).toFixed(1)}" y2="${h - 18}" stroke="#c33" stroke-dasharray="4 3"/><text x="${Math.min(X(o.limit), R).toFixed(1)}" y="${h - 4}" font-size="11" fill="#c33" text-anchor="middle">${esc(o.limitText ?? `budget ${num(o.limit)}`)}</text>`
      : '';
  return frame(name, title, h, bars.length, rows + lim);
}

/** Counts in equal-width bins over [lo, hi] as columns, with the p50/p90/p99 marked. */
export function histogramChart(
  name: string,
  title: string,
  hist: { lo: number; hi: number; counts: number[] },
  marks: { label: string; value: number; color: string }[],
  unit: string,
): string {
  const total = hist.counts.reduce((a, b) => a + b, 0);
  if (!total) return '';
  const h = 200;
  const n = hist.counts.length;
  const width = hist.hi - hist.lo || 1;
  const X = (v: number) => PAD.l + ((v - hist.lo) / width) * (W - PAD.l - PAD.r);
  const maxC = Math.max(...hist.counts);
  const Y = (c: number) => h - PAD.b - (c / maxC) * (h - PAD.t - PAD.b);
  const colW = (W - PAD.l - PAD.r) / n;
  const cols = hist.counts
    .map(
      (c, i) =>
        `<rect x="${(PAD.l + i * colW + 1).toFixed(1)}" y="${Y(c).toFixed(1)}" width="${Math.max(1, colW - 2).toFixed(1)}" height="${(h - PAD.b - Y(c)).toFixed(1)}" fill="#7a9fd8"><title>${c}</title></rect>`,
    )
    .join('');
  const lines = marks
    .filter((m) => m.value >= hist.lo && m.value <= hist.hi)
    .map(
      (m, k) =>
        `<line x1="${X(m.value).toFixed(1)}" y1="${PAD.t}" x2="${X(m.value).toFixed(1)}" y2="${h - PAD.b}" stroke="${m.color}" stroke-dasharray="3 2"/><text x="${W - PAD.r}" y="${16 + 14 * k}" font-size="11" text-anchor="end" fill="${m.color}">${esc(`${m.label} ${num(m.value)} ${unit}`)}</text>`,
    )
    .join('');
  const axis = `<line x1="${PAD.l}" y1="${h - PAD.b}" x2="${W - PAD.r}" y2="${h - PAD.b}" stroke="#888"/>${ticks(
    hist.lo,
    hist.hi,
  )
    .map(
      (t) => `<text x="${X(t).toFixed(1)}" y="${h - PAD.b + 16}" font-size="11" text-anchor="middle">${num(t)}</text>`,
    )
    .join(
      '',
    )}<text x="${(PAD.l + W - PAD.r) / 2}" y="${h - 4}" font-size="11" text-anchor="middle">${esc(unit)} per batch (${total} batches)</text><text x="${PAD.l - 6}" y="${PAD.t + 8}" font-size="11" text-anchor="end">${maxC}</text>`;
  return frame(name, title, h, total, cols + lines + axis);
}
