import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../util/backend.js';
import { readSafetensors } from '../model/safetensors.js';
import { MomentumSgd } from './optimizer.js';
import { sharedPath } from '../util/shared-data.test-util.js';

const CASE = sharedPath('golden/ctrgcn_light_seed2_train_step');

describe('MomentumSgd (training.md §5)', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('reproduces the golden update from grads + weights (lr 0.1, wd 4e-4, Nesterov)', () => {
    const weights = readSafetensors(path.join(CASE, 'weights.safetensors'));
    const grads = readSafetensors(path.join(CASE, 'grads.safetensors'));
    const updated = readSafetensors(path.join(CASE, 'updated_weights.safetensors'));
    expect(grads.size).toBeGreaterThan(10);
    const params = new Map<string, tf.Variable>();
    const g = new Map<string, tf.Tensor>();
    for (const [k, t] of grads) {
      const w = weights.get(k)!;
      params.set(k, tf.variable(tf.tensor(w.data, w.shape)));
      g.set(k, tf.tensor(t.data, t.shape));
    }
    const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 4e-4 });
    const before = tf.memory().numTensors;
    opt.step(params, g, 0.1);
    // Velocities are the only new tensors.
    expect(tf.memory().numTensors).toBe(before + params.size);
    let worst = 0;
    for (const [k, v] of params) {
      const got = v.dataSync();
      const want = updated.get(k)!.data;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
    }
    expect(worst).toBeLessThan(1e-6);
    // A second step keeps the tensor count stable.
    const n = tf.memory().numTensors;
    opt.step(params, g, 0.05);
    expect(tf.memory().numTensors).toBe(n);
    opt.dispose();
    for (const v of params.values()) v.dispose();
    for (const t of g.values()) t.dispose();
  });

  it('momentum and velocity follow the formula over two steps', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new MomentumSgd({ momentum: 0.9, nesterov: true, weightDecay: 0.1 });
    const g = new Map([['w', tf.tensor1d([0.5, 0.25])]]);
    const params = new Map([['w', w]]);
    // Reference in plain numbers.
    let p = [1, -2];
    let v = [0, 0];
    for (const lr of [0.1, 0.2]) {
      opt.step(params, g, lr);
      const gg = [0.5 + 0.1 * p[0], 0.25 + 0.1 * p[1]];
      v = [0.9 * v[0] + gg[0], 0.9 * v[1] + gg[1]];
      p = [p[0] - lr * (gg[0] + 0.9 * v[0]), p[1] - lr * (gg[1] + 0.9 * v[1])];
    }
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(p[0], 6);
    expect(got[1]).toBeCloseTo(p[1], 6);
    opt.dispose();
    w.dispose();
    g.get('w')!.dispose();
  });
});
