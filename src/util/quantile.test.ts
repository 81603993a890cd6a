import { describe, expect, it } from 'vitest';
import { minQueryCount, normalQuantile, percentile, quantileCi } from './quantile.js';
import { mulberry32 } from './prng.js';

describe('latency statistics', () => {
  it('inverse normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.995)).toBeCloseTo(2.575829, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it("MLPerf's minimum query count for a percentile", () => {
    // MLPerf single-stream p90: 99 % confidence, margin (1 − 0.9)/20 = 0.005 → 23,886 (LoadGen rounds up to 24,576)
    expect(minQueryCount(0.9, 0.99, 0.005)).toBe(23886);
    // our lite default: 95 %, ±0.05
    expect(minQueryCount(0.9, 0.95, 0.05)).toBe(139);
    expect(() => minQueryCount(1, 0.95, 0.05)).toThrow(RangeError);
  });

  it('order-statistic CIs cover the true quantile at the requested rate', () => {
    const rnd = mulberry32(7);
    // exponential latencies: true p90 = ln(10), true p50 = ln(2)
    let hit90 = 0;
    let hit50 = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 139 }, () => -Math.log(1 - rnd())).sort((a, b) => a - b);
      const c90 = quantileCi(xs, 0.9, 0.95);
      const c50 = quantileCi(xs, 0.5, 0.95);
      expect(c90.exact).toBe(true);
      expect(c90.coverage).toBeGreaterThanOrEqual(0.95);
      if (c90.lo <= Math.log(10) && Math.log(10) <= c90.hi) hit90++;
      if (c50.lo <= Math.log(2) && Math.log(2) <= c50.hi) hit50++;
      expect(c50.lo).toBeLessThanOrEqual(percentile(xs, 0.5));
      expect(c50.hi).toBeGreaterThanOrEqual(percentile(xs, 0.5));
    }
    expect(hit90 / trials).toBeGreaterThan(0.92);
    expect(hit50 / trials).toBeGreaterThan(0.92);
  });

  it('too few samples for the confidence: not exact, bounds are the extremes', () => {
    const c = quantileCi(
      [5, 1, 3, 2, 4].sort((a, b) => a - b),
      0.9,
      0.95,
    );
    expect(c).toMatchObject({ exact: false, lo: 3, hi: 5 });
  });
});
