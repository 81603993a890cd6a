// The training loop (training.md §7–9): epochs of shuffled batches, per-step LR, mixup, logging,
// optional validation with best-model tracking, checkpoints, resume.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createModel, type CtrGcnModel } from '../model/ctrgcn.js';
import { treeFromModelSection } from '../model/variants.js';
import { batchIndices, prefetchBatches, type SkeletonDataset } from '../data/skeleton-dataset.js';
import { CodedError } from '../util/errors.js';
import {
  checkpointBase,
  epochTag,
  loadCheckpoint,
  loadWeightsInto,
  saveCheckpoint,
  shouldSave,
  type LoopState,
} from './checkpoint.js';
import { resolved, type TrainConfig } from '../config/recipe.js';
import { openSplit } from './data.js';
import { pyFloatRepr, memoryMb, type TrainLogger } from './logger.js';
import { softCrossEntropy } from './loss.js';
import { batchAccuracy, EvalAccumulator } from './metrics.js';
import { mixupBatch } from './mixup.js';
import { MomentumSgd } from './optimizer.js';
import { Rng, STREAM } from './rng.js';
import { LrSchedule } from './schedules.js';
import { selectCheckpoint } from './checkpoint.js';
import { trainStep } from './step.js';
import { removeStaleTemps, resolveResumePoint, type ResumePoint } from './resume.js';

export interface TrainOptions {
  cfg: TrainConfig;
  seed: number;
  maxIters?: number;
  validate?: boolean;
  /** Initial weights (fine-tune). */
  weights?: string;
  logger: TrainLogger;
  /** Where to resume (resolved by the caller from `resume_epoch`); default: resolved here. */
  resume?: ResumePoint & { auto: boolean };
}

export interface TrainSummary {
  modelName: string;
  outputDir: string;
  epochs: number;
  steps: number;
  lastLoss: number;
  bestTop1?: number;
  lastValTop1?: number;
  /** The checkpoint selected for evaluation and export (best by validation, else the last saved). */
  selected?: string;
  wallSec: number;
  meanStepSec: number;
  samplesPerSec: number;
  peakRssMb: number;
}

export function buildModel(cfg: TrainConfig, seed: number): CtrGcnModel {
  // The architecture is the recipe's MODEL section, whatever the variant (src/model/variants.ts).
  return createModel(treeFromModelSection(cfg.MODEL), { seed });
}

/**
 * Samples per eval-mode forward pass: a tidy forward keeps every activation alive until it returns
 * (no checkpointing in eval), ≈ 0.2 GB per sample for the light model, so passes stay ≤ 8 samples.
 */
export function evalChunk(microBatch: number): number {
  return Math.max(1, Math.min(microBatch, 8));
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
const avg = (a: number[]) => (a.length ? sum(a) / a.length : 0);

/** Validation / test pass in eval mode; `maxBatches` caps it (in-training validation under --max_iters). */
export async function evaluateSplit(
  model: CtrGcnModel,
  ds: SkeletonDataset,
  batchSize: number,
  numClasses: number,
  onBatch?: (
    i: number,
    total: number,
    r: { loss: number; top1: number; top5: number; batchCost: number; readerCost: number; size: number },
  ) => void,
  maxBatches?: number,
  chunk?: number,
): Promise<EvalAccumulator> {
  const order = Array.from({ length: ds.count }, (_, i) => i);
  let batches = batchIndices(order, batchSize, false);
  if (maxBatches !== undefined) batches = batches.slice(0, maxBatches);
  const acc = new EvalAccumulator(numClasses);
  const { C, V, M } = { C: 3, V: 25, M: 2 };
  const W = ds.opts.pipeline.window;
  let tic = performance.now();
  for await (const b of prefetchBatches(ds, batches)) {
    const n = b.labels.length;
    // Forward in chunks: a tidy forward holds every activation until it returns, so memory
    // grows with the chunk, not with the logged batch.
    const per = C * W * V * M;
    const step = Math.max(1, Math.min(chunk ?? n, n));
    const logits = new Float32Array(n * numClasses);
    for (let a = 0; a < n; a += step) {
      const m = Math.min(step, n - a);
      const z = tf.tidy(() =>
        model.forward(tf.tensor(b.data.subarray(a * per, (a + m) * per), [m, C, W, V, M], 'float32'), {
          training: false,
        }),
      );
      logits.set(z.dataSync(), a * numClasses);
      z.dispose();
    }
    const loss = tf.tidy(() => {
      const z = tf.tensor2d(logits, [n, numClasses]);
      const oneHot = tf.oneHot(tf.tensor1d(b.labels, 'int32'), numClasses).toFloat() as tf.Tensor2D;
      return softCrossEntropy(z, oneHot).dataSync()[0];
    });
    const r = acc.add(logits, b.labels, loss);
    const now = performance.now();
    onBatch?.(b.batchIndex, batches.length, {
      loss,
      ...r,
      batchCost: (now - tic) / 1000,
      readerCost: b.readerCost,
      size: n,
    });
    tic = now;
  }
  return acc;
}

export async function train(opts: TrainOptions): Promise<TrainSummary> {
  const { cfg, seed, logger } = opts;
  const R = resolved(cfg);
  const t0 = performance.now();
  fs.mkdirSync(R.outputDir, { recursive: true });
  const bs = R.batchSize;
  if (bs % R.accumSteps !== 0)
    throw new CodedError(
      'E_CONFIG_INVALID',
      `DATASET.batch_size (${bs}) must be divisible by DATASET.accum_steps (${R.accumSteps})`,
      2,
    );
  const trainDs = openSplit(cfg, 'train');
  let validDs: SkeletonDataset | undefined;
  const n = Math.floor(trainDs.count / bs);
  try {
    if (n < 1)
      throw new CodedError(
        'E_DATA_FORMAT',
        `${trainDs.dataPath}: ${trainDs.count} samples are fewer than one batch of ${bs}`,
      );
    validDs = opts.validate ? openSplit(cfg, 'valid') : undefined;
  } catch (e) {
    await trainDs.close();
    throw e;
  }
  const schedule = new LrSchedule(cfg.OPTIMIZER.learning_rate, n, { epochs: R.epochs, maxIters: opts.maxIters });
  const model = buildModel(cfg, seed);
  const opt = new MomentumSgd({ momentum: R.momentum, nesterov: R.nesterov, weightDecay: R.weightDecay });
  const W = trainDs.opts.pipeline.window;
  const shape: [number, number, number, number, number] = [bs, 3, W, 25, 2];

  let startEpoch = 0;
  let globalStep = 0;
  let bestTop1: number | undefined;
  let bestEpoch: number | undefined;
  let lastSaved: { epoch: number; file: string } | undefined;
  const summary: TrainSummary = {
    modelName: R.modelName,
    outputDir: R.outputDir,
    epochs: R.epochs,
    steps: 0,
    lastLoss: NaN,
    wallSec: 0,
    meanStepSec: 0,
    samplesPerSec: 0,
    peakRssMb: 0,
  };
  const stepTimes: number[] = [];
  try {
    if (opts.weights) {
      loadWeightsInto(model, opts.weights);
      logger.info(`Loaded weights from ${opts.weights}`);
    }
    for (const f of removeStaleTemps(R.outputDir, R.modelName))
      logger.info(`Removed ${f}, left by a run that stopped while writing it`);
    const resume = opts.resume ?? resolveResumePoint(R.resumeEpoch, R.outputDir, R.modelName);
    for (const s of resume.skipped) logger.warn(`not resuming from ${s}`);
    if (resume.auto && resume.epoch === 0)
      logger.info(`resume_epoch=auto: no complete epoch checkpoint in ${R.outputDir}; starting from epoch 1`);
    if (resume.epoch > 0) {
      const base = checkpointBase(R.outputDir, R.modelName, epochTag(resume.epoch));
      const st = loadCheckpoint(base, model, opt);
      if (st.seed !== seed)
        logger.warn(`resuming with --seed ${seed}, the checkpoint was trained with --seed ${st.seed}`);
      if (st.epoch !== resume.epoch)
        throw new CodedError(
          'E_CHECKPOINT_INVALID',
          `${base}: its loop state says epoch ${st.epoch}, not ${resume.epoch}`,
        );
      startEpoch = resume.epoch;
      globalStep = st.globalStep;
      bestTop1 = st.bestTop1;
      bestEpoch = st.bestEpoch;
      logger.info(`Resumed from ${base} (epoch ${st.epoch}, step ${st.globalStep})`);
    }
    logger.info(
      `Training ${R.modelName}: ${trainDs.count} samples, batch ${bs}${R.accumSteps > 1 ? ` (${R.accumSteps} micro-batches of ${bs / R.accumSteps})` : ''}, ` +
        `${n} iterations/epoch${opts.maxIters !== undefined ? ` (capped at ${opts.maxIters} by --max_iters)` : ''}, ${R.epochs} epochs, seed ${seed}, backend ${tf.getBackend()}`,
    );
    let runBatchTime = 0;
    let runSteps = 0;
    for (let epoch = startEpoch; epoch < R.epochs; epoch++) {
      const order = new Rng(seed, STREAM.shuffle, epoch).permutation(trainDs.count);
      let batches = batchIndices(order, bs, true);
      if (opts.maxIters !== undefined) batches = batches.slice(0, Math.max(0, opts.maxIters));
      const rec = {
        loss: [] as number[],
        top1: [] as number[],
        top5: [] as number[],
        batch: [] as number[],
        reader: [] as number[],
      };
      let tic = performance.now();
      for await (const b of prefetchBatches(
        trainDs,
        batches,
        (k, slot) => new Rng(seed, STREAM.augment, epoch, k, slot),
      )) {
        const i = b.batchIndex;
        const lr = schedule.lrFor(epoch, globalStep);
        let data = b.data;
        let mix: { mixLabels: Int32Array; lambda: number } | undefined;
        if (R.mixupAlpha) {
          const m = mixupBatch(b.data, b.labels, R.mixupAlpha, new Rng(seed, STREAM.mixup, epoch, i));
          data = m.data;
          mix = { mixLabels: m.mixLabels, lambda: m.lambda };
        }
        const s0 = performance.now();
        const r = trainStep(
          model,
          opt,
          { data, shape, targets: { labels: b.labels, ...mix } },
          R.lsEps,
          lr,
          R.accumSteps,
        );
        globalStep++;
        const now = performance.now();
        stepTimes.push((now - s0) / 1000);
        const batchCost = (now - tic) / 1000;
        tic = now;
        runBatchTime += batchCost;
        runSteps++;
        const top1 = batchAccuracy(r.logits, r.numClasses, b.labels, 1, mix);
        const top5 = batchAccuracy(r.logits, r.numClasses, b.labels, Math.min(5, r.numClasses), mix);
        rec.loss.push(r.loss);
        rec.top1.push(top1);
        rec.top5.push(top5);
        rec.batch.push(batchCost);
        rec.reader.push(b.readerCost);
        summary.lastLoss = r.loss;
        logger.progress(`epoch ${epoch + 1}/${R.epochs}`, i + 1, batches.length);
        if (i % R.logInterval === 0) {
          const p = (i + 1 + epoch * n) / (n * R.epochs);
          // ETA = mean batch time of this run × the remaining share of n·epochs steps; without resume
          // this is S·(1−p)/p with S summed over the whole run (upstream: current epoch only, §7).
          const etaSec = (runBatchTime / runSteps) * n * R.epochs * (1 - p);
          const mem = memoryMb();
          logger.info(
            logger.batchLine({
              epoch: epoch + 1,
              epochs: R.epochs,
              mode: 'train',
              step: i,
              loss: r.loss,
              lr,
              top1,
              top5,
              batchCost,
              readerCost: b.readerCost,
              batchSize: bs,
              etaSec,
            }),
          );
          logger.record('train_step', {
            epoch: epoch + 1,
            iter: i,
            global_step: globalStep,
            loss: r.loss,
            lr,
            top1,
            top5,
            batch_cost: batchCost,
            reader_cost: b.readerCost,
            ips: bs / batchCost,
            rss_mb: Math.round(mem.rss),
            peak_rss_mb: Math.round(mem.peak),
            ...(mix ? { mixup_lambda: mix.lambda } : {}),
            epochs: R.epochs,
            steps: batches.length,
          });
        }
      }
      const batchSum = sum(rec.batch);
      logger.info(
        logger.epochLine({
          epoch: epoch + 1,
          mode: 'train',
          lossAvg: avg(rec.loss),
          top1Avg: avg(rec.top1),
          top5Avg: avg(rec.top5),
          avgBatchCost: avg(rec.batch),
          avgReaderCost: avg(rec.reader),
          batchCostSum: batchSum,
          avgIps: batchSum > 0 ? (bs * rec.batch.length) / batchSum : 0,
        }),
      );
      logger.record('train_epoch', {
        epoch: epoch + 1,
        epochs: R.epochs,
        steps: rec.batch.length,
        loss_avg: avg(rec.loss),
        top1_avg: avg(rec.top1),
        top5_avg: avg(rec.top5),
        avg_batch_cost: avg(rec.batch),
        avg_reader_cost: avg(rec.reader),
        batch_cost_sum: batchSum,
        avg_ips: batchSum > 0 ? (bs * rec.batch.length) / batchSum : 0,
      });

      if (validDs) {
        const vrec = { batch: [] as number[], reader: [] as number[] };
        const acc = await evaluateSplit(
          model,
          validDs,
          R.validBatchSize,
          R.numClasses,
          (vi, _total, v) => {
            vrec.batch.push(v.batchCost);
            vrec.reader.push(v.readerCost);
            if (vi % R.logInterval === 0) {
              logger.info(
                logger.batchLine({
                  epoch: epoch + 1,
                  epochs: R.epochs,
                  mode: 'val',
                  step: vi,
                  loss: v.loss,
                  top1: v.top1,
                  top5: v.top5,
                  batchCost: v.batchCost,
                  readerCost: v.readerCost,
                  batchSize: v.size,
                }),
              );
            }
          },
          opts.maxIters,
          evalChunk(bs / R.accumSteps),
        );
        const s = acc.summary();
        const vsum = sum(vrec.batch);
        // Our val averages are sample-weighted (upstream: mean of batch means, §10).
        logger.info(
          logger.epochLine({
            epoch: epoch + 1,
            mode: 'val',
            lossAvg: s.loss ?? 0,
            top1Avg: s.top1,
            top5Avg: s.top5,
            avgBatchCost: avg(vrec.batch),
            avgReaderCost: avg(vrec.reader),
            batchCostSum: vsum,
            avgIps: vsum > 0 ? s.samples / vsum : 0,
          }),
        );
        logger.record('val', {
          epoch: epoch + 1,
          global_step: globalStep,
          loss: s.loss ?? null,
          top1: s.top1,
          top5: s.top5,
          top1_batch_mean: s.top1_batch_mean,
          top5_batch_mean: s.top5_batch_mean,
          samples: s.samples,
          rss_mb: Math.round(memoryMb().rss),
        });
        summary.lastValTop1 = s.top1;
        if (bestTop1 === undefined || s.top1 > bestTop1) {
          bestTop1 = s.top1;
          bestEpoch = epoch + 1;
          const state: LoopState = { epoch: epoch + 1, globalStep, seed, bestTop1, bestEpoch };
          const base = checkpointBase(R.outputDir, R.modelName, 'best');
          saveCheckpoint(base, model, opt, state, { model_name: R.modelName });
          logger.record('checkpoint', {
            epoch: epoch + 1,
            global_step: globalStep,
            tag: 'best',
            file: `${base}.pdparams`,
          });
          logger.info(`Already save the best model (top1 acc)${pyFloatRepr(Math.floor(bestTop1 * 1e4) / 1e4)}`);
        }
      }

      if (shouldSave(epoch, R.saveInterval, R.epochs)) {
        const state: LoopState = { epoch: epoch + 1, globalStep, seed, bestTop1, bestEpoch };
        const base = checkpointBase(R.outputDir, R.modelName, epochTag(epoch + 1));
        saveCheckpoint(base, model, opt, state, { model_name: R.modelName });
        lastSaved = { epoch: epoch + 1, file: `${base}.pdparams` };
        logger.record('checkpoint', {
          epoch: epoch + 1,
          global_step: globalStep,
          tag: epochTag(epoch + 1),
          file: `${base}.pdparams`,
        });
      }
    }
    const sel = selectCheckpoint({
      outputDir: R.outputDir,
      modelName: R.modelName,
      epochs: R.epochs,
      best: bestTop1 !== undefined ? { epoch: bestEpoch ?? 0, top1: bestTop1 } : undefined,
      last: lastSaved,
    });
    if (sel) {
      logger.record('selected', sel);
      logger.info(`Selected ${sel.file} for evaluation and export (${sel.reason}); copy: ${sel.alias}`);
      summary.selected = sel.file;
    }
    logger.info(`training ${R.modelName} finished`);
  } finally {
    summary.steps = stepTimes.length;
    summary.bestTop1 = bestTop1;
    summary.wallSec = (performance.now() - t0) / 1000;
    summary.meanStepSec = avg(stepTimes.slice(Math.min(2, stepTimes.length - 1)));
    summary.samplesPerSec = summary.meanStepSec > 0 ? bs / summary.meanStepSec : 0;
    summary.peakRssMb = memoryMb().peak;
    opt.dispose();
    model.dispose();
    await trainDs.close();
    await validDs?.close();
  }
  logger.record('train_end', {
    model_name: summary.modelName,
    epochs: summary.epochs,
    steps: summary.steps,
    wall_s: summary.wallSec,
    mean_step_s: summary.meanStepSec,
    samples_per_s: summary.samplesPerSec,
    peak_rss_mb: summary.peakRssMb,
    last_val_top1: summary.lastValTop1 ?? null,
    best_val_top1: summary.bestTop1 ?? null,
  });
  return summary;
}
