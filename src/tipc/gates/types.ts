// What every gate shares: the result it gives (`Gate`), the evidence it judges (`Evidence`: the chain's
// step results, records and measurements) and the one verdict helper that turns a value and a threshold
// into pass / fail / not-set. A gate is a function `(evidence, config) → Gate[]` (gates.ts lists them).
//   pass    — a finite measurement met a finite threshold;
//   fail    — a measurement missed it, is not a number (NaN, ±Inf), or the step that measures it failed;
//   not-set — no threshold, or nothing to measure. Never a pass: it fails the run unless
//             `tipc run --allow-not-set` turns it into a warning (report.json `allowNotSet`).
import type { ChainConfig, GatesConfig } from '../params/index.js';
import type { Measurements } from '../evidence/index.js';
import type { StepResult } from '../plan/index.js';
import type { ChainData } from '../evidence/index.js';

export type GateStatus = 'pass' | 'fail' | 'not-set';

/** One item compared with a `--baseline` report (regression.ts computes them). */
export interface Delta {
  metric: 'size' | 'accuracy' | 'latency';
  /** What is compared, e.g. `fp32@norm_train_gpus_-1_autocast_null_nodes_1`. */
  key: string;
  baseline: number | null;
  current: number | null;
  /** current − baseline (relative for size and latency, absolute for accuracy). */
  change: number | null;
  status: GateStatus;
  note?: string;
}

export interface Gate {
  name: string;
  status: GateStatus;
  value: number | string | null;
  threshold: number | string | null;
  unit: string;
  detail?: string;
}

export interface Artifact {
  path: string;
  bytes: number;
}

export interface StepMetrics {
  latency?: {
    inferenceMs?: number;
    p50?: number;
    p90?: number;
    p50Ci?: [number, number];
    p90Ci?: [number, number];
    batches?: number;
    source: 'records' | 'paddlevideo-log';
  };
  top1?: { class: number; score: number };
  eval?: { top1: number; top5: number };
}

/** Everything a gate may look at; gates never read files except through these (and `cwd`). */
export interface Evidence {
  results: readonly StepResult[];
  data: ChainData;
  ms: Measurements;
  chain: ChainConfig;
  cwd: string;
  /** Per-step metrics (top-1 of predict cells, latency of benchmarks), filled before the gates run. */
  metrics: Map<number, StepMetrics>;
  /** `base` or `base@<unit>` when the chain has several units (save dirs). */
  named: (base: string, unit: string) => string;
  /** `--baseline`: the report compared with and the per-item deltas. */
  baseline?: { path: string; deltas: Delta[] };
}

export type GateFn = (ev: Evidence, cfg: GatesConfig) => Gate[];

export const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

const isNum = (x: unknown): x is number => typeof x === 'number';

export interface VerdictInput {
  name: string;
  unit: string;
  /** The measurement; null/undefined = nothing measured. */
  value: number | null | undefined;
  /** The threshold; null = not set. */
  threshold: number | null;
  /** `≤`: value must not exceed the threshold; `≥`: must reach it. */
  cmp: '≤' | '≥';
  /** What was measured (the start of the detail). */
  what: string;
  /** The config key of the threshold, named when it is not set. */
  key: string;
  /** Why nothing was measured, when a step failed (the gate fails); absent: nothing to measure (not-set). */
  failure?: string;
  /** Shown as the threshold instead of the number (e.g. `≥ 0.99 × fp32`). */
  thresholdText?: string;
  /** Appended to the detail of a judged value. */
  note?: string;
}

/** The one rule every numeric gate uses. */
export function verdict(v: VerdictInput): Gate {
  const base = { name: v.name, unit: v.unit, threshold: v.threshold };
  const has = v.value !== null && v.value !== undefined;
  if (!has)
    return {
      ...base,
      status: v.failure ? 'fail' : 'not-set',
      value: null,
      detail: v.failure ?? `nothing measured (${v.what})`,
    };
  const x = v.value as number;
  if (!isNum(x) || !Number.isFinite(x))
    return { ...base, status: 'fail', value: null, detail: `${v.what}: ${x} is not a finite measurement` };
  if (v.threshold === null) return { ...base, status: 'not-set', value: x, detail: `${v.what}: ${x}; no ${v.key} set` };
  if (!Number.isFinite(v.threshold))
    return { ...base, status: 'fail', value: x, detail: `${v.key} = ${v.threshold} is not a finite threshold` };
  const ok = v.cmp === '≤' ? x <= v.threshold : x >= v.threshold;
  const rel = ok ? v.cmp : v.cmp === '≤' ? '>' : '<';
  return {
    ...base,
    status: ok ? 'pass' : 'fail',
    value: x,
    detail: `${v.what}: ${x} ${rel} ${v.thresholdText ?? v.threshold}${v.note ? `; ${v.note}` : ''}`,
  };
}

/** A gate with nothing to compare (not-set: fails the run unless --allow-not-set). */
export function notSet(name: string, unit: string, threshold: Gate['threshold'], detail: string): Gate {
  return { name, status: 'not-set', value: null, threshold, unit, detail };
}

export function failed(
  name: string,
  unit: string,
  threshold: Gate['threshold'],
  detail: string,
  value: Gate['value'] = null,
): Gate {
  return { name, status: 'fail', value, threshold, unit, detail };
}

/** `<what> <status>[ (<reason>)]` of a step that did not pass, '' when it passed or is absent. */
export function stepFailure(r: StepResult | undefined, what: string): string {
  return r && r.status !== 'pass' ? `${what} ${r.status}${r.reason ? ` (${r.reason})` : ''}` : '';
}
