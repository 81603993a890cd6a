// Learning-rate schedules (training.md §6). Both are pure functions of the fractional epoch
// counter e, so the LR of any step is computable from (epoch, global step) alone — resuming needs
// no schedule state.

import type { LrScheduleParams, WarmupAdjustParams, WarmupCosineParams } from '../config/recipe.js';

export type { LrScheduleParams, WarmupAdjustParams, WarmupCosineParams };

export function warmupAdjust(
  e: number,
  base: number,
  warmup: number,
  rate: number,
  boundaries: readonly number[],
): number {
  if (e < warmup) return (base * (e + 1)) / warmup;
  const k = boundaries.filter((b) => e >= b).length;
  return base * Math.pow(rate, k);
}

export function warmupCosine(e: number, start: number, warmup: number, base: number, maxEpoch: number): number {
  const c = (x: number) => (base * (1 + Math.cos((Math.PI * x) / maxEpoch))) / 2;
  if (e < warmup) return start + (e * (c(warmup) - start)) / warmup;
  return c(e);
}

/**
 * The fractional epoch counter at which a run's optimiser steps end: epochs × the iterations each
 * epoch actually runs (min(n, max_iters)) ÷ the full loader length n. The one place a lite run's
 * `max_epoch: auto` is computed (TIPC lite: 2 × 30 / ⌊660 / 16⌋ = 60 / 41 ≈ 1.463).
 */
export function runEndEpoch(epochs: number, itersPerEpoch: number, maxIters?: number): number {
  const perEpoch = maxIters === undefined ? itersPerEpoch : Math.min(itersPerEpoch, Math.max(0, maxIters));
  return (epochs * perEpoch) / itersPerEpoch;
}

export class LrSchedule {
  /** The cosine end epoch in use (max_epoch, or runEndEpoch for `auto`). */
  readonly maxEpoch: number | undefined;

  /**
   * `itersPerEpoch` = full train-loader length n (unchanged by --max_iters, §9); `run` resolves
   * `max_epoch: auto` (epochs and --max_iters of this run).
   */
  constructor(
    readonly params: LrScheduleParams,
    readonly itersPerEpoch: number,
    run?: { epochs: number; maxIters?: number },
  ) {
    if (!(itersPerEpoch >= 1)) throw new RangeError(`LrSchedule: itersPerEpoch must be ≥ 1 (got ${itersPerEpoch})`);
    if (params.name === 'CustomWarmupCosineDecay') {
      if (params.max_epoch === 'auto') {
        if (!run) throw new RangeError('LrSchedule: max_epoch "auto" needs the run (epochs, --max_iters)');
        this.maxEpoch = runEndEpoch(run.epochs, itersPerEpoch, run.maxIters);
        if (!(this.maxEpoch > 0)) throw new RangeError('LrSchedule: max_epoch "auto" resolves to 0 (no steps)');
      } else this.maxEpoch = params.max_epoch;
    }
  }

  get perIteration(): boolean {
    return this.params.iter_step === true;
  }

  /** f(e) for a fractional epoch. */
  at(e: number): number {
    const p = this.params;
    return p.name === 'CustomWarmupAdjustDecay'
      ? warmupAdjust(e, p.step_base_lr, p.warmup_epochs, p.lr_decay_rate, p.boundaries)
      : warmupCosine(e, p.warmup_start_lr, p.warmup_epochs, p.cosine_base_lr, this.maxEpoch!);
  }

  /**
   * LR used by the optimiser step with 0-based global index `step` (whole run) in 0-based epoch
   * `epoch`. Per iteration: f(step / n). Per epoch: f(epoch) (upstream divides by `num_iters`,
   * default none → crash; ours defaults to 1, §12.1).
   */
  lrFor(epoch: number, step: number): number {
    if (this.perIteration) return this.at(step / this.itersPerEpoch);
    const numIters = this.params.num_iters ?? 1;
    return this.at(epoch / numIters);
  }
}
