import { describe, expect, it } from 'vitest';
import { LrSchedule, runEndEpoch, warmupCosine } from './schedules.js';

describe('LR schedules (training.md §6)', () => {
  it('WarmupAdjust per epoch reproduces the official list', () => {
    const s = new LrSchedule(
      {
        name: 'CustomWarmupAdjustDecay',
        step_base_lr: 0.1,
        warmup_epochs: 5,
        lr_decay_rate: 0.1,
        boundaries: [35, 55],
      },
      626,
    );
    const lrs = Array.from({ length: 65 }, (_, e) => s.lrFor(e, e * 626 + 17));
    expect(lrs.slice(0, 5).map((x) => +x.toFixed(10))).toEqual([0.02, 0.04, 0.06, 0.08, 0.1]);
    for (let e = 5; e < 35; e++) expect(lrs[e]).toBeCloseTo(0.1, 12);
    for (let e = 35; e < 55; e++) expect(lrs[e]).toBeCloseTo(0.01, 12);
    for (let e = 55; e < 65; e++) expect(lrs[e]).toBeCloseTo(0.001, 12);
    // Same LR for every step of an epoch.
    expect(s.lrFor(3, 3 * 626)).toBe(s.lrFor(3, 3 * 626 + 600));
  });

  it('WarmupCosine test values', () => {
    const f = (e: number) => warmupCosine(e, 0.01, 10, 0.1, 100);
    expect(f(0)).toBeCloseTo(0.01, 10);
    expect(f(5)).toBeCloseTo(0.0537764, 7);
    expect(f(10)).toBeCloseTo(0.0975528, 7);
    expect(f(50)).toBeCloseTo(0.05, 10);
    expect(f(99)).toBeCloseTo(2.4672e-5, 9);
  });

  it('WarmupCosine per iteration: after 30 steps with n = 1252 → 0.0102098', () => {
    const s = new LrSchedule(
      {
        name: 'CustomWarmupCosineDecay',
        iter_step: true,
        warmup_start_lr: 0.01,
        warmup_epochs: 10,
        cosine_base_lr: 0.1,
        max_epoch: 100,
      },
      1252,
    );
    expect(s.lrFor(0, 0)).toBeCloseTo(0.01, 12);
    expect(s.lrFor(0, 30)).toBeCloseTo(0.0102098, 7);
    expect(s.lrFor(0, 30).toFixed(6)).toBe('0.010210');
  });

  it("max_epoch auto: the cosine ends where the run's optimiser steps end (lite: 2 × 30 of 41 iterations)", () => {
    expect(runEndEpoch(2, 41, 30)).toBeCloseTo(60 / 41, 12);
    expect(runEndEpoch(65, 626)).toBe(65);
    expect(runEndEpoch(2, 41, 100)).toBe(2);
    const p = {
      name: 'CustomWarmupCosineDecay' as const,
      iter_step: true,
      warmup_start_lr: 0.01,
      warmup_epochs: 0.1,
      cosine_base_lr: 0.1,
      max_epoch: 'auto' as const,
    };
    const s = new LrSchedule(p, 41, { epochs: 2, maxIters: 30 });
    expect(s.maxEpoch).toBeCloseTo(60 / 41, 12);
    // one step after the last one (global step 60) the schedule reaches 0
    expect(s.lrFor(1, 60)).toBeCloseTo(0, 12);
    expect(s.lrFor(1, 59)).toBeGreaterThan(0);
    expect(() => new LrSchedule(p, 41)).toThrow(/needs the run/);
  });
});
