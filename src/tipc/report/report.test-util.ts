// A hand-made report of a lite chain for the writers' tests (test helper): the gates, measurements,
// artifacts and steps of a passing run, every path under the run folder RUN, parts replaceable.
import type { Gate } from '../gates/index.js';
import type { LatencyMeasure } from '../evidence/index.js';
import { emptyMeasurements, summarize, type Report } from './report.js';

export const RUN = 'test_tipc/output/M/lite_train_lite_infer';
export const UNIT = `./${RUN}/norm_train_gpus_-1_autocast_null_nodes_1`;

export const gate = (
  name: string,
  value: Gate['value'],
  threshold: Gate['threshold'],
  unit: string,
  status: Gate['status'] = 'pass',
  detail?: string,
): Gate => ({ name, value, threshold, unit, status, ...(detail ? { detail } : {}) });

/** The gates of a passing lite run: size, top-1, latency, agreement and two others. */
export function sampleGates(): Gate[] {
  return [
    gate('records', 39, 'every passed step', 'records'),
    gate('size', 4112685, 10485760, 'B', 'pass', `artifact ${UNIT}/inference.* in bytes: 4112685 ≤ 10485760`),
    gate('size[int8]', 1168563, 10485760, 'B'),
    gate('accuracy', 0.94, 0.8, 'top1', 'pass', `top-1 of the exported model ${UNIT}/inference.onnx: 0.94 ≥ 0.8`),
    gate('agreement[fp16]', 1, 0.99, 'share of samples'),
    gate('agreement[int8]', 0.995, 0.99, 'share of samples'),
    gate('latency', 0.6021, 1.15, '× reference p50 (CI bound ratio)'),
    gate('golden', 0, 'atol 0.001, rtol 0.001', 'abs diff'),
  ];
}

const bench = (target: LatencyMeasure['target'], p50: number, ci: [number, number]): LatencyMeasure => ({
  unit: target === 'trained' ? UNIT : `./${RUN}/reference`,
  target,
  device: 'cpu',
  modelFile: `${target === 'trained' ? UNIT : `./${RUN}/reference`}/inference.onnx`,
  threads: 1,
  batchSize: 1,
  batches: 500,
  confidence: 0.95,
  ciExact: true,
  mean: p50,
  p50,
  p90: p50 * 1.1,
  p50Ci: ci,
  p90Ci: [p50 * 1.05, p50 * 1.15],
});

/** A passing report; `over` replaces top-level fields (gates: the summary and status follow them). */
export function sampleReport(over: Partial<Report> = {}): Report {
  const gates = over.gates ?? sampleGates();
  const steps: Report['steps'] = [
    {
      id: 0,
      kind: 'train',
      name: 'train:norm_train_gpus_-1_autocast_null_nodes_1',
      command: 'train',
      argv: ['train'],
      log: `./${RUN}/norm_train_gpus_-1_autocast_null_nodes_1.log`,
      stdout: `./${RUN}/train.log`,
      env: {},
      records: `${UNIT}.records.jsonl`,
      status: 'pass',
      exitCode: 0,
      durationMs: 1000,
      origin: 'driver',
    },
  ];
  const measurements = {
    ...emptyMeasurements(),
    latency: [bench('trained', 36.7, [36, 38]), bench('reference', 63.26, [63.1, 64])],
  };
  return {
    schemaVersion: 2,
    model: 'M',
    mode: 'lite_train_lite_infer',
    status: gates.some((g) => g.status !== 'pass') ? 'fail' : 'pass',
    params: 'test_tipc/configs/M/train_infer_python.txt',
    driver: 'head',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1000,
    resultsLog: `./${RUN}/results_python.log`,
    strict: true,
    steps,
    gates,
    artifacts: [
      { path: `${UNIT}/inference.onnx`, bytes: 4111203 },
      { path: `${UNIT}/int8/inference.onnx`, bytes: 1167081 },
    ],
    measurements,
    environment: {
      node: 'v20.0.0',
      platform: 'linux-x64',
      backends: [],
      cpu: 'cpu',
      cpus: 2,
      threads: 1,
      gpu: { available: false, reason: 'no CUDA' },
    },
    summary: summarize(steps, gates),
    ...over,
  };
}
