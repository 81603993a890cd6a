// The four figures a reviewer looks for first, read from a report's gates: the exported model's size
// against its budget, the exported model's top-1 against its minimum, its latency against CTRGCN's, and
// the quantised exports' agreement with fp32. Every writer that leads with a verdict (terminal, HTML,
// Markdown) shows these; a figure whose gate is absent is `not-measured`, never a made-up number.
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
