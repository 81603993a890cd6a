// The chain records: what the package's commands (train, eval, export, predict) tell whoever drives
// them, as versioned JSON lines. One definition per record (its TypeScript type and its JSON schema,
// side by side), one writer, one parser. The trainer, eval, export, predict, the TIPC driver's gates
// and the driver's test stub all use this module; PaddleVideo-style text logs are for people.
//
// A driver hands each command a records file through the TIPC_RECORDS environment variable (so the
// command lines stay exactly the upstream ones); commands append one JSON object per line to it.

export const RECORD_VERSION = 1;
/** Environment variable naming the JSON-lines file a command appends its records to. */
export const RECORDS_ENV = 'TIPC_RECORDS';

export type Precision = 'fp32' | 'fp16' | 'int8';

interface Head<K extends string> {
  /** Record format version (RECORD_VERSION). */
  v: typeof RECORD_VERSION;
  kind: K;
}

/** One logged training step (every `log_interval` steps). */
export interface TrainStepRecord extends Head<'train_step'> {
  epoch: number;
  iter: number;
  global_step: number;
  loss: number;
  lr: number;
  top1: number;
  top5: number;
  batch_cost: number;
  reader_cost: number;
  ips: number;
  rss_mb: number;
  peak_rss_mb: number;
  mixup_lambda?: number;
  /** Epoch count of the run and batches per epoch (for progress views). */
  epochs?: number;
  steps?: number;
}

/** End of a training epoch (real means over its batches). */
export interface TrainEpochRecord extends Head<'train_epoch'> {
  epoch: number;
  epochs: number;
  steps: number;
  loss_avg: number;
  top1_avg: number;
  top5_avg: number;
  avg_batch_cost: number;
  avg_reader_cost: number;
  batch_cost_sum: number;
  avg_ips: number;
}

/** In-training validation of one epoch (`--validate`); accuracies are sample-weighted. */
export interface ValidationRecord extends Head<'val'> {
  epoch: number;
  global_step: number;
  loss: number | null;
  top1: number;
  top5: number;
  top1_batch_mean: number;
  top5_batch_mean: number;
  samples: number;
  rss_mb: number;
}

/** A checkpoint written (`epoch_EEEEE` or `best`). */
export interface CheckpointRecord extends Head<'checkpoint'> {
  epoch: number;
  global_step: number;
  tag: string;
  /** The `.pdparams` file. */
  file: string;
}

/** The checkpoint training selected for eval/export: best by validation, else the last one. */
export interface SelectedRecord extends Head<'selected'> {
  rule: 'best' | 'last';
  /** The checkpoint selected (`<model>_best.pdparams` or `<model>_epoch_EEEEE.pdparams`). */
  file: string;
  /** A copy under a fixed name (`<model>_selected.pdparams`) that params files can point at. */
  alias: string;
  epoch: number;
  val_top1: number | null;
  sha256: string;
  reason: string;
}

/** Training finished. */
export interface TrainEndRecord extends Head<'train_end'> {
  model_name: string;
  epochs: number;
  steps: number;
  wall_s: number;
  mean_step_s: number;
  samples_per_s: number;
  peak_rss_mb: number;
  last_val_top1: number | null;
  best_val_top1: number | null;
}

/** Accuracy of a checkpoint (trainer, tfjs) or of an exported model (onnxruntime) on a labelled set. */
export interface EvalRecord extends Head<'eval'> {
  source: 'checkpoint' | 'onnx';
  model_name: string;
  /** Weights file or .onnx file evaluated, and its sha256. */
  model: string;
  model_sha256: string;
  /** Stored precision of an exported model; null for a checkpoint. */
  precision: Precision | null;
  runtime: string;
  data: string;
  labels: string;
  samples: number;
  batches: number;
  batch_size: number;
  /** Sample-weighted (correct / samples). */
  top1: number;
  top5: number;
  /** Upstream definition: unweighted mean of per-batch accuracies. */
  top1_batch_mean: number;
  top5_batch_mean: number;
  loss: number | null;
  /** Predicted top-1 class per sample, in data order. */
  predictions: number[];
  wall_s: number;
}

/** An exported inference model: files and sizes on disk, and what it was exported from. */
export interface ExportRecord extends Head<'export'> {
  model_name: string;
  precision: Precision;
  /** Output folder. */
  dir: string;
  /** File name → bytes, every file the export wrote. */
  files: Record<string, number>;
  total_bytes: number;
  source: { weights: string; sha256: string; parameters: number };
  nodes: number;
  /** File name → sha256 of every file the export wrote (the provenance gate's link to evaluations). */
  files_sha256?: Record<string, string>;
}

/** mean / percentiles of one stage in ms, with distribution-free CIs of p50 and p90. */
export interface StageSummary {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p50_ci: [number, number];
  p90_ci: [number, number];
}

/** Counts of values in `counts.length` equal-width bins covering [lo_ms, hi_ms]. */
export interface LatencyHistogram {
  lo_ms: number;
  hi_ms: number;
  counts: number[];
}

/** The predict benchmark's latency report (auto_log's figures plus percentiles and CIs). */
export interface LatencyReport extends Head<'latency'> {
  model_name: string;
  model_file: string;
  precision: Precision;
  provider: 'cpu' | 'cuda';
  batch_size: number;
  /** null = runtime default. */
  cpu_threads: number | null;
  warmup: number;
  /** Batches measured (after warm-up). */
  batches: number;
  /** Batches run, warm-up included (auto_log's data_num). */
  data_num: number;
  /** Two-sided confidence of the `*_ci` intervals. */
  confidence: number;
  /** False when fewer batches were measured than the CIs need (bounds are then the sample min/max). */
  ci_exact: boolean;
  preprocess_ms: StageSummary;
  inference_ms: StageSummary;
  postprocess_ms: StageSummary;
  /** Inference times of the measured batches in equal-width bins from lo_ms to hi_ms (report.html). */
  inference_histogram?: LatencyHistogram;
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

/** Top-k results of a predict run, one per input in order. */
export interface PredictRecord extends Head<'predict'> {
  model_name: string;
  model_file: string;
  precision: Precision;
  batch_size: number;
  benchmark: boolean;
  results: Array<{ file: string; classes: number[]; scores: number[] }>;
}

export type ChainRecord =
  | TrainStepRecord
  | TrainEpochRecord
  | ValidationRecord
  | CheckpointRecord
  | SelectedRecord
  | TrainEndRecord
  | EvalRecord
  | ExportRecord
  | LatencyReport
  | PredictRecord;

export type RecordKind = ChainRecord['kind'];
export type RecordOf<K extends RecordKind> = Extract<ChainRecord, { kind: K }>;
/** A record without its head (what producers fill in). */
export type RecordBody<K extends RecordKind> = Omit<RecordOf<K>, 'v' | 'kind'>;

// ---- schemas ---------------------------------------------------------------------------------

const num = { type: 'number' } as const;
const nonNeg = { type: 'number', minimum: 0 } as const;
const int = { type: 'integer', minimum: 0 } as const;
const str = { type: 'string' } as const;
const sha = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const unit = { type: 'number', minimum: 0, maximum: 1 } as const;
const nullableUnit = { type: ['number', 'null'], minimum: 0, maximum: 1 } as const;
const precision = { enum: ['fp32', 'fp16', 'int8'] } as const;

function rec(kind: RecordKind, props: Record<string, object>, optional: string[] = []): object {
  return {
    $id: `ctrgcn-record-${kind}-v${RECORD_VERSION}`,
    type: 'object',
    additionalProperties: false,
    required: ['v', 'kind', ...Object.keys(props).filter((k) => !optional.includes(k))],
    properties: { v: { const: RECORD_VERSION }, kind: { const: kind }, ...props },
  };
}

const ci = { type: 'array', items: nonNeg, minItems: 2, maxItems: 2 } as const;
const stage = {
  type: 'object',
  additionalProperties: false,
  required: ['mean', 'p50', 'p90', 'p99', 'p50_ci', 'p90_ci'],
  properties: { mean: nonNeg, p50: nonNeg, p90: nonNeg, p99: nonNeg, p50_ci: ci, p90_ci: ci },
} as const;

/** JSON schema of every record kind (the one format definition). */
export const RECORD_SCHEMAS: Record<RecordKind, object> = {
  train_step: rec(
    'train_step',
    {
      epoch: int,
      iter: int,
      global_step: int,
      loss: num,
      lr: nonNeg,
      top1: unit,
      top5: unit,
      batch_cost: nonNeg,
      reader_cost: nonNeg,
      ips: nonNeg,
      rss_mb: nonNeg,
      peak_rss_mb: nonNeg,
      mixup_lambda: unit,
      epochs: int,
      steps: int,
    },
    ['mixup_lambda', 'epochs', 'steps'],
  ),
  train_epoch: rec('train_epoch', {
    epoch: int,
    epochs: int,
    steps: int,
    loss_avg: num,
    top1_avg: unit,
    top5_avg: unit,
    avg_batch_cost: nonNeg,
    avg_reader_cost: nonNeg,
    batch_cost_sum: nonNeg,
    avg_ips: nonNeg,
  }),
  val: rec('val', {
    epoch: int,
    global_step: int,
    loss: { type: ['number', 'null'] },
    top1: unit,
    top5: unit,
    top1_batch_mean: unit,
    top5_batch_mean: unit,
    samples: int,
    rss_mb: nonNeg,
  }),
  checkpoint: rec('checkpoint', { epoch: int, global_step: int, tag: str, file: str }),
  selected: rec('selected', {
    rule: { enum: ['best', 'last'] },
    file: str,
    alias: str,
    epoch: int,
    val_top1: nullableUnit,
    sha256: sha,
    reason: str,
  }),
  train_end: rec('train_end', {
    model_name: str,
    epochs: int,
    steps: int,
    wall_s: nonNeg,
    mean_step_s: nonNeg,
    samples_per_s: nonNeg,
    peak_rss_mb: nonNeg,
    last_val_top1: nullableUnit,
    best_val_top1: nullableUnit,
  }),
  eval: rec('eval', {
    source: { enum: ['checkpoint', 'onnx'] },
    model_name: str,
    model: str,
    model_sha256: sha,
    precision: { enum: ['fp32', 'fp16', 'int8', null] },
    runtime: str,
    data: str,
    labels: str,
    samples: { type: 'integer', minimum: 1 },
    batches: int,
    batch_size: { type: 'integer', minimum: 1 },
    top1: unit,
    top5: unit,
    top1_batch_mean: unit,
    top5_batch_mean: unit,
    loss: { type: ['number', 'null'] },
    predictions: { type: 'array', items: int },
    wall_s: nonNeg,
  }),
  export: rec(
    'export',
    {
      model_name: str,
      precision,
      dir: str,
      files: { type: 'object', additionalProperties: int, minProperties: 1 },
      total_bytes: int,
      source: {
        type: 'object',
        additionalProperties: false,
        required: ['weights', 'sha256', 'parameters'],
        properties: { weights: str, sha256: sha, parameters: int },
      },
      nodes: int,
      files_sha256: { type: 'object', additionalProperties: sha },
    },
    ['files_sha256'],
  ),
  latency: rec(
    'latency',
    {
      model_name: { type: 'string', minLength: 1 },
      model_file: str,
      precision,
      provider: { enum: ['cpu', 'cuda'] },
      batch_size: { type: 'integer', minimum: 1 },
      cpu_threads: { type: ['integer', 'null'], minimum: 1 },
      warmup: int,
      batches: { type: 'integer', minimum: 1 },
      data_num: { type: 'integer', minimum: 1 },
      confidence: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      ci_exact: { type: 'boolean' },
      preprocess_ms: stage,
      inference_ms: stage,
      postprocess_ms: stage,
      inference_histogram: {
        type: 'object',
        additionalProperties: false,
        required: ['lo_ms', 'hi_ms', 'counts'],
        properties: { lo_ms: nonNeg, hi_ms: nonNeg, counts: { type: 'array', items: int, minItems: 1, maxItems: 200 } },
      },
      total_s: nonNeg,
      rss_mb: nonNeg,
      rss_kind: { const: 'peak' },
      runtime: str,
      input_shape: { type: 'array', items: int },
      flags: { type: 'object' },
      created: str,
    },
    ['inference_histogram'],
  ),
  predict: rec('predict', {
    model_name: str,
    model_file: str,
    precision,
    batch_size: { type: 'integer', minimum: 1 },
    benchmark: { type: 'boolean' },
    results: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['file', 'classes', 'scores'],
        properties: {
          file: str,
          classes: { type: 'array', items: int, minItems: 1 },
          scores: { type: 'array', items: unit, minItems: 1 },
        },
      },
    },
  }),
};
