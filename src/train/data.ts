// Recipe → datasets and per-sample pipelines (training.md §2).
import type { SamplePipelineOptions } from '../data/augment.js';
import { SkeletonDataset } from '../data/skeleton-dataset.js';
import { CodedError } from '../util/errors.js';
import type { PipelineSplit, TrainConfig } from '../config/recipe.js';

export type SplitName = 'train' | 'valid' | 'test';

/** Pipeline options from a PIPELINE.<split> section. */
export function pipelineOptions(p: PipelineSplit): SamplePipelineOptions {
  const steps = p.transform ?? [];
  const rot = steps.find((s) => 'RandomRotation' in s)?.RandomRotation;
  const modality = steps.find((s) => 'SketeonModalityTransform' in s)?.SketeonModalityTransform;
  const rotationOn = rot !== undefined && (rot === null || rot.argument !== false);
  return {
    window: p.sample.window_size,
    pInterval: p.sample.p_interval,
    rotation: rotationOn ? (rot?.theta ?? 0.3) : 0,
    bone: modality?.bone === true,
    motion: modality?.motion === true,
  };
}

export function openSplit(cfg: TrainConfig, split: SplitName): SkeletonDataset {
  const d =
    split === 'test'
      ? (cfg.DATASET.test ?? cfg.DATASET.valid)
      : split === 'valid'
        ? (cfg.DATASET.valid ?? cfg.DATASET.test)
        : cfg.DATASET.train;
  const p =
    split === 'train'
      ? cfg.PIPELINE.train
      : split === 'valid'
        ? (cfg.PIPELINE.valid ?? cfg.PIPELINE.test)
        : (cfg.PIPELINE.test ?? cfg.PIPELINE.valid);
  if (!d) throw new CodedError('E_CONFIG_INVALID', `the recipe has no DATASET.${split} section`, 2);
  if (!p) throw new CodedError('E_CONFIG_INVALID', `the recipe has no PIPELINE.${split} section`, 2);
  const opts = pipelineOptions(p);
  if (split !== 'train' && (opts.pInterval.length !== 1 || opts.rotation)) {
    throw new CodedError(
      'E_CONFIG_INVALID',
      `PIPELINE.${split}: evaluation needs a single-value p_interval and no rotation`,
      2,
    );
  }
  return new SkeletonDataset(d.file_path, d.label_path, { pipeline: opts, numClasses: cfg.MODEL.head.num_classes });
}
