// Per-batch stage timings → the latency report (warm-up excluded; the `latency` chain record of
// src/contracts) and a peak-RSS sampler. Percentiles use linear interpolation between order
// statistics (numpy's default); p50/p90 carry distribution-free confidence intervals.
import { codec, type LatencyHistogram, type LatencyReport, type StageSummary } from '../contracts/index.js';
import { CodedError } from '../util/errors.js';
import { percentile, quantileCi } from '../util/quantile.js';

export { percentile };
export type { LatencyReport, StageSummary };

export const WARMUP_BATCHES = 3;
/** Two-sided confidence of the p50/p90 intervals. */
export const LATENCY_CONFIDENCE = 0.95;

export interface StageTimes {
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function summarize(
  values: readonly number[],
  confidence = LATENCY_CONFIDENCE,
): StageSummary & { exact: boolean } {
  const s = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const c50 = quantileCi(s, 0.5, confidence);
  const c90 = quantileCi(s, 0.9, confidence);
  return {
    mean: round4(mean),
    p50: round4(percentile(s, 0.5)),
    p90: round4(percentile(s, 0.9)),
    p99: round4(percentile(s, 0.99)),
    p50_ci: [round4(c50.lo), round4(c50.hi)],
    p90_ci: [round4(c90.lo), round4(c90.hi)],
    exact: c50.exact && c90.exact,
  };
}

export const HISTOGRAM_BINS = 20;

/** Equal-width histogram of `values` (one bin holds everything when they are all equal). */
export function histogram(values: readonly number[], bins = HISTOGRAM_BINS): LatencyHistogram {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const counts = new Array<number>(hi > lo ? bins : 1).fill(0);
  for (const v of values)
    counts[Math.min(counts.length - 1, Math.floor(((v - lo) / (hi - lo || 1)) * counts.length))]++;
  return { lo_ms: round4(lo), hi_ms: round4(hi), counts };
}

/** Drops the warm-up batches and summarises the rest; fewer than warm-up + 1 batches is an error. */
export function summarizeBatches(
  times: readonly StageTimes[],
  warmup = WARMUP_BATCHES,
  confidence = LATENCY_CONFIDENCE,
) {
  if (times.length < warmup + 1) {
    throw new CodedError(
      'E_TOO_FEW_BATCHES',
      `benchmark needs at least ${warmup + 1} batches (${warmup} warm-up + 1), got ${times.length}`,
    );
  }
  const kept = times.slice(warmup);
  const strip = ({ exact: _e, ...x }: StageSummary & { exact: boolean }): StageSummary => x;
  const inf = summarize(
    kept.map((t) => t.inferenceMs),
    confidence,
  );
  return {
    confidence,
    ci_exact: inf.exact,
    preprocess_ms: strip(
      summarize(
        kept.map((t) => t.preprocessMs),
        confidence,
      ),
    ),
    inference_ms: strip(inf),
    inference_histogram: histogram(kept.map((t) => t.inferenceMs)),
    postprocess_ms: strip(
      summarize(
        kept.map((t) => t.postprocessMs),
        confidence,
      ),
    ),
    total_s: round4(kept.reduce((a, t) => a + t.preprocessMs + t.inferenceMs + t.postprocessMs, 0) / 1000),
    batches: kept.length,
    data_num: times.length,
  };
}

/** Throws a CodedError listing the schema violations. */
export function validateLatencyReport(r: unknown): asserts r is LatencyReport {
  const errs = codec.check(r);
  if (errs.length)
    throw new CodedError('E_LATENCY_REPORT_INVALID', `latency report does not match its schema: ${errs.join('; ')}`);
}

/** Samples process RSS every `intervalMs` (and on demand); reports the peak in MB. */
export class PeakRssSampler {
  private peak = process.memoryUsage.rss();
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 200): this {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    return this;
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  stop(): number {
    this.sample();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return round4(this.peak / (1024 * 1024));
  }
}
