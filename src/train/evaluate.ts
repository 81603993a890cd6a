// `--test`: evaluate weights on the whole test split (training.md §10). Primary metric is
// sample-weighted; the upstream mean of per-batch accuracies is reported alongside.
import crypto from 'node:crypto';
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { CodedError } from '../util/errors.js';
import { loadWeightsInto } from './checkpoint.js';
import { resolved, type TrainConfig } from '../config/recipe.js';
import { openSplit } from './data.js';
import { pyFloatRepr, type TrainLogger } from './logger.js';
import { evalChunk, evaluateSplit } from './eval-pass.js';
import { buildModel } from './loop.js';

export interface EvalOptions {
  cfg: TrainConfig;
  weights: string;
  logger: TrainLogger;
  /** Where eval_metrics.json goes (default: the weights' folder). */
  outputDir?: string;
}

export async function evaluate(opts: EvalOptions) {
  const { cfg, logger } = opts;
  const R = resolved(cfg);
  if (!fs.existsSync(opts.weights))
    throw new CodedError('E_WEIGHTS_MISSING', `weights file not found: ${opts.weights}`);
  const ds = openSplit(cfg, 'test');
  const model = buildModel(cfg, 0);
  const t0 = performance.now();
  try {
    loadWeightsInto(model, opts.weights, true);
    const bs = R.testBatchSize;
    // Upstream prints the batch id over ⌊N / bs⌋ (X-sub val: …/257 with the last id 257).
    const shown = Math.floor(ds.count / bs);
    const acc = await evaluateSplit(
      model,
      ds,
      bs,
      R.numClasses,
      (i) => {
        logger.progress('test', i + 1, Math.ceil(ds.count / bs));
        logger.info(`[TEST] Processing batch ${i}/${shown} ...`);
      },
      undefined,
      evalChunk(R.batchSize / R.accumSteps),
    );
    const s = acc.summary();
    const wall = (performance.now() - t0) / 1000;
    logger.info(
      `[TEST] metric: avg_acc1 / avg_acc5 below are sample-weighted (correct / ${s.samples} samples); ` +
        `upstream mean of ${s.batches} per-batch accuracies: top1_batch_mean= ${pyFloatRepr(s.top1_batch_mean)}, top5_batch_mean= ${pyFloatRepr(s.top5_batch_mean)}`,
    );
    logger.info(`[TEST] finished, avg_acc1= ${pyFloatRepr(s.top1)}, avg_acc5= ${pyFloatRepr(s.top5)}`);
    const outDir = opts.outputDir ?? path.dirname(opts.weights);
    const file = path.join(outDir, 'eval_metrics.json');
    const report = {
      model_name: R.modelName,
      weights: opts.weights,
      data: ds.dataPath,
      labels: ds.labelPath,
      batch_size: bs,
      wall_sec: wall,
      ...s,
    };
    writeFileAtomic(file, JSON.stringify(report, null, 2) + '\n');
    logger.record('eval', {
      source: 'checkpoint',
      model_name: R.modelName,
      model: opts.weights,
      model_sha256: crypto.createHash('sha256').update(fs.readFileSync(opts.weights)).digest('hex'),
      precision: null,
      runtime: `@tensorflow/tfjs ${tf.version.tfjs} (${tf.getBackend()})`,
      data: ds.dataPath,
      labels: ds.labelPath,
      samples: s.samples,
      batches: s.batches,
      batch_size: bs,
      top1: s.top1,
      top5: s.top5,
      top1_batch_mean: s.top1_batch_mean,
      top5_batch_mean: s.top5_batch_mean,
      loss: s.loss ?? null,
      predictions: acc.predictions,
      wall_s: wall,
    });
    logger.info(`Evaluation summary written to ${file}`);
    return report;
  } finally {
    model.dispose();
    await ds.close();
  }
}
