// The goals table of `npm run bench` reads each figure and its same-run baseline from the
// benchmark results, and says null (not met, not guessed) where a benchmark did not run.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs script without type declarations
import { performanceGoals } from '../../scripts/perf-goals.mjs';

type Goal = {
  figure: string;
  value: number | null;
  baseline: { value: number } | null;
  goal: string;
  met: boolean | null;
  note?: string;
};

const row = (model: string, precision: string, p50: number, bytes: number, efficiency?: number) => ({
  model,
  precision,
  threads: 2,
  batch: 1,
  p50_ms: p50,
  onnx_bytes: bytes,
  ...(efficiency !== undefined ? { efficiency } : {}),
});

describe('performanceGoals', () => {
  it('reads every figure with its baseline and checks it against the goal', () => {
    const goals = performanceGoals({
      infer: {
        results: [
          row('ctrgcn_light', 'fp32', 10, 4_000_000, 0.35),
          row('ctrgcn', 'fp32', 20, 6_000_000, 0.3),
          row('ctrgcn_light_plain', 'fp32', 16, 4_000_000),
          row('ctrgcn_light', 'int8', 11, 1_100_000),
          { ...row('ctrgcn_light', 'fp32', 99, 1, 0.9), threads: 1 },
        ],
        matmul_peak: [
          { threads: 1, gflops: 120 },
          { threads: 2, gflops: 240 },
        ],
      },
      train: {
        ctrgcn_light: {
          samples_per_sec: 8,
          peak_rss_mb: 1400,
          rss_before_mb: 300,
          efficiency: 0.25,
          matmul_peak_gflops: 250,
          kernels: 'Eigen',
        },
        ctrgcn: { samples_per_sec: 5 },
        ctrgcn_light_onednn: { kernels: 'oneDNN', mean_step_sec: 3.2, peak_rss_mb: 1750 },
        onednn_over_eigen: { step_time: 0.79, peak_rss: 0.78 },
      },
      tipc: {
        wall_s: { median: 140 },
        runs: [
          {
            steps: [
              { kind: 'train', seconds: 100 },
              { kind: 'eval', seconds: 5 },
            ],
          },
        ],
      },
    }) as Goal[];
    const by = (f: RegExp) => goals.find((g) => f.test(g.figure))!;
    expect(goals).toHaveLength(11);
    expect(by(/^light p50/)).toMatchObject({ value: 10, baseline: { value: 20 }, met: true });
    expect(by(/light \/ CTRGCN/)).toMatchObject({ value: 0.5, met: true });
    expect(by(/fused/)).toMatchObject({ value: 0.625, baseline: { value: 16 }, met: true });
    expect(by(/int8 light export size/)).toMatchObject({ value: 1_100_000, baseline: { value: 4_000_000 }, met: true });
    expect(by(/int8 \/ fp32/)).toMatchObject({ value: 1.1, met: false });
    expect(by(/samples/)).toMatchObject({ value: 8, baseline: { value: 5 }, met: false });
    expect(by(/RSS/)).toMatchObject({ value: 1400, baseline: { value: 300 }, met: true });
    expect(by(/npm start/)).toMatchObject({ value: 140, baseline: { value: 100 }, met: true });
    expect(by(/training efficiency/)).toMatchObject({
      value: 0.25,
      baseline: { value: 250 },
      goal: '>= 0.3',
      met: false,
    });
    // The kernel set the machine chose, and the other set's step from the same run.
    expect(by(/training efficiency/).note).toMatch(
      /^Eigen kernels .*oneDNN's in the same run: 3.2 s .*step time 0.79, peak RSS 0.78/,
    );
    // No whole `npm test` recorded on this checkout: null, with a note saying how to get the figure.
    expect(by(/npm test/)).toMatchObject({ value: null, goal: '<= 900', met: null });
    expect(by(/npm test/).note).toMatch(/no whole `npm test` recorded/);
    // Reported without a goal: the 2-thread batch-1 row, beside CTRGCN's, and the peak it is a share of.
    expect(by(/inference efficiency/)).toMatchObject({
      value: 0.35,
      baseline: { value: 0.3 },
      goal: 'reported',
      met: null,
    });
    expect(by(/inference efficiency/).note).toMatch(/240 GFLOP\/s/);
  });

  it('prefers the paired ratios of the same rotation where the benchmark printed them', () => {
    const goals = performanceGoals({
      infer: {
        results: [row('ctrgcn_light', 'fp32', 10, 4_000_000), row('ctrgcn_light', 'int8', 11, 1_100_000)],
        light_over_original: [{ precision: 'fp32', threads: 2, batch: 1, light_over_original_paired: 0.52 }],
        fused_over_unfused: [{ model: 'ctrgcn_light', threads: 2, batch: 1, fused_over_unfused_paired: 0.66 }],
        precision_over_fp32: [
          { model: 'ctrgcn', precision: 'int8', threads: 2, batch: 1, p50_over_fp32_paired: 2 },
          { model: 'ctrgcn_light', precision: 'int8', threads: 2, batch: 1, p50_over_fp32_paired: 0.99 },
        ],
      },
    }) as Goal[];
    const by = (f: RegExp) => goals.find((g) => f.test(g.figure))!;
    expect(by(/light \/ CTRGCN/)).toMatchObject({ value: 0.52, met: true });
    expect(by(/fused/)).toMatchObject({ value: 0.66, met: true });
    expect(by(/int8 \/ fp32/)).toMatchObject({ value: 0.99, met: true });
  });

  it("takes the npm test figure from the last whole run's record, never from a failed run", () => {
    const run = {
      started_at: '2026-12-07T12:00:00.000Z',
      wall_s: 1234.5,
      exit_code: 0,
      commit: 'abc123',
      machine: { cpus: 2 },
      load_average_1m: { at_start: 0.1, at_end: 1.9 },
    };
    const npmTest = (r: object) =>
      performanceGoals({ npm_test: r }).find((g: Goal) => /npm test/.test(g.figure)) as Goal;
    expect(npmTest(run)).toMatchObject({ value: 1234.5, goal: '<= 900', met: false });
    expect(npmTest(run).note).toMatch(/2026-12-07T12:00:00.000Z \(commit abc123, 2 CPUs, load 0.1 → 1.9\)/);
    expect(npmTest({ ...run, wall_s: 800 })).toMatchObject({ value: 800, met: true });
    const failed = npmTest({ ...run, exit_code: 1 });
    expect(failed).toMatchObject({ value: null, met: null });
    expect(failed.note).toMatch(/failed \(exit 1\)/);
  });

  it('leaves figures of benchmarks that did not run as null', () => {
    const goals = performanceGoals({ train: { ctrgcn_light: { samples_per_sec: 10 } } }) as Goal[];
    expect(goals.filter((g) => g.value !== null).map((g) => g.figure)).toEqual(['training samples/s, light, batch 16']);
    expect(goals.filter((g) => g.met === null)).toHaveLength(10);
  });
});
