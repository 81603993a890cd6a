// The top of report.html: the verdict line (PASS/FAIL, gates passed / failed / not set) and one card
// per headline figure (headline.ts): the exported model's size against its budget, its top-1 against
// the minimum, its latency against CTRGCN's (the ratio interval) and the quantised exports' agreement
// with fp32. Each card shows the value, the budget, the gate's result and a small inline SVG scale with
// the budget line. A figure the report has no gate for is "not measured", with no number.
import type { Gate } from '../gates/index.js';
import { bytes, esc, num } from './html-charts.js';
import { headlineFigures, latencyRatio, type Headline, type LatencyRatio } from './headline.js';
import type { Report } from './report.js';

export const STATUS_COLOR = (s: string) =>
  s === 'pass' ? '#1a7f4b' : s === 'skipped' || s === 'not-set' || s === 'not-measured' ? '#666' : '#c0262d';

const STATUS_TEXT: Record<Headline['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  'not-set': 'NOT SET',
  'not-measured': 'NOT MEASURED',
};

/** One row of a card's scale: a bar from the scale's start, or an interval with its point. */
interface Mark {
  label: string;
  value: number;
  lo?: number;
  hi?: number;
}

interface Scale {
  domain: [number, number];
  /** The budget (maximum or minimum) the marks are drawn against; null: none set. */
  budget: number | null;
  /** A grey line (e.g. 1× = as fast as the reference). */
  guide?: { value: number; label: string };
}

const SW = 240;
const ROW = 14;

/** A small SVG: one row per mark, the budget as a dashed line over all rows, labelled below. */
function scaleSvg(key: string, status: string, marks: Mark[], s: Scale): string {
  const [d0, d1] = s.domain;
  const X = (v: number) => 4 + ((Math.min(Math.max(v, d0), d1) - d0) / (d1 - d0 || 1)) * (SW - 8);
  const h = 4 + ROW * Math.max(1, marks.length) + 14;
  const color = STATUS_COLOR(status);
  const rows = marks.map((m, i) => {
    const y = 4 + i * ROW;
    if (m.lo === undefined || m.hi === undefined)
      return `<rect x="${X(d0).toFixed(1)}" y="${y + 2}" width="${Math.max(1, X(m.value) - X(d0)).toFixed(1)}" height="${ROW - 4}" fill="${color}"><title>${esc(m.label)}</title></rect>`;
    const [a, b, c] = [X(m.lo), X(m.value), X(m.hi)].map((v) => v.toFixed(1));
    const mid = y + ROW / 2;
    return `<g stroke="${color}" stroke-width="2"><line x1="${a}" y1="${mid}" x2="${c}" y2="${mid}"/><line x1="${a}" y1="${y + 2}" x2="${a}" y2="${y + ROW - 2}"/><line x1="${c}" y1="${y + 2}" x2="${c}" y2="${y + ROW - 2}"/></g><circle cx="${b}" cy="${mid}" r="3.5" fill="${color}"><title>${esc(m.label)}</title></circle>`;
  });
  const line = (v: number, stroke: string, label: string, anchor: string) =>
    `<line x1="${X(v).toFixed(1)}" y1="2" x2="${X(v).toFixed(1)}" y2="${h - 13}" stroke="${stroke}" stroke-dasharray="3 2"/><text x="${X(v).toFixed(1)}" y="${h - 2}" font-size="10" fill="${stroke}" text-anchor="${anchor}">${esc(label)}</text>`;
  const anchorOf = (v: number) => (X(v) > SW - 40 ? 'end' : X(v) < 40 ? 'start' : 'middle');
  const guide = s.guide ? line(s.guide.value, '#999', s.guide.label, anchorOf(s.guide.value)) : '';
  const budget = s.budget !== null ? line(s.budget, '#333', 'budget', anchorOf(s.budget)) : '';
  return `<svg class="scale" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${SW} ${h}" role="img" aria-label="${esc(`${key} against its budget`)}" data-card-chart="${esc(key)}" data-marks="${marks.length}"><line x1="4" y1="${h - 13}" x2="${SW - 4}" y2="${h - 13}" stroke="#ccc"/>${rows.join('')}${guide}${budget}</svg>`;
}

const numeric = (v: Gate['value'] | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
/** A share of a budget: `39.2 %`, `< 0.1 %` for a sliver. */
const share = (x: number) => (x > 0 && x < 0.001 ? '< 0.1 %' : pct(x));
/** `agreement[int8]@u` → `int8`. */
const precisionOf = (g: Gate) => /\[([^\]]+)\]/.exec(g.name)?.[1] ?? g.name;

/** What a card shows besides its status. */
interface CardBody {
  value: string;
  budget: string;
  /** A line under the value (the interval, the other precisions). */
  note?: string;
  svg: string;
}

function sizeCard(h: Headline): CardBody {
  const v = numeric(h.gate?.value);
  const t = numeric(h.gate?.threshold);
  const mib = t !== null && t % 2 ** 20 === 0 ? ` (${t / 2 ** 20} MiB)` : '';
  const top = Math.max(v ?? 0, t ?? 0) * 1.1 || 1;
  return {
    value: v !== null ? bytes(v) : '–',
    budget: t !== null ? `budget ≤ ${bytes(t)}${mib}` : 'no size budget set',
    note: v !== null && t !== null ? `${share(v / t)} of the budget` : undefined,
    svg: scaleSvg('size', h.status, v !== null ? [{ label: bytes(v), value: v }] : [], { domain: [0, top], budget: t }),
  };
}

function top1Card(h: Headline): CardBody {
  const v = numeric(h.gate?.value);
  const t = numeric(h.gate?.threshold);
  return {
    value: v !== null ? pct(v) : '–',
    budget: t !== null ? `minimum ≥ ${pct(t)}` : 'no minimum set',
    note: 'fp32 export, top-1',
    svg: scaleSvg('top1', h.status, v !== null ? [{ label: pct(v), value: v }] : [], { domain: [0, 1], budget: t }),
  };
}

function latencyCard(h: Headline, q: LatencyRatio | undefined): CardBody {
  const v = numeric(h.gate?.value);
  const t = numeric(h.gate?.threshold);
  const hi = q?.hi ?? v;
  const top = Math.max(hi ?? 0, t ?? 0, 1) * 1.15;
  const marks: Mark[] = q
    ? [{ label: `${num(q.point)}× [${num(q.lo)}, ${num(q.hi)}]`, value: q.point, lo: q.lo, hi: q.hi }]
    : v !== null
      ? [{ label: `${num(v)}×`, value: v }]
      : [];
  return {
    value: v !== null ? `${num(v)}×` : '–',
    budget: t !== null ? `budget ≤ ${num(t)}× CTRGCN` : 'no latency budget set',
    note: q
      ? `p50 ${num(q.model.p50)} ms vs ${num(q.reference.p50)} ms: ratio ${num(q.point)}, interval ${num(q.lo)}–${num(q.hi)}`
      : v !== null
        ? 'model p50 upper bound ÷ reference p50 lower bound'
        : undefined,
    svg: scaleSvg('latency', h.status, marks, { domain: [0, top], budget: t, guide: { value: 1, label: '1×' } }),
  };
}

function agreementCard(h: Headline): CardBody {
  const t = numeric(h.gate?.threshold);
  const measured = h.gates.filter((g) => numeric(g.value) !== null);
  const values = measured.map((g) => numeric(g.value)!);
  const low = Math.min(1, t ?? 1, ...values);
  const start = Math.max(0, low - Math.max((1 - low) * 0.5, 0.01));
  const v = numeric(h.gate?.value);
  return {
    value: v !== null ? pct(v) : '–',
    budget: t !== null ? `threshold ≥ ${pct(t)}` : 'no threshold set',
    note: measured.length
      ? `lowest of ${measured.map((g) => `${precisionOf(g)} ${pct(numeric(g.value)!)}`).join(' · ')}`
      : undefined,
    svg: scaleSvg(
      'agreement',
      h.status,
      measured.map((g) => ({ label: `${precisionOf(g)} ${pct(numeric(g.value)!)}`, value: numeric(g.value)! })),
      { domain: [start, 1], budget: t },
    ),
  };
}

/** One card: not measured (no gate), or the gate's value against its budget. */
function card(h: Headline, r: Pick<Report, 'measurements'>): string {
  const head = `<h3>${esc(h.label)}</h3>`;
  const status = `<p class="res" style="color:${STATUS_COLOR(h.status)}">${STATUS_TEXT[h.status]}</p>`;
  const attrs = `class="card" data-card="${h.key}" data-status="${h.status}" style="border-top-color:${STATUS_COLOR(h.status)}"`;
  if (!h.gate)
    return `<article ${attrs}>${head}<p class="val muted">not measured</p><p class="budget muted">no gate for it in this report</p>${status}</article>`;
  const body =
    h.key === 'size'
      ? sizeCard(h)
      : h.key === 'top1'
        ? top1Card(h)
        : h.key === 'latency'
          ? latencyCard(h, latencyRatio(r, h.gate))
          : agreementCard(h);
  // Over several units (save dirs) the card shows the worst one: name it.
  const which = h.gate.name.includes('@') ? ` <span class="muted">${esc(h.gate.name.replace(/^.*@/, '@'))}</span>` : '';
  return `<article ${attrs} title="${esc(h.gate.detail ?? '')}">${head}<p class="val">${body.value}${which}</p><p class="budget">${esc(body.budget)}</p>${body.note ? `<p class="note muted">${esc(body.note)}</p>` : ''}${status}${body.svg}</article>`;
}

/** The headline cards, in headline order. */
export function headlineCards(r: Pick<Report, 'gates' | 'measurements'>): string {
  return `<section class="cards" aria-label="headline figures">${headlineFigures(r)
    .map((h) => card(h, r))
    .join('')}</section>`;
}

/** PASS / FAIL with the gates passed / failed / not set and the steps' counts. */
export function verdictLine(r: Report): string {
  const S = r.summary;
  const stopped = r.interrupted ? ` <span class="muted">(interrupted by ${esc(r.interrupted.signal)})</span>` : '';
  const warn =
    r.allowNotSet && S.gatesNotSet ? ' <span class="muted">(--allow-not-set: not-set gates warn)</span>' : '';
  return `<p class="verdict" data-verdict="${r.status}"><b style="color:${STATUS_COLOR(r.status)}">${r.status.toUpperCase()}</b>${stopped} <span>gates: ${S.gatesPassed} passed, ${S.gatesFailed} failed, ${S.gatesNotSet} not set</span>${warn} <span class="muted">· steps: ${S.pass} passed, ${S.fail} failed, ${S.timeout} timed out, ${S.skipped} skipped</span></p>`;
}
