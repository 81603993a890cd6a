import { describe, expect, it } from 'vitest';
import { formatAutoLog } from './auto-log.js';
import {
  histogram,
  percentile,
  summarize,
  summarizeBatches,
  validateLatencyReport,
  type LatencyReport,
} from './latency.js';
import { formatScore, softmaxTopK } from './postprocess.js';

describe('latency statistics', () => {
  it('percentiles interpolate linearly (numpy default)', () => {
    const s = [1, 2, 3, 4];
    expect(percentile(s, 0.5)).toBe(2.5);
    expect(percentile(s, 0.9)).toBeCloseTo(3.7, 12);
    expect(summarize([4, 1, 3, 2])).toMatchObject({ mean: 2.5, p50: 2.5, p90: 3.7, p99: 3.97 });
    // 4 samples are too few for a 95 % CI of the p90: a bound falls back to the maximum
    expect(summarize([4, 1, 3, 2])).toMatchObject({ p90_ci: [2, 4], exact: false });
  });

  it('histogram: equal-width bins over [min, max], the maximum in the last bin; equal values in one bin', () => {
    expect(histogram([1, 2, 2, 3, 5], 4)).toEqual({ lo_ms: 1, hi_ms: 5, counts: [1, 2, 1, 1] });
    expect(histogram([7, 7, 7])).toEqual({ lo_ms: 7, hi_ms: 7, counts: [3] });
    const t = (ms: number) => ({ preprocessMs: 0, inferenceMs: ms, postprocessMs: 0 });
    const h = summarizeBatches([t(100), t(100), t(100), t(1), t(2), t(3)]).inference_histogram;
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3); // warm-up batches are not counted
  });

  it('drops 3 warm-up batches, sums the rest, refuses fewer than 4', () => {
    const t = (ms: number) => ({ preprocessMs: ms, inferenceMs: 10 * ms, postprocessMs: 0 });
    const s = summarizeBatches([t(100), t(100), t(100), t(1), t(2)]);
    expect(s.batches).toBe(2);
    expect(s.data_num).toBe(5);
    expect(s.inference_ms.mean).toBe(15);
    expect(s.total_s).toBe(0.033);
    expect(() => summarizeBatches([t(1), t(1), t(1)])).toThrow(/at least 4 batches/);
  });
});

const stage = (ms: number) => ({
  mean: ms,
  p50: ms,
  p90: ms,
  p99: ms,
  p50_ci: [ms, ms] as [number, number],
  p90_ci: [ms, ms] as [number, number],
});
const report: LatencyReport = {
  v: 1,
  kind: 'latency',
  model_name: 'CTRGCN_light_joint',
  model_file: 'm.onnx',
  precision: 'fp32',
  provider: 'cpu',
  batch_size: 1,
  cpu_threads: null,
  warmup: 3,
  batches: 12,
  data_num: 15,
  confidence: 0.95,
  ci_exact: true,
  preprocess_ms: stage(1),
  inference_ms: { mean: 20.5, p50: 20, p90: 22, p99: 25, p50_ci: [19, 21], p90_ci: [21, 24] },
  postprocess_ms: stage(0.1),
  total_s: 0.2592,
  rss_mb: 120.5,
  rss_kind: 'peak',
  runtime: 'onnxruntime-node 1.30.0',
  input_shape: [1, 3, 64, 25, 2],
  flags: {},
  created: '2026-01-01T00:00:00Z',
};

describe('latency report', () => {
  it('validates against the schema and rejects a broken one', () => {
    expect(() => validateLatencyReport(report)).not.toThrow();
    expect(() => validateLatencyReport({ ...report, precision: 'bf16' })).toThrow(/precision/);
    expect(() => validateLatencyReport({ ...report, inference_ms: { mean: 1 } })).toThrow(
      /E_LATENCY_REPORT_INVALID|schema/,
    );
  });

  it('prints auto_log lines in the upstream sections', () => {
    const lines = formatAutoLog(
      report,
      { irOptim: true, enableMkldnn: false, enableTensorrt: false, osVersion: 'Linux' },
      new Date(2026, 0, 2, 3, 4, 5),
    );
    expect(lines[0]).toBe('[2026/01/02 03:04:05] root INFO: ---------------------- Env info ----------------------');
    expect(lines).toContain('[2026/01/02 03:04:05] root INFO:  cpu_math_library_num_threads: None');
    expect(lines).toContain('[2026/01/02 03:04:05] root INFO:  data_num: 15');
    expect(lines.at(-2)).toBe('[2026/01/02 03:04:05] root INFO:  total time spent(s): 0.2592');
    expect(lines.at(-1)).toBe(
      '[2026/01/02 03:04:05] root INFO:  preprocess_time(ms): 1, inference_time(ms): 20.5, postprocess_time(ms): 0.1',
    );
  });
});

describe('postprocess', () => {
  it('softmax top-k in descending order', () => {
    const t = softmaxTopK([0, 2, 1], 2);
    expect(t.classes).toEqual([1, 2]);
    expect(t.scores[0]).toBeCloseTo(Math.exp(2) / (1 + Math.exp(1) + Math.exp(2)), 12);
  });
  it('scores: ≥ 7 significant digits, never an exponent', () => {
    expect(formatScore(0.9988146421619721)).toBe('0.99881464');
    expect(formatScore(1)).toBe('1.0000000');
    expect(formatScore(1.2345678e-9)).toBe('0.0000000012345678');
    expect(formatScore(0)).toBe('0.0');
  });
});
