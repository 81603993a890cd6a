// What a chain run measured, per unit (a trainer's save dir, or a whole_infer export dir): sizes of
// every exported artifact (from disk), accuracy of the checkpoint and of every exported model, latency
// of the model and of the reference, training's last validation and the checkpoint it selected. The
// gates judge these; the report stores them (`measurements`) for `--baseline` and `tipc compare`.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Precision, StageSummary } from '../../contracts/index.js';
import type { StepResult } from '../plan/index.js';
import type { ChainData } from './step-data.js';

export interface SizeMeasure {
  unit: string;
  /** `driver`: the plan's export; `artifact`: an extra precision of ours; `reference`: the reference model. */
  role: 'driver' | 'artifact' | 'reference';
  precision: Precision;
  dir: string;
  /** File name → bytes of every file matching the size artifact pattern. */
  files: Record<string, number>;
  totalBytes: number;
}

export interface AccuracyMeasure {
  unit: string;
  /** `checkpoint`: the driver's eval of the weights; otherwise the exported model of that precision. */
  model: 'checkpoint' | Precision;
  path: string;
  sha256: string | null;
  top1: number;
  top5: number;
  samples: number | null;
  source: 'records' | 'paddlevideo-log';
  /** Share of samples whose top-1 equals the fp32 export's (exports other than fp32). */
  agreementWithFp32?: number;
  changedVsFp32?: number;
}

/** The fields of a latency record's stage summary (wire names) as a measurement names them. */
export function latencyStage(
  i: StageSummary,
): Pick<LatencyMeasure, 'mean' | 'p50' | 'p90' | 'p50Ci' | 'p90Ci' | 'p99'> {
  return { mean: i.mean, p50: i.p50, p90: i.p90, p50Ci: i.p50_ci, p90Ci: i.p90_ci, p99: i.p99 };
}

export interface LatencyMeasure {
  unit: string;
  target: 'trained' | 'reference';
  device: 'cpu' | 'gpu';
  modelFile: string;
  threads: number | null;
  batchSize: number;
  /** Measured batches (after warm-up). */
  batches: number;
  confidence: number;
  ciExact: boolean;
  mean: number;
  p50: number;
  p90: number;
  p50Ci: [number, number];
  p90Ci: [number, number];
  p99?: number;
  /** Inference times of the measured batches (equal-width bins), when the record has them. */
  histogram?: { loMs: number; hiMs: number; counts: number[] };
}

export interface Certified {
  unit: string;
  /** The checkpoint eval/export were given. */
  checkpoint: string;
  /** `best` / `last`: training's selection (its `selected` record); `driver`: the driver's epoch-1 rule. */
  rule: 'best' | 'last' | 'driver';
  reason: string;
  sha256: string | null;
  /** The exported model whose accuracy the `accuracy` gate certifies, and its sha256 on disk. */
  artifact: string | null;
  artifactSha256: string | null;
}

export interface Measurements {
  sizes: SizeMeasure[];
  accuracy: AccuracyMeasure[];
  latency: LatencyMeasure[];
  training: Array<{ unit: string; lastValTop1: number | null; bestValTop1: number | null; steps: number | null }>;
  certified: Certified[];
}

export function globRe(pattern: string): RegExp {
  return new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
}

export function sha256Of(file: string): string | null {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** Files matching `pattern` in `dir` (plain files only), name → bytes. */
export function artifactFiles(dir: string, pattern: string): Record<string, number> {
  const re = globRe(pattern);
  const out: Record<string, number> = {};
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const f of names) {
    if (!re.test(f)) continue;
    const st = statSync(path.join(dir, f));
    if (st.isFile()) out[f] = st.size;
  }
  return out;
}

const total = (files: Record<string, number>) => Object.values(files).reduce((a, b) => a + b, 0);

/** The unit (save dir) of a driver step: its dir (train/eval/export/infer all carry the save dir). */
export function unitOf(r: StepResult): string {
  return r.unit ?? r.dir;
}

export function measure(
  results: readonly StepResult[],
  data: ChainData,
  cwd: string,
  artifactPattern: string,
  /** The export command's weights flag (params line 29, `-p`). */
  exportWeightsKey: string,
): Measurements {
  const abs = (p: string) => path.resolve(cwd, p);
  const m: Measurements = { sizes: [], accuracy: [], latency: [], training: [], certified: [] };

  for (const r of results.filter((x) => x.kind === 'export' && x.status === 'pass')) {
    const role = r.role === 'reference-export' ? 'reference' : r.origin === 'driver' ? 'driver' : 'artifact';
    const files = artifactFiles(abs(r.dir), artifactPattern);
    if (!Object.keys(files).length) continue;
    m.sizes.push({
      unit: role === 'reference' ? r.dir : unitOf(r),
      role,
      precision: r.precision ?? data.last(r.id, 'export')?.precision ?? 'fp32',
      dir: r.dir,
      files,
      totalBytes: total(files),
    });
  }

  const fp32Pred = new Map<string, number[]>();
  const evals = results.filter((x) => x.kind === 'eval' && x.status === 'pass');
  for (const r of [...evals].sort((a, b) => (a.precision === 'fp32' ? -1 : b.precision === 'fp32' ? 1 : 0))) {
    const e = data.evalOf(r.id);
    if (!e) continue;
    const model: AccuracyMeasure['model'] = r.role === 'artifact-eval' ? (r.precision ?? 'fp32') : 'checkpoint';
    const a: AccuracyMeasure = {
      unit: unitOf(r),
      model,
      path: e.record?.model ?? r.dir,
      sha256: e.record?.model_sha256 ?? null,
      top1: e.top1,
      top5: e.top5,
      samples: e.record?.samples ?? null,
      source: e.source,
    };
    const preds = e.record?.predictions;
    if (model === 'fp32' && preds) fp32Pred.set(a.unit, preds);
    else if (model !== 'checkpoint' && preds) {
      const ref = fp32Pred.get(a.unit);
      // Over the same samples only (no predictions: nothing to compare, the agreement gate fails).
      if (ref && ref.length === preds.length && preds.length > 0) {
        const changed = preds.filter((p, i) => p !== ref[i]).length;
        a.changedVsFp32 = changed;
        a.agreementWithFp32 = (preds.length - changed) / preds.length;
      }
    }
    m.accuracy.push(a);
  }

  for (const r of results.filter((x) => x.role === 'latency' && x.status === 'pass')) {
    const rec = data.last(r.id, 'latency');
    if (!rec) continue;
    const i = rec.inference_ms;
    m.latency.push({
      unit: r.target === 'reference' ? r.dir : unitOf(r),
      target: r.target ?? 'trained',
      device: rec.provider === 'cuda' ? 'gpu' : 'cpu',
      modelFile: rec.model_file,
      threads: rec.cpu_threads,
      batchSize: rec.batch_size,
      batches: rec.batches,
      confidence: rec.confidence,
      ciExact: rec.ci_exact,
      ...latencyStage(i),
      ...(rec.inference_histogram
        ? {
            histogram: {
              loMs: rec.inference_histogram.lo_ms,
              hiMs: rec.inference_histogram.hi_ms,
              counts: rec.inference_histogram.counts,
            },
          }
        : {}),
    });
  }

  for (const t of results.filter((x) => x.kind === 'train' && x.origin === 'driver')) {
    const unit = t.dir;
    const vals = data.records(t.id, 'val');
    const end = data.last(t.id, 'train_end');
    if (t.status === 'pass')
      m.training.push({
        unit,
        lastValTop1: vals.at(-1)?.top1 ?? null,
        bestValTop1: end?.best_val_top1 ?? (vals.length ? Math.max(...vals.map((v) => v.top1)) : null),
        steps: end?.steps ?? null,
      });
    const sel = data.last(t.id, 'selected');
    const exp = results.find((x) => x.kind === 'export' && x.origin === 'driver' && x.dir === unit);
    const weightsArg = exp?.argv.find((a) => a.startsWith(`${exportWeightsKey}=`));
    const given = weightsArg ? weightsArg.slice(weightsArg.indexOf('=') + 1) : null;
    const fp32 = m.accuracy.find((a) => a.unit === unit && a.model === 'fp32');
    const artifact = fp32?.path ?? null;
    const base = {
      unit,
      artifact,
      artifactSha256: artifact ? sha256Of(abs(artifact)) : null,
    };
    if (sel)
      m.certified.push({
        ...base,
        checkpoint: sel.file,
        rule: sel.rule,
        reason: `${sel.reason}; handed to eval/export as ${given ?? sel.alias}`,
        sha256: sel.sha256,
      });
    else if (given)
      m.certified.push({
        ...base,
        checkpoint: given,
        rule: 'driver',
        reason: 'the checkpoint the params file hands to eval/export (training recorded no selection)',
        sha256: sha256Of(abs(given)),
      });
  }
  return m;
}
