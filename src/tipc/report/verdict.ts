// The lines a terminal summary starts with: the verdict (PASS/FAIL and the step and gate counts) and
// the headline figures (headline.ts: exported size against its budget, exported top-1, latency against
// CTRGCN, quantised agreement), one line each with its status, so a reader sees the outcome before
// any table. Colour (the verdict and status words only) when the caller's colour policy allows it.
import { paint, SGR } from '../../util/color.js';
import type { Gate } from '../gates/index.js';
import { headlineFigures, type Headline, type HeadlineKey } from './headline.js';
import type { Report } from './report.js';
import { countsLine } from './shared.js';
import { wrapText } from './text-wrap.js';

export interface VerdictOptions {
  /** Columns available; undefined = no wrapping. */
  width?: number;
  /** Colour codes around the verdict and status words. */
  color?: boolean;
}

const STATUS_COLOR: Record<Headline['status'], number | string> = {
  pass: SGR.green,
  fail: SGR.red,
  'not-set': SGR.yellow,
  'not-measured': SGR.dim,
};

const MIB = 1024 * 1024;

function bytes(v: number): string {
  if (v >= MIB) return `${(v / MIB).toFixed(2)} MiB`;
  return v >= 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${v} B`;
}

const percent = (v: number) => `${(v * 100).toFixed(2)} %`;
const times = (v: number) => `${Number(v.toPrecision(3))}×`;

/** How each figure shows its value and its threshold (numbers only; anything else is shown as is). */
const SHOW: Record<HeadlineKey, { value: (v: number) => string; threshold: (t: number) => string }> = {
  size: { value: bytes, threshold: (t) => `budget ${bytes(t)}` },
  top1: { value: percent, threshold: (t) => `minimum ${percent(t)}` },
  latency: { value: (v) => `${times(v)} CTRGCN's p50 (upper bound)`, threshold: (t) => `at most ${times(t)}` },
  agreement: { value: (v) => `${percent(v)} of samples agree`, threshold: (t) => `minimum ${percent(t)}` },
};

const finite = (x: Gate['value']): x is number => typeof x === 'number' && Number.isFinite(x);

/** `2.13 MiB, budget 10.00 MiB (gate size@a, worst of 2)`; `not measured` without a gate. */
export function figureText(h: Headline): string {
  const g = h.gate;
  if (!g) return 'not measured';
  const show = SHOW[h.key];
  const value = g.value === null ? 'nothing measured' : finite(g.value) ? show.value(g.value) : String(g.value);
  const threshold =
    g.threshold === null ? 'no threshold' : finite(g.threshold) ? show.threshold(g.threshold) : String(g.threshold);
  const which = h.gates.length > 1 ? `gate ${g.name}, worst of ${h.gates.length}` : `gate ${g.name}`;
  return `${value}, ${threshold} (${which})`;
}

/** `TIPC <model> <mode>: PASS  (7 passed, …; gates 6/6)`, the verdict word coloured when asked. */
export function verdictLine(r: Report, o: VerdictOptions = {}): string {
  const word = r.status.toUpperCase();
  const text = `TIPC ${r.model} ${r.mode}: ${word}${r.allowNotSet ? ' (--allow-not-set)' : ''}  (${countsLine(r)})`;
  const wrapped = o.width === undefined ? text : wrapText(text, o.width);
  const code = `${SGR.bold};${r.status === 'pass' ? SGR.green : SGR.red}`;
  return wrapped.replace(`: ${word}`, `: ${paint(word, code, !!o.color)}`);
}

/** One headline figure: label, status and figure in columns; a long figure wraps under itself. */
function figureLine(h: Headline, labelWidth: number, o: VerdictOptions): string {
  const word = h.status.toUpperCase();
  const statusWidth = 'NOT-MEASURED'.length;
  const lead = `  ${h.label.padEnd(labelWidth)}  `;
  const indent = lead.length + statusWidth + 2;
  const text = figureText(h);
  const room = o.width === undefined ? Infinity : Math.max(10, o.width - indent);
  const [first, ...rest] = (room === Infinity ? text : wrapText(text, room)).split('\n');
  const status = paint(word, STATUS_COLOR[h.status], !!o.color) + ' '.repeat(statusWidth - word.length);
  return [`${lead}${status}  ${first}`, ...rest.map((l) => ' '.repeat(indent) + l)].join('\n');
}

/** The verdict line, then the four headline figures: the start of every terminal summary. */
export function verdictLines(r: Report, o: VerdictOptions = {}): string {
  const figures = headlineFigures(r);
  const labelWidth = Math.max(...figures.map((h) => h.label.length));
  return [verdictLine(r, o), ...figures.map((h) => figureLine(h, labelWidth, o))].join('\n') + '\n';
}
