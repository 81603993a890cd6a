import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../util/backend.js';
import { softTargets, trainingLoss } from './loss.js';
import { mixupBatch } from './mixup.js';
import { Rng } from './rng.js';
import { batchAccuracy, EvalAccumulator } from './metrics.js';

function logSoftmaxRow(z: number[]): number[] {
  const m = Math.max(...z);
  const s = Math.log(z.reduce((a, x) => a + Math.exp(x - m), 0)) + m;
  return z.map((x) => x - s);
}

describe('loss (training.md §4)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('label smoothing ε = 0.1, K = 60 puts 0.901667 on the true class', () => {
    const q = softTargets({ labels: Int32Array.from([3]) }, 60, 0.1);
    expect(q[3]).toBeCloseTo(0.901667, 6);
    expect(q[0]).toBeCloseTo(0.001667, 6);
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('matches the formulas: plain CE, smoothing, mixup λ·L(y) + (1−λ)·L(y_π)', () => {
    const K = 5;
    const z = [
      [1, 2, 0.5, -1, 0],
      [0.3, -0.2, 2.5, 1, 1.5],
      [-1, 0, 1, 2, 3],
    ];
    const y = [1, 2, 0];
    const yp = [2, 0, 1];
    const lam = 0.3;
    const eps = 0.1;
    const L = (labels: number[], e: number) =>
      z.reduce((acc, row, i) => {
        const ls = logSoftmaxRow(row);
        return acc - ls.reduce((a, l, k) => a + ((1 - e) * (k === labels[i] ? 1 : 0) + e / K) * l, 0);
      }, 0) / z.length;
    const logits = tf.tensor2d(z);
    const plain = trainingLoss(logits, { labels: Int32Array.from(y) }, 0);
    expect(plain.dataSync()[0]).toBeCloseTo(L(y, 0), 5);
    const smooth = trainingLoss(logits, { labels: Int32Array.from(y) }, eps);
    expect(smooth.dataSync()[0]).toBeCloseTo(L(y, eps), 5);
    const mixed = trainingLoss(
      logits,
      { labels: Int32Array.from(y), mixLabels: Int32Array.from(yp), lambda: lam },
      eps,
    );
    expect(mixed.dataSync()[0]).toBeCloseTo(lam * L(y, eps) + (1 - lam) * L(yp, eps), 5);
    tf.dispose([logits, plain, smooth, mixed]);
  });

  it('mixup blends samples with one λ and a permutation; accuracy is λ-weighted', () => {
    const rng = new Rng(7);
    const data = Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]);
    const labels = Int32Array.from([0, 1, 2, 3]);
    const r = mixupBatch(data, labels, 0.2, rng);
    expect(r.lambda).toBeGreaterThanOrEqual(0);
    expect(r.lambda).toBeLessThanOrEqual(1);
    expect([...r.perm].sort()).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < 4; i++)
      expect(r.data[2 * i]).toBeCloseTo(r.lambda * data[2 * i] + (1 - r.lambda) * data[2 * r.perm[i]], 6);
    expect([...r.mixLabels]).toEqual(r.perm.map((p) => labels[p]));
    // Beta(0.2, 0.2) is U-shaped: most draws are near 0 or 1, mean 0.5.
    const draws = Array.from({ length: 4000 }, () => rng.beta(0.2, 0.2));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.46);
    expect(mean).toBeLessThan(0.54);
    expect(draws.filter((d) => d < 0.1 || d > 0.9).length / draws.length).toBeGreaterThan(0.5);
    const logits = Float32Array.from([5, 0, 0, 0, 5, 0]); // predicts 0, 1
    expect(
      batchAccuracy(logits, 3, Int32Array.from([0, 2]), 1, { mixLabels: Int32Array.from([1, 1]), lambda: 0.25 }),
    ).toBeCloseTo(0.25 * 0.5 + 0.75 * 0.5, 9);
  });

  it('eval accumulator: sample-weighted vs batch-mean top-1', () => {
    const acc = new EvalAccumulator(2);
    acc.add(Float32Array.from([1, 0, 1, 0, 1, 0]), Int32Array.from([0, 0, 1])); // 2/3
    acc.add(Float32Array.from([0, 1]), Int32Array.from([1])); // 1/1
    const s = acc.summary();
    expect(s.top1).toBeCloseTo(3 / 4, 9);
    expect(s.top1_batch_mean).toBeCloseTo((2 / 3 + 1) / 2, 9);
    expect(s.most_confused[0]).toEqual({ true: 1, predicted: 0, count: 1 });
  });
});
