// Hand-made evidence for the gates' edge tests: steps, records and measurements without running a chain.
import type { ChainRecord, RecordKind, RecordOf } from '../../contracts/index.js';
import {
  defaultChain,
  defaultGates,
  mergeGates,
  type ChainConfig,
  type GateOverrides,
} from '../params/gates-config.js';
import type { AccuracyMeasure, LatencyMeasure, Measurements } from '../evidence/measure.js';
import type { StepResult } from '../plan/steps.js';
import type { ChainData } from '../evidence/step-data.js';
import type { Evidence, StepMetrics } from './types.js';

export const UNIT = 'out/norm_train';

export function step(over: Partial<StepResult> & Pick<StepResult, 'id' | 'kind'>): StepResult {
  return {
    name: `${over.kind}:${over.id}`,
    command: 'cmd',
    argv: [],
    log: `log/${over.id}.log`,
    stdout: `log/${over.id}.log`,
    env: {},
    status: 'pass',
    exitCode: 0,
    durationMs: 1,
    dir: UNIT,
    origin: 'driver',
    records: `log/${over.id}.records.jsonl`,
    ...over,
  };
}

/** ChainData over in-memory records (step id → records). */
export function chainData(records: Record<number, ChainRecord[]> = {}, problems: string[] = []): ChainData {
  const byId = new Map(
    Object.entries(records).map(([id, rs]) => [Number(id), { records: rs, problems: [], text: null }]),
  );
  const recs = (id: number, kind: RecordKind) => (records[id] ?? []).filter((r) => r.kind === kind);
  return {
    byId,
    problems: () => problems,
    get: (id: number) => byId.get(id),
    records: recs,
    last: (id: number, kind: RecordKind) => recs(id, kind).at(-1),
    predictKeys: (id: number) => {
      const out = new Map<string, number>();
      const r = (recs(id, 'predict').at(-1) as RecordOf<'predict'> | undefined)?.results.at(-1);
      r?.classes.forEach((c, j) => {
        out.set(`top-${j + 1} class`, c);
        out.set(`top-${j + 1} score`, r.scores[j]);
      });
      return out;
    },
  } as unknown as ChainData;
}

export function measurements(over: Partial<Measurements> = {}): Measurements {
  return { sizes: [], accuracy: [], latency: [], training: [], certified: [], ...over };
}

export function acc(
  model: AccuracyMeasure['model'],
  top1: number,
  over: Partial<AccuracyMeasure> = {},
): AccuracyMeasure {
  return {
    unit: UNIT,
    model,
    path: `${UNIT}/${model === 'fp32' || model === 'checkpoint' ? '' : `${model}/`}inference.onnx`,
    sha256: null,
    top1,
    top5: 1,
    samples: 300,
    source: 'records',
    ...over,
  };
}

export function lat(
  target: 'trained' | 'reference',
  p50: number,
  ci: [number, number],
  over: Partial<LatencyMeasure> = {},
): LatencyMeasure {
  return {
    unit: target === 'trained' ? UNIT : 'out/reference',
    target,
    device: 'cpu',
    modelFile: 'inference.onnx',
    threads: 1,
    batchSize: 1,
    batches: 139,
    confidence: 0.95,
    ciExact: true,
    mean: p50,
    p50,
    p90: p50 * 1.2,
    p50Ci: ci,
    p90Ci: [p50, p50 * 1.4],
    ...over,
  };
}

export function evidence(o: {
  results?: StepResult[];
  data?: ChainData;
  ms?: Partial<Measurements>;
  chain?: Partial<ChainConfig>;
  metrics?: Map<number, StepMetrics>;
  cwd?: string;
  baseline?: Evidence['baseline'];
}): Evidence {
  return {
    results: o.results ?? [],
    data: o.data ?? chainData(),
    ms: measurements(o.ms),
    chain: { ...defaultChain(), ...o.chain },
    cwd: o.cwd ?? '/nonexistent',
    metrics: o.metrics ?? new Map<number, StepMetrics>(),
    named: (b) => b,
    ...(o.baseline ? { baseline: o.baseline } : {}),
  };
}

export const gatesCfg = (over: GateOverrides = {}) => mergeGates(defaultGates(), over);
