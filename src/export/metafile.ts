// `metafile.yml` beside an export, in the OpenMMLab / Papers-with-Code model-index style:
// Collections (the CTR-GCN family) and Models → Name, In Collection, Config, Metadata (parameters,
// FLOPs/GMACs, file sizes, training data), Results (task, dataset, metrics when known), Weights.
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { ModelSummary } from '../model/summary.js';
import type { Recipe } from './recipe.js';

export const COLLECTION = 'CTR-GCN';

export interface KnownMetrics {
  /** Where the numbers were measured (data file). */
  dataset: string;
  samples: number;
  /** Fractions in [0, 1]. */
  top1: number;
  top5?: number;
  source: string;
}

export interface MetafileInput {
  recipe: Recipe;
  summary: ModelSummary;
  precision: string;
  files: Record<string, number>;
  weightsFile: string;
  sourceWeights: { file: string; sha256: string };
  metrics?: KnownMetrics;
}

/** `NTU RGB+D 60 (X-sub, joint)` from the recipe's classes, data path and modality transform. */
export function trainingData(r: Recipe): string {
  const cfg = r.config;
  const file = cfg.DATASET.train.file_path;
  const bench = /xview/i.test(file) ? 'X-view' : /xsub/i.test(file) ? 'X-sub' : undefined;
  const modality = cfg.PIPELINE.train.transform?.find((t) => t.SketeonModalityTransform)?.SketeonModalityTransform;
  const mods = modality ? (['joint', 'bone', 'motion'] as const).filter((k) => modality[k]) : ['joint'];
  const set = r.tree.numClass === 60 ? 'NTU RGB+D 60' : `${r.tree.numClass}-class skeleton data`;
  return `${set} (${[bench, mods.join('+')].filter(Boolean).join(', ')})`;
}

const pct = (x: number) => Number((x * 100).toFixed(3));

export function metafileDocument(m: MetafileInput): unknown {
  const r = m.recipe;
  const s = m.summary;
  const cfg = r.config;
  const gmacs = Number((s.macsPerSample / 1e9).toFixed(3));
  const metadata: Record<string, unknown> = {
    Variant: r.tree.variant,
    Backbone: r.tree.backbone,
    'Base Channel': r.tree.baseChannel,
    ...(s.customised.length ? { Customised: s.customised } : {}),
    Parameters: s.trainable,
    'Persistable Parameters': s.persistable,
    // The CTR-GCN paper's "FLOPs" are multiply-accumulates; both keys carry that figure.
    FLOPs: `${gmacs}G`,
    GMACs: gmacs,
    'Input Shape': ['N', r.tree.inChannels, r.inference.window, r.tree.numPoint, r.tree.numPerson],
    Precision: m.precision,
    'File Size': m.files,
    'Total File Size': Object.values(m.files).reduce((a, b) => a + b, 0),
    'Training Data': trainingData(r),
    Epochs: cfg.epochs,
    'Batch Size': cfg.DATASET.batch_size,
    'Recipe sha256': r.digest,
  };
  const result: Record<string, unknown> = {
    Task: 'Skeleton-based Action Recognition',
    Dataset: m.metrics ? m.metrics.dataset : trainingData(r),
  };
  if (m.metrics)
    result.Metrics = {
      'Top 1 Accuracy': pct(m.metrics.top1),
      ...(m.metrics.top5 !== undefined ? { 'Top 5 Accuracy': pct(m.metrics.top5) } : {}),
      Samples: m.metrics.samples,
      Source: m.metrics.source,
    };
  return {
    Collections: [
      {
        Name: COLLECTION,
        Metadata: {
          'Training Data': 'NTU RGB+D 60',
          Architecture: ['CTR-GC (channel-wise topology refinement graph convolution)', 'multi-scale temporal conv'],
        },
        Paper: {
          Title: 'Channel-wise Topology Refinement Graph Convolution for Skeleton-Based Action Recognition',
          URL: 'https://arxiv.org/abs/2107.12213',
        },
      },
    ],
    Models: [
      {
        Name: r.modelName,
        'In Collection': COLLECTION,
        Config: r.file,
        Metadata: metadata,
        Results: [result],
        Weights: m.weightsFile,
        'Source Weights': m.sourceWeights,
      },
    ],
  };
}

export function metafileYaml(m: MetafileInput): string {
  return YAML.stringify(metafileDocument(m), { lineWidth: 0 });
}

/**
 * Metrics of the checkpoint when an evaluation of exactly that file is on record: the
 * `eval_metrics.json` that `ctrgcn eval` writes next to the weights.
 */
export function recordedEvalMetrics(weights: string): KnownMetrics | undefined {
  const file = path.join(path.dirname(weights), 'eval_metrics.json');
  if (!fs.existsSync(file)) return undefined;
  try {
    const e = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      weights?: string;
      data?: string;
      samples?: number;
      top1?: number;
      top5?: number;
    };
    if (!e.weights || path.resolve(e.weights) !== path.resolve(weights) || typeof e.top1 !== 'number') return undefined;
    // An evaluation older than the weights measured an earlier file of the same name.
    if (fs.statSync(file).mtimeMs < fs.statSync(weights).mtimeMs) return undefined;
    return { dataset: e.data ?? '', samples: e.samples ?? 0, top1: e.top1, top5: e.top5, source: file };
  } catch {
    return undefined;
  }
}
