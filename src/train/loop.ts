// The training loop (training.md §7–9), as a list of named steps: open the data, build the model and
// optimiser, load initial weights or resume, then per epoch train (epoch.ts), validate with best-model
// tracking, save the epoch's checkpoint; finally select the checkpoint for evaluation and export.
import fs from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createModel, type CtrGcnModel } from '../model/ctrgcn.js';
import { treeFromModelSection } from '../model/variants.js';
import type { SkeletonDataset } from '../data/skeleton-dataset.js';
import { CodedError } from '../util/errors.js';
import {
  checkpointBase,
  epochTag,
  loadCheckpoint,
  loadWeightsInto,
  saveCheckpoint,
  selectCheckpoint,
  shouldSave,
  type LoopState,
} from './checkpoint.js';
import { resolved, type ResolvedConfig, type TrainConfig } from '../config/recipe.js';
import { openSplit } from './data.js';
import { avg, trainEpoch, validateEpoch, type TrainRun, type TrainSummary } from './epoch.js';
import { memoryMb, type TrainLogger } from './logger.js';
import { MomentumSgd } from './optimizer.js';
import { LrSchedule } from './schedules.js';
import { removeStaleTemps, resolveResumePoint, type ResumePoint } from './resume.js';

export { evalChunk, evaluateSplit } from './eval-pass.js';
export type { TrainSummary } from './epoch.js';

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

export function buildModel(cfg: TrainConfig, seed: number): CtrGcnModel {
  // The architecture is the recipe's MODEL section, whatever the variant (src/model/variants.ts).
  return createModel(treeFromModelSection(cfg.MODEL), { seed });
}

export async function train(opts: TrainOptions): Promise<TrainSummary> {
  const t0 = performance.now();
  const R = resolved(opts.cfg);
  checkBatchSplit(R);
  fs.mkdirSync(R.outputDir, { recursive: true });
  const data = await openData(opts, R);
  const run = startRun(opts, R, data);
  try {
    const startEpoch = restoreWeights(run, opts);
    logStart(run);
    for (let epoch = startEpoch; epoch < R.epochs; epoch++) {
      await trainEpoch(run, epoch);
      if (run.validDs) await validateEpoch(run, epoch, run.validDs);
      if (shouldSave(epoch, R.saveInterval, R.epochs)) saveEpoch(run, epoch);
    }
    selectForExport(run);
    run.logger.info(`training ${R.modelName} finished`);
  } finally {
    await finishRun(run, t0);
  }
  recordEnd(run);
  return run.summary;
}

/** A batch must split into whole micro-batches. */
function checkBatchSplit(R: ResolvedConfig): void {
  if (R.batchSize % R.accumSteps !== 0)
    throw new CodedError(
      'E_CONFIG_INVALID',
      `DATASET.batch_size (${R.batchSize}) must be divisible by DATASET.accum_steps (${R.accumSteps})`,
      2,
    );
}

/** The train split (at least one full batch) and, with --validate, the valid split. */
async function openData(opts: TrainOptions, R: ResolvedConfig) {
  const trainDs = openSplit(opts.cfg, 'train');
  const itersPerEpoch = Math.floor(trainDs.count / R.batchSize);
  try {
    if (itersPerEpoch < 1)
      throw new CodedError(
        'E_DATA_FORMAT',
        `${trainDs.dataPath}: ${trainDs.count} samples are fewer than one batch of ${R.batchSize}`,
      );
    const validDs: SkeletonDataset | undefined = opts.validate ? openSplit(opts.cfg, 'valid') : undefined;
    return { trainDs, validDs, itersPerEpoch };
  } catch (e) {
    await trainDs.close();
    throw e;
  }
}

/** The model, optimiser and LR schedule of a fresh run, with nothing trained yet. */
function startRun(opts: TrainOptions, R: ResolvedConfig, data: Awaited<ReturnType<typeof openData>>): TrainRun {
  const { cfg, seed, logger, maxIters } = opts;
  const schedule = new LrSchedule(cfg.OPTIMIZER.learning_rate, data.itersPerEpoch, { epochs: R.epochs, maxIters });
  const opt = new MomentumSgd({ momentum: R.momentum, nesterov: R.nesterov, weightDecay: R.weightDecay });
  const W = data.trainDs.opts.pipeline.window;
  return {
    ...{ R, seed, logger, maxIters, schedule, opt, ...data },
    model: buildModel(cfg, seed),
    shape: [R.batchSize, 3, W, 25, 2],
    state: { globalStep: 0 },
    timing: { stepTimes: [], runBatchTime: 0, runSteps: 0 },
    summary: {
      ...{ modelName: R.modelName, outputDir: R.outputDir, epochs: R.epochs, steps: 0, lastLoss: NaN },
      ...{ wallSec: 0, meanStepSec: 0, samplesPerSec: 0, peakRssMb: 0 },
    },
  };
}

/** Initial weights (fine-tune), stale temp files removed, and the resume point; returns the first epoch. */
function restoreWeights(run: TrainRun, opts: TrainOptions): number {
  const { R, logger } = run;
  if (opts.weights) {
    loadWeightsInto(run.model, opts.weights);
    logger.info(`Loaded weights from ${opts.weights}`);
  }
  for (const f of removeStaleTemps(R.outputDir, R.modelName))
    logger.info(`Removed ${f}, left by a run that stopped while writing it`);
  const resume = opts.resume ?? resolveResumePoint(R.resumeEpoch, R.outputDir, R.modelName);
  for (const s of resume.skipped) logger.warn(`not resuming from ${s}`);
  if (resume.auto && resume.epoch === 0)
    logger.info(`resume_epoch=auto: no complete epoch checkpoint in ${R.outputDir}; starting from epoch 1`);
  if (resume.epoch > 0) resumeFrom(run, resume.epoch);
  return resume.epoch;
}

/** Model, optimiser and loop state from the checkpoint of `epoch`. */
function resumeFrom(run: TrainRun, epoch: number): void {
  const { R, logger } = run;
  const base = checkpointBase(R.outputDir, R.modelName, epochTag(epoch));
  const st = loadCheckpoint(base, run.model, run.opt);
  if (st.seed !== run.seed)
    logger.warn(`resuming with --seed ${run.seed}, the checkpoint was trained with --seed ${st.seed}`);
  if (st.epoch !== epoch)
    throw new CodedError('E_CHECKPOINT_INVALID', `${base}: its loop state says epoch ${st.epoch}, not ${epoch}`);
  run.state.globalStep = st.globalStep;
  run.state.bestTop1 = st.bestTop1;
  run.state.bestEpoch = st.bestEpoch;
  logger.info(`Resumed from ${base} (epoch ${st.epoch}, step ${st.globalStep})`);
}

function logStart(run: TrainRun): void {
  const { R, trainDs, maxIters } = run;
  const bs = R.batchSize;
  const micro = R.accumSteps > 1 ? ` (${R.accumSteps} micro-batches of ${bs / R.accumSteps})` : '';
  const cap = maxIters !== undefined ? ` (capped at ${maxIters} by --max_iters)` : '';
  run.logger.info(
    `Training ${R.modelName}: ${trainDs.count} samples, batch ${bs}${micro}, ` +
      `${run.itersPerEpoch} iterations/epoch${cap}, ${R.epochs} epochs, seed ${run.seed}, backend ${tf.getBackend()}`,
  );
}

/** The checkpoint of a finished epoch (every save_interval epochs and the last). */
function saveEpoch(run: TrainRun, epoch: number): void {
  const { R, state } = run;
  const loop: LoopState = {
    epoch: epoch + 1,
    globalStep: state.globalStep,
    seed: run.seed,
    bestTop1: state.bestTop1,
    bestEpoch: state.bestEpoch,
  };
  const base = checkpointBase(R.outputDir, R.modelName, epochTag(epoch + 1));
  saveCheckpoint(base, run.model, run.opt, loop, { model_name: R.modelName });
  state.lastSaved = { epoch: epoch + 1, file: `${base}.pdparams` };
  run.logger.record('checkpoint', {
    epoch: epoch + 1,
    global_step: state.globalStep,
    tag: epochTag(epoch + 1),
    file: `${base}.pdparams`,
  });
}

/** The checkpoint evaluation and export use: the best by validation, else the last saved. */
function selectForExport(run: TrainRun): void {
  const { R, state } = run;
  const sel = selectCheckpoint({
    outputDir: R.outputDir,
    modelName: R.modelName,
    epochs: R.epochs,
    best: state.bestTop1 !== undefined ? { epoch: state.bestEpoch ?? 0, top1: state.bestTop1 } : undefined,
    last: state.lastSaved,
  });
  if (!sel) return;
  run.logger.record('selected', sel);
  run.logger.info(`Selected ${sel.file} for evaluation and export (${sel.reason}); copy: ${sel.alias}`);
  run.summary.selected = sel.file;
}

/** The summary's figures, then the model, optimiser and data released (also after a failure). */
async function finishRun(run: TrainRun, t0: number): Promise<void> {
  const { summary, timing } = run;
  summary.steps = timing.stepTimes.length;
  summary.bestTop1 = run.state.bestTop1;
  summary.wallSec = (performance.now() - t0) / 1000;
  summary.meanStepSec = avg(timing.stepTimes.slice(Math.min(2, timing.stepTimes.length - 1)));
  summary.samplesPerSec = summary.meanStepSec > 0 ? run.R.batchSize / summary.meanStepSec : 0;
  summary.peakRssMb = memoryMb().peak;
  run.opt.dispose();
  run.model.dispose();
  await run.trainDs.close();
  await run.validDs?.close();
}

function recordEnd(run: TrainRun): void {
  const s = run.summary;
  run.logger.record('train_end', {
    model_name: s.modelName,
    epochs: s.epochs,
    steps: s.steps,
    wall_s: s.wallSec,
    mean_step_s: s.meanStepSec,
    samples_per_s: s.samplesPerSec,
    peak_rss_mb: s.peakRssMb,
    last_val_top1: s.lastValTop1 ?? null,
    best_val_top1: s.bestTop1 ?? null,
  });
}
