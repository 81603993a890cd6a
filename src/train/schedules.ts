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

export class LrSchedule {
  /** `itersPerEpoch` = full train-loader length n (unchanged by --max_iters, §9). */
  constructor(
    readonly params: LrScheduleParams,
    readonly itersPerEpoch: number,
  ) {
    if (!(itersPerEpoch >= 1)) throw new RangeError(`LrSchedule: itersPerEpoch must be ≥ 1 (got ${itersPerEpoch})`);
  }

  get perIteration(): boolean {
    return this.params.iter_step === true;
  }

  /** f(e) for a fractional epoch. */
  at(e: number): number {
    const p = this.params;
    return p.name === 'CustomWarmupAdjustDecay'
      ? warmupAdjust(e, p.step_base_lr, p.warmup_epochs, p.lr_decay_rate, p.boundaries)
      : warmupCosine(e, p.warmup_start_lr, p.warmup_epochs, p.cosine_base_lr, p.max_epoch);
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
