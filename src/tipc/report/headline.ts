// The four figures a reviewer looks for first, read from a report's gates: the exported model's size
// against its budget, the exported model's top-1 against its minimum, its latency against CTRGCN's, and
// the quantised exports' agreement with fp32. Every writer that leads with a verdict (terminal, HTML,
// Markdown) shows these; a figure whose gate is absent is `not-measured`, never a made-up number.
import path from 'node:path';
import type { LatencyMeasure } from '../evidence/index.js';
import type { Gate, GateStatus } from '../gates/index.js';
import type { Report } from './report.js';

export type HeadlineKey = 'size' | 'top1' | 'latency' | 'agreement';

export interface Headline {
  key: HeadlineKey;
  label: string;
  status: GateStatus | 'not-measured';
  /** The gate the figure comes from (the worst one where several units or precisions have it). */
  gate?: Gate;
  /** The gates it summarises (all units / precisions), worst first. */
  gates: Gate[];
}

interface HeadlineRule {
  key: HeadlineKey;
  label: string;
  /** The gate names this figure summarises (a chain with several save dirs suffixes them `@unit`). */
  matches: (base: string) => boolean;
  /** Which of two values is worse for this figure. */
  worse: 'higher' | 'lower';
}

const RULES: readonly HeadlineRule[] = [
  { key: 'size', label: 'exported model size', matches: (b) => b === 'size', worse: 'higher' },
  { key: 'top1', label: 'exported model top-1', matches: (b) => b === 'accuracy', worse: 'lower' },
  { key: 'latency', label: 'latency vs CTRGCN', matches: (b) => b === 'latency', worse: 'higher' },
  {
    key: 'agreement',
    label: 'quantised agreement with fp32',
    matches: (b) => b === 'agreement[fp16]' || b === 'agreement[int8]',
    worse: 'lower',
  },
];

/** `size@unit` → `size`. */
const baseName = (name: string) => name.replace(/@.*$/, '');

const RANK: Record<GateStatus, number> = { fail: 0, 'not-set': 1, pass: 2 };

/** Worst first: a failed gate, then not-set, then the worst value for the figure. */
function worstFirst(gates: Gate[], worse: HeadlineRule['worse']): Gate[] {
  const value = (g: Gate) => (typeof g.value === 'number' && Number.isFinite(g.value) ? g.value : null);
  return [...gates].sort((a, b) => {
    if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] - RANK[b.status];
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === null ? (vb === null ? 0 : -1) : 1;
    return worse === 'higher' ? vb - va : va - vb;
  });
}

/** The headline figures of a report, in display order. */
export function headlineFigures(r: Pick<Report, 'gates'>): Headline[] {
  return RULES.map((rule) => {
    const gates = worstFirst(
      r.gates.filter((g) => rule.matches(baseName(g.name))),
      rule.worse,
    );
    const gate = gates[0];
    return { key: rule.key, label: rule.label, status: gate ? gate.status : 'not-measured', gate, gates };
  });
}

/** The latency figure's ratio interval: model p50 ÷ reference p50, its bounds from the two p50 intervals. */
export interface LatencyRatio {
  /** Model p50 lower bound ÷ reference p50 upper bound. */
  lo: number;
  /** Model p50 ÷ reference p50. */
  point: number;
  /** Model p50 upper bound ÷ reference p50 lower bound (the bound the latency gate judges). */
  hi: number;
  model: LatencyMeasure;
  reference: LatencyMeasure;
}

/**
 * The interval behind a latency gate (`latency`, or `latency@<unit>` over several units), from the CPU
 * benchmarks of the model and the reference; undefined when either is missing or not a real timing.
 */
export function latencyRatio(r: Pick<Report, 'measurements'>, gate: Pick<Gate, 'name'>): LatencyRatio | undefined {
  const unit = /@(.+)$/.exec(gate.name)?.[1];
  const cpu = r.measurements.latency.filter((l) => l.device === 'cpu');
  const model = cpu.find((l) => l.target === 'trained' && (!unit || path.posix.basename(l.unit) === unit));
  const reference = cpu.find((l) => l.target === 'reference');
  if (!model || !reference) return undefined;
  const lo = model.p50Ci[0] / reference.p50Ci[1];
  const point = model.p50 / reference.p50;
  const hi = model.p50Ci[1] / reference.p50Ci[0];
  const real = [lo, point, hi].every((x) => Number.isFinite(x) && x > 0);
  return real ? { lo, point, hi, model, reference } : undefined;
}
