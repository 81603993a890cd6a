// Per-batch stage timings → the latency report (warm-up excluded), its JSON schema and a peak-RSS
// sampler. Percentiles use linear interpolation between order statistics (numpy's default).
import { Ajv } from 'ajv';
import { CodedError } from '../util/errors.js';

export const WARMUP_BATCHES = 3;

export interface StageTimes {
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface Summary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
}

export interface LatencyReport {
  model_name: string;
  model_file: string;
  precision: string;
  provider: 'cpu' | 'cuda';
  batch_size: number;
  /** null = runtime default. */
  cpu_threads: number | null;
  warmup: number;
  /** Batches measured (after warm-up). */
  batches: number;
  /** Batches run, warm-up included (auto_log's data_num). */
  data_num: number;
  preprocess_ms: Summary;
  inference_ms: Summary;
  postprocess_ms: Summary;
  /** Sum of the measured batches' totals, seconds. */
  total_s: number;
  /** Peak resident set size over the run (sampled every 0.2 s and at batch ends). */
  rss_mb: number;
  rss_kind: 'peak';
  runtime: string;
  input_shape: number[];
  flags: Record<string, unknown>;
  created: string;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return {
    mean: round4(mean),
    p50: round4(percentile(s, 0.5)),
    p90: round4(percentile(s, 0.9)),
    p99: round4(percentile(s, 0.99)),
  };
}

/** Drops the warm-up batches and summarises the rest; fewer than warm-up + 1 batches is an error. */
export function summarizeBatches(times: readonly StageTimes[], warmup = WARMUP_BATCHES) {
  if (times.length < warmup + 1) {
    throw new CodedError(
      'E_TOO_FEW_BATCHES',
      `benchmark needs at least ${warmup + 1} batches (${warmup} warm-up + 1), got ${times.length}`,
    );
  }
  const kept = times.slice(warmup);
  return {
    preprocess_ms: summarize(kept.map((t) => t.preprocessMs)),
    inference_ms: summarize(kept.map((t) => t.inferenceMs)),
    postprocess_ms: summarize(kept.map((t) => t.postprocessMs)),
    total_s: round4(kept.reduce((a, t) => a + t.preprocessMs + t.inferenceMs + t.postprocessMs, 0) / 1000),
    batches: kept.length,
    data_num: times.length,
  };
}

const summarySchema = {
  type: 'object',
  required: ['mean', 'p50', 'p90', 'p99'],
  additionalProperties: false,
  properties: {
    mean: { type: 'number', minimum: 0 },
    p50: { type: 'number', minimum: 0 },
    p90: { type: 'number', minimum: 0 },
    p99: { type: 'number', minimum: 0 },
  },
} as const;

export const LATENCY_REPORT_SCHEMA = {
  $id: 'ctrgcn-latency-report',
  type: 'object',
  required: [
    'model_name',
    'precision',
    'provider',
    'batch_size',
    'cpu_threads',
    'warmup',
    'batches',
    'data_num',
    'preprocess_ms',
    'inference_ms',
    'postprocess_ms',
    'total_s',
    'rss_mb',
    'rss_kind',
  ],
  properties: {
    model_name: { type: 'string', minLength: 1 },
    model_file: { type: 'string' },
    precision: { enum: ['fp32', 'fp16', 'int8'] },
    provider: { enum: ['cpu', 'cuda'] },
    batch_size: { type: 'integer', minimum: 1 },
    cpu_threads: { type: ['integer', 'null'], minimum: 1 },
    warmup: { type: 'integer', minimum: 0 },
    batches: { type: 'integer', minimum: 1 },
    data_num: { type: 'integer', minimum: 1 },
    preprocess_ms: summarySchema,
    inference_ms: summarySchema,
    postprocess_ms: summarySchema,
    total_s: { type: 'number', minimum: 0 },
    rss_mb: { type: 'number', minimum: 0 },
    rss_kind: { const: 'peak' },
    runtime: { type: 'string' },
    input_shape: { type: 'array', items: { type: 'integer' } },
    flags: { type: 'object' },
    created: { type: 'string' },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

/** Throws a CodedError listing the schema violations. */
export function validateLatencyReport(r: unknown): asserts r is LatencyReport {
  validator ??= new Ajv({ allErrors: true }).compile(LATENCY_REPORT_SCHEMA);
  if (!validator(r)) {
    const errs = (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new CodedError('E_LATENCY_REPORT_INVALID', `latency report does not match its schema: ${errs}`);
  }
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
