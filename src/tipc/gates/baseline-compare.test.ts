import { describe, expect, it } from 'vitest';
import { defaultGates } from '../params/gates-config.js';
import type { Measurements } from '../evidence/measure.js';
import { compareToBaseline, regressionGates } from './baseline-compare.js';
import { lat } from './evidence.test-util.js';
import type { Environment } from '../report/report.js';

const env = (cpu: string): Environment => ({
  node: 'v20',
  platform: 'linux-x64',
  backends: [],
  cpu,
  cpus: 2,
  threads: 1,
  gpu: { available: false, reason: 'none' },
});
const U = './test_tipc/output/M/lite_train_lite_infer/norm_train_gpus_-1_autocast_null_nodes_1';
function run(p50: number, ci: [number, number], bytes = 1000, top1 = 0.9): Measurements {
  return {
    sizes: [
      { unit: U, role: 'driver', precision: 'fp32', dir: U, files: { 'inference.onnx': bytes }, totalBytes: bytes },
    ],
    accuracy: [
      {
        unit: U,
        model: 'fp32',
        path: `${U}/inference.onnx`,
        sha256: null,
        top1,
        top5: 1,
        samples: 300,
        source: 'records',
      },
    ],
    latency: [lat('trained', p50, ci, { unit: U, modelFile: 'm', p90Ci: ci })],
    training: [],
    certified: [],
  };
}
const cfg = defaultGates().regression;

describe('--baseline regression', () => {
  it('latency is judged on the intervals: overlapping CIs are not a slowdown, separated ones are', () => {
    const base = { measurements: run(30, [29, 31]), environment: env('X') };
    const noisy = compareToBaseline(base, { measurements: run(33, [30.5, 36]), environment: env('X') }, cfg);
    expect(noisy.find((d) => d.metric === 'latency')!.status).toBe('pass'); // mean +10 %, CI lower bound 30.5 ≤ 31 × 1.1
    const slow = compareToBaseline(base, { measurements: run(40, [38, 42]), environment: env('X') }, cfg);
    expect(slow.find((d) => d.metric === 'latency')!.status).toBe('fail');
    expect(regressionGates(slow, cfg, 'b.json').map((g) => [g.name, g.status])).toEqual([
      ['regression[size]', 'pass'],
      ['regression[accuracy]', 'pass'],
      ['regression[latency]', 'fail'],
    ]);
  });

  it('another machine: latency is not compared (not-set), sizes and accuracy still are', () => {
    const d = compareToBaseline(
      { measurements: run(30, [29, 31]), environment: env('X') },
      { measurements: run(60, [58, 62], 1100, 0.85), environment: env('Y') },
      cfg,
    );
    expect(d.map((x) => [x.metric, x.status])).toEqual([
      ['size', 'fail'],
      ['accuracy', 'fail'],
      ['latency', 'not-set'],
    ]);
    expect(d[2].note).toMatch(/not compared: CPU Y now, X in the baseline/);
    expect(regressionGates(d, cfg, 'b.json')[2]).toMatchObject({ name: 'regression[latency]', status: 'not-set' });
  });

  it('something measured in the baseline but not now is a regression', () => {
    const now = run(30, [29, 31]);
    now.accuracy = [];
    const d = compareToBaseline(
      { measurements: run(30, [29, 31]), environment: env('X') },
      { measurements: now, environment: env('X') },
      cfg,
    );
    expect(d.find((x) => x.metric === 'accuracy')).toMatchObject({
      status: 'fail',
      note: 'measured in the baseline, not in this run',
    });
  });
});
