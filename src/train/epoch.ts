// One epoch of the training loop (training.md §7–9): its shuffled batches through mixup and the
// optimiser step with their PaddleVideo log lines and chain records, then the validation pass with
// best-model tracking. The loop (loop.ts) owns the run; these functions advance it.
import type { CtrGcnModel } from '../model/ctrgcn.js';
import { batchIndices, prefetchBatches, type SkeletonDataset } from '../data/skeleton-dataset.js';
import type { ResolvedConfig } from '../config/recipe.js';
import { checkpointBase, saveCheckpoint, type LoopState } from './checkpoint.js';
import { evalChunk, evaluateSplit } from './eval-pass.js';
import { pyFloatRepr, memoryMb, type TrainLogger } from './logger.js';
import { batchAccuracy } from './metrics.js';
import { mixupBatch } from './mixup.js';
import type { MomentumSgd } from './optimizer.js';
import { Rng, STREAM } from './rng.js';
import type { LrSchedule } from './schedules.js';
import { trainStep } from './step.js';

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

/** A training run in progress: what it trains, on what, and where it stands. */
export interface TrainRun {
  R: ResolvedConfig;
  seed: number;
  logger: TrainLogger;
  maxIters?: number;
  model: CtrGcnModel;
  opt: MomentumSgd;
  schedule: LrSchedule;
  trainDs: SkeletonDataset;
  validDs?: SkeletonDataset;
  /** Iterations of a full epoch (the LR schedule's and the ETA's unit). */
  itersPerEpoch: number;
  shape: [number, number, number, number, number];
  state: { globalStep: number; bestTop1?: number; bestEpoch?: number; lastSaved?: { epoch: number; file: string } };
  /** Step times of this process (for the summary) and batch times since it started (for the ETA). */
  timing: { stepTimes: number[]; runBatchTime: number; runSteps: number };
  summary: TrainSummary;
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
export const avg = (a: number[]) => (a.length ? sum(a) / a.length : 0);

interface StepOutcome {
  index: number;
  steps: number;
  loss: number;
  lr: number;
  top1: number;
  top5: number;
  batchCost: number;
  readerCost: number;
  mixLambda?: number;
}

interface EpochTotals {
  loss: number[];
  top1: number[];
  top5: number[];
  batch: number[];
  reader: number[];
}

/** The epoch's batches: a seeded shuffle, full batches only, capped by --max_iters. */
function epochBatches(run: TrainRun, epoch: number): number[][] {
  const order = new Rng(run.seed, STREAM.shuffle, epoch).permutation(run.trainDs.count);
  const batches = batchIndices(order, run.R.batchSize, true);
  return run.maxIters !== undefined ? batches.slice(0, Math.max(0, run.maxIters)) : batches;
}

/** Mixes the batch with a seeded partner permutation when the recipe asks for mixup. */
function mixed(run: TrainRun, epoch: number, i: number, data: Float32Array, labels: Int32Array) {
  if (!run.R.mixupAlpha) return { data, mix: undefined };
  const m = mixupBatch(data, labels, run.R.mixupAlpha, new Rng(run.seed, STREAM.mixup, epoch, i));
  return { data: m.data, mix: { mixLabels: m.mixLabels, lambda: m.lambda } };
}

/** The batch line and the `train_step` record of one logged step. */
function logStep(run: TrainRun, epoch: number, s: StepOutcome): void {
  const { R, logger, itersPerEpoch: n } = run;
  const p = (s.index + 1 + epoch * n) / (n * R.epochs);
  // ETA = mean batch time of this run × the remaining share of n·epochs steps; without resume
  // this is S·(1−p)/p with S summed over the whole run (upstream: current epoch only, §7).
  const etaSec = (run.timing.runBatchTime / run.timing.runSteps) * n * R.epochs * (1 - p);
  const mem = memoryMb();
  const { index: step, loss, lr, top1, top5, batchCost, readerCost } = s;
  logger.info(
    logger.batchLine({
      epoch: epoch + 1,
      epochs: R.epochs,
      mode: 'train',
      ...{ step, loss, lr, top1, top5, batchCost, readerCost },
      batchSize: R.batchSize,
      etaSec,
    }),
  );
  logger.record('train_step', {
    epoch: epoch + 1,
    iter: step,
    global_step: run.state.globalStep,
    ...{ loss, lr, top1, top5 },
    batch_cost: batchCost,
    reader_cost: readerCost,
    ips: R.batchSize / batchCost,
    rss_mb: Math.round(mem.rss),
    peak_rss_mb: Math.round(mem.peak),
    ...(s.mixLambda !== undefined ? { mixup_lambda: s.mixLambda } : {}),
    epochs: R.epochs,
    steps: s.steps,
  });
}

/** The `END epoch` line and the `train_epoch` record. */
function logEpochEnd(run: TrainRun, epoch: number, t: EpochTotals): void {
  const { R, logger } = run;
  const batchSum = sum(t.batch);
  const avgIps = batchSum > 0 ? (R.batchSize * t.batch.length) / batchSum : 0;
  logger.info(
    logger.epochLine({
      epoch: epoch + 1,
      mode: 'train',
      lossAvg: avg(t.loss),
      top1Avg: avg(t.top1),
      top5Avg: avg(t.top5),
      avgBatchCost: avg(t.batch),
      avgReaderCost: avg(t.reader),
      batchCostSum: batchSum,
      avgIps,
    }),
  );
  logger.record('train_epoch', {
    epoch: epoch + 1,
    epochs: R.epochs,
    steps: t.batch.length,
    loss_avg: avg(t.loss),
    top1_avg: avg(t.top1),
    top5_avg: avg(t.top5),
    avg_batch_cost: avg(t.batch),
    avg_reader_cost: avg(t.reader),
    batch_cost_sum: batchSum,
    avg_ips: avgIps,
  });
}

/** One epoch of optimiser steps, logged as PaddleVideo logs them. */
export async function trainEpoch(run: TrainRun, epoch: number): Promise<void> {
  const { R, seed, logger } = run;
  const batches = epochBatches(run, epoch);
  const totals: EpochTotals = { loss: [], top1: [], top5: [], batch: [], reader: [] };
  let tic = performance.now();
  const augmentRng = (k: number, slot: number) => new Rng(seed, STREAM.augment, epoch, k, slot);
  for await (const b of prefetchBatches(run.trainDs, batches, augmentRng)) {
    const i = b.batchIndex;
    const lr = run.schedule.lrFor(epoch, run.state.globalStep);
    const { data, mix } = mixed(run, epoch, i, b.data, b.labels);
    const s0 = performance.now();
    const batch = { data, shape: run.shape, targets: { labels: b.labels, ...mix } };
    const r = trainStep(run.model, run.opt, batch, R.lsEps, lr, R.accumSteps);
    run.state.globalStep++;
    const now = performance.now();
    run.timing.stepTimes.push((now - s0) / 1000);
    const batchCost = (now - tic) / 1000;
    tic = now;
    run.timing.runBatchTime += batchCost;
    run.timing.runSteps++;
    const top1 = batchAccuracy(r.logits, r.numClasses, b.labels, 1, mix);
    const top5 = batchAccuracy(r.logits, r.numClasses, b.labels, Math.min(5, r.numClasses), mix);
    totals.loss.push(r.loss);
    totals.top1.push(top1);
    totals.top5.push(top5);
    totals.batch.push(batchCost);
    totals.reader.push(b.readerCost);
    run.summary.lastLoss = r.loss;
    logger.progress(`epoch ${epoch + 1}/${R.epochs}`, i + 1, batches.length);
    if (i % R.logInterval === 0)
      logStep(run, epoch, {
        ...{ index: i, steps: batches.length, loss: r.loss, lr, top1, top5, batchCost },
        readerCost: b.readerCost,
        mixLambda: mix?.lambda,
      });
  }
  logEpochEnd(run, epoch, totals);
}

/** The validation pass after an epoch: its lines, its record, and a `best` checkpoint when it improved. */
export async function validateEpoch(run: TrainRun, epoch: number, validDs: SkeletonDataset): Promise<void> {
  const { R, logger } = run;
  const times = { batch: [] as number[], reader: [] as number[] };
  const acc = await evaluateSplit(
    run.model,
    validDs,
    R.validBatchSize,
    R.numClasses,
    (vi, _total, v) => {
      times.batch.push(v.batchCost);
      times.reader.push(v.readerCost);
      if (vi % R.logInterval === 0)
        logger.info(
          logger.batchLine({
            ...{ epoch: epoch + 1, epochs: R.epochs, mode: 'val', step: vi, loss: v.loss },
            ...{ top1: v.top1, top5: v.top5, batchCost: v.batchCost, readerCost: v.readerCost, batchSize: v.size },
          }),
        );
    },
    run.maxIters,
    evalChunk(R.batchSize / R.accumSteps),
  );
  const s = acc.summary();
  const vsum = sum(times.batch);
  // Our val averages are sample-weighted (upstream: mean of batch means, §10).
  logger.info(
    logger.epochLine({
      ...{ epoch: epoch + 1, mode: 'val', lossAvg: s.loss ?? 0, top1Avg: s.top1, top5Avg: s.top5 },
      ...{ avgBatchCost: avg(times.batch), avgReaderCost: avg(times.reader), batchCostSum: vsum },
      avgIps: vsum > 0 ? s.samples / vsum : 0,
    }),
  );
  logger.record('val', {
    epoch: epoch + 1,
    global_step: run.state.globalStep,
    loss: s.loss ?? null,
    ...{ top1: s.top1, top5: s.top5, top1_batch_mean: s.top1_batch_mean, top5_batch_mean: s.top5_batch_mean },
    samples: s.samples,
    rss_mb: Math.round(memoryMb().rss),
  });
  run.summary.lastValTop1 = s.top1;
  if (run.state.bestTop1 === undefined || s.top1 > run.state.bestTop1) saveBest(run, epoch, s.top1);
}

/** The `best` checkpoint of a validation that improved on every earlier one. */
function saveBest(run: TrainRun, epoch: number, top1: number): void {
  const { R, state } = run;
  state.bestTop1 = top1;
  state.bestEpoch = epoch + 1;
  const loop: LoopState = {
    epoch: epoch + 1,
    globalStep: state.globalStep,
    seed: run.seed,
    bestTop1: top1,
    bestEpoch: epoch + 1,
  };
  const base = checkpointBase(R.outputDir, R.modelName, 'best');
  saveCheckpoint(base, run.model, run.opt, loop, { model_name: R.modelName });
  run.logger.record('checkpoint', {
    epoch: epoch + 1,
    global_step: state.globalStep,
    tag: 'best',
    file: `${base}.pdparams`,
  });
  run.logger.info(`Already save the best model (top1 acc)${pyFloatRepr(Math.floor(top1 * 1e4) / 1e4)}`);
}
