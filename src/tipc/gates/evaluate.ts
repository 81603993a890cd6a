// Gate evaluation over what the chain measured: a list of small gates (./gates/*.ts), each
// `(evidence, config) → Gate[]`, judged by one verdict helper (./gates/types.ts). Every gate ends
// `pass`, `fail` or `not-set`; not-set (no threshold, nothing to compare) is never a pass and fails the
// run unless `tipc run --allow-not-set` (report.ts decideStatus). Sizes come from disk, everything else
// from the steps' chain records (PaddleVideo's log text only for steps that wrote none).
import path from 'node:path';
import type { GatesConfig, ChainConfig } from '../params/index.js';
import { latencyStage, measure, type Measurements } from '../evidence/index.js';
import type { StepResult } from '../plan/index.js';
import { ChainData } from '../evidence/index.js';
import { accuracyGates } from './accuracy.js';
import { consistencyGates, determinismGates } from './agreement.js';
import { goldenGates } from './golden.js';
import { latencyGates } from './latency.js';
import { provenanceGates } from './provenance.js';
import { recordsGates } from './records.js';
import { regressionGates } from './regression.js';
import { sizeGates } from './size.js';
import { trainingGates } from './training.js';
import type { Artifact, Delta, Evidence, Gate, GateFn, StepMetrics } from './types.js';

export type { Artifact, Delta, Evidence, Gate, GateFn, GateStatus, StepMetrics } from './types.js';

/** The gates, in report order. */
export const GATES: ReadonlyArray<{ name: string; fn: GateFn }> = [
  { name: 'records', fn: recordsGates },
  { name: 'size', fn: sizeGates },
  { name: 'accuracy', fn: accuracyGates },
  { name: 'training', fn: trainingGates },
  { name: 'provenance', fn: provenanceGates },
  { name: 'latency', fn: latencyGates },
  { name: 'golden', fn: goldenGates },
  { name: 'determinism', fn: determinismGates },
  { name: 'consistency', fn: consistencyGates },
  { name: 'regression', fn: regressionGates },
];

export interface GateOutcome {
  gates: Gate[];
  artifacts: Artifact[];
  metrics: Map<number, StepMetrics>;
  measurements: Measurements;
}

export interface EvaluateOptions {
  gates: GatesConfig;
  chain: ChainConfig;
  cwd: string;
  /** params line 29 key (`-p`): how the export command names its weights. */
  exportWeightsKey: string;
  /** `--baseline`: deltas against a previous report, computed from `measure`'s output. */
  baseline?: { path: string; deltas: (ms: Measurements) => Delta[] };
}

/** The per-step metrics the report shows (predict cells' top-1, benchmarks' latency, eval accuracy). */
function stepMetrics(results: readonly StepResult[], data: ChainData, ms: Measurements): Map<number, StepMetrics> {
  const metrics = new Map<number, StepMetrics>();
  const m = (id: number) => {
    let x = metrics.get(id);
    if (!x) metrics.set(id, (x = {}));
    return x;
  };
  for (const ev of results.filter((r) => r.kind === 'eval' && r.origin === 'driver')) {
    const ckpt = ms.accuracy.find((a) => a.unit === ev.dir && a.model === 'checkpoint');
    if (ckpt) m(ev.id).eval = { top1: ckpt.top1, top5: ckpt.top5 };
  }
  for (const r of results.filter((x) => x.kind === 'infer' && x.status === 'pass')) {
    const t = data.top1(r.id);
    if (t) m(r.id).top1 = { class: t.class, score: t.score };
    const l = data.latencyOf(r.id);
    if (l) {
      const rec = l.record;
      const stage = rec ? latencyStage(rec.inference_ms) : undefined;
      m(r.id).latency = {
        inferenceMs: l.inferenceMs,
        source: l.source,
        ...(stage && rec
          ? { p50: stage.p50, p90: stage.p90, p50Ci: stage.p50Ci, p90Ci: stage.p90Ci, batches: rec.batches }
          : {}),
      };
    }
  }
  return metrics;
}

export function evaluateGates(results: StepResult[], o: EvaluateOptions): GateOutcome {
  const { gates: cfg, chain, cwd } = o;
  const data = new ChainData(results, cwd, chain.records === 'required');
  const ms = measure(results, data, cwd, cfg.size.artifact, o.exportWeightsKey);
  const units = [
    ...new Set(
      results.filter((r) => (r.kind === 'export' || r.kind === 'train') && r.origin === 'driver').map((r) => r.dir),
    ),
  ];
  const multi = units.length > 1;
  const ev: Evidence = {
    results,
    data,
    ms,
    chain,
    cwd,
    metrics: stepMetrics(results, data, ms),
    named: (base, unit) => (multi ? `${base}@${path.posix.basename(unit)}` : base),
    ...(o.baseline ? { baseline: { path: o.baseline.path, deltas: o.baseline.deltas(ms) } } : {}),
  };
  const artifacts: Artifact[] = [];
  for (const r of results.filter((x) => x.kind === 'export' && x.role !== 'reference-export' && x.status === 'pass')) {
    const sm = ms.sizes.find((s) => s.dir === r.dir && s.role !== 'reference');
    for (const [f, bytes] of Object.entries(sm?.files ?? {})) artifacts.push({ path: `${r.dir}/${f}`, bytes });
  }
  return { gates: GATES.flatMap((g) => g.fn(ev, cfg)), artifacts, metrics: ev.metrics, measurements: ms };
}
