import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { main } from '../cli/main.js';
import { readNpyFloat32 } from '../data/npy.js';
import { initBackend } from '../util/backend.js';
import { createModel, ModelInputError, type CtrGcnModel } from './ctrgcn.js';
import { ntuAdjacency } from './graph.js';
import { variantTree } from './variants.js';
import { sharedPath } from '../util/shared-data.test-util.js';

let tf: typeof tfType;
let model: CtrGcnModel;
beforeAll(async () => {
  tf = (await initBackend()).tf;
  model = createModel(variantTree('ctrgcn_light'), { seed: 7 });
});
afterAll(() => model?.dispose());

const input = (n: number, t: number, seed = 1) => tf.randomNormal([n, 3, t, 25, 2], 0, 1, 'float32', seed);

describe('CtrGcnModel', () => {
  it('initialises per spec §6', () => {
    const A = ntuAdjacency();
    expect(model.params.get('backbone.l4.gcn1.PA')!.dataSync()).toEqual(A);
    expect(model.params.get('backbone.l4.gcn1.alpha')!.dataSync()[0]).toBe(0);
    expect(
      model.buffers
        .get('backbone.l4.gcn1.bn._variance')!
        .dataSync()
        .every((v) => v === 1),
    ).toBe(true);
    expect(
      model.params
        .get('backbone.l4.gcn1.bn.weight')!
        .dataSync()
        .every((v) => v === 1),
    ).toBe(true);
    const w = model.params.get('backbone.l9.tcn1.branches.0.3.conv.weight')!.dataSync(); // fan-in 60·5
    const std = Math.sqrt(Array.from(w).reduce((a, v) => a + v * v, 0) / w.length);
    expect(std).toBeGreaterThan(0.9 * Math.sqrt(2 / 300));
    expect(std).toBeLessThan(1.1 * Math.sqrt(2 / 300));
    const fc = model.params.get('head.fc.weight')!.dataSync();
    const bound = Math.sqrt(6 / 300);
    expect(Math.max(...fc.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(model.params.get('head.fc.weight')!.shape).toEqual([240, 60]);
    expect([...model.params.values()].every((v) => v.trainable)).toBe(true);
    expect([...model.buffers.values()].every((v) => !v.trainable)).toBe(true);
    expect(model.params.size + model.buffers.size).toBe(541);
  });

  it('accepts any T; stride-2 blocks give ceil(T/2) frames', () => {
    for (const t of [64, 37, 5, 1]) {
      const x = input(1, t);
      const { logits, acts } = model.forwardWithActivations(x, { training: false });
      expect(logits.shape).toEqual([1, 60]);
      expect(acts.get('l5_out')!.shape).toEqual([2, 120, Math.ceil(t / 2), 25]);
      expect(acts.get('l10_out')!.shape).toEqual([2, 240, Math.ceil(Math.ceil(t / 2) / 2), 25]);
      expect(Number.isFinite(logits.sum().dataSync()[0])).toBe(true);
      tf.dispose([x, logits, ...acts.values()]);
    }
  });

  it('rejects a mis-shaped input with a named error', () => {
    const x = tf.zeros([1, 3, 8, 24, 2]);
    expect(() => model.forward(x, { training: false })).toThrow(ModelInputError);
    x.dispose();
  });

  it('does not leak tensors: eval forward, and gradient step + commitBatchStats', () => {
    const x = input(2, 16);
    const labels = tf.oneHot(tf.tensor1d([3, 7], 'int32'), 60);
    const step = () => {
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(labels, model.forward(x, { training: true })),
        [...model.params.values()],
      );
      model.commitBatchStats();
      tf.dispose([value, ...Object.values(grads)]);
    };
    model.forward(x, { training: false }).dispose(); // warm-up
    step();
    const before = tf.memory().numTensors;
    model.forward(x, { training: false }).dispose();
    expect(tf.memory().numTensors).toBe(before);
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, labels]);
  });

  it('training forward leaves running stats alone until commitBatchStats()', () => {
    const x = input(2, 8, 3);
    const mean = model.buffers.get('backbone.l1.gcn1.bn._mean')!;
    const before = mean.dataSync().slice();
    const grads = tf.variableGrads(
      () => tf.sum<tfType.Scalar>(model.forward(x, { training: true })),
      [...model.params.values()],
    );
    expect(mean.dataSync()).toEqual(before);
    tf.dispose([grads.value, ...Object.values(grads.grads)]);
    model.commitBatchStats();
    const after = mean.dataSync();
    expect(after).not.toEqual(before);
    // A second commit without a forward changes nothing.
    model.commitBatchStats();
    expect(mean.dataSync()).toEqual(after);
    x.dispose();
  });
});

describe('gradient checkpointing and tensor hygiene, every shipped variant', () => {
  it.each(['ctrgcn_light', 'ctrgcn_lite', 'ctrgcn_light_v1', 'ctrgcn_light_v2'] as const)(
    '%s: same loss, gradients and BN statistics as the plain tape; no tensor outlives a step',
    (variant) => {
      const x = input(2, 12, 5);
      const labels = tf.oneHot(tf.tensor1d([1, 2], 'int32'), 60);
      const run = (checkpoint: boolean) => {
        const m = createModel(variantTree(variant), { seed: 11, checkpoint });
        const names = [...m.params.keys()];
        const step = () =>
          tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(labels, m.forward(x, { training: true })),
            [...m.params.values()],
          );
        const n0 = tf.memory().numTensors;
        const { value, grads } = step();
        m.commitBatchStats();
        const byName = new Map(names.map((n) => [n, grads[m.params.get(n)!.name].dataSync()]));
        const stats = m.buffers.get('backbone.l7.gcn1.bn._variance')!.dataSync();
        const loss = value.dataSync()[0];
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors).toBe(n0);
        m.dispose();
        return { loss, byName, stats };
      };
      const a = run(true);
      const b = run(false);
      expect(a.loss).toBeCloseTo(b.loss, 6);
      expect(a.stats).toEqual(b.stats);
      for (const [k, g] of a.byName) {
        const h = b.byName.get(k)!;
        let d = 0;
        let m = 0;
        for (let i = 0; i < g.length; i++) {
          d = Math.max(d, Math.abs(g[i] - h[i]));
          m = Math.max(m, Math.abs(h[i]));
        }
        expect(d, k).toBeLessThanOrEqual(1e-5 * Math.max(1, m));
      }
      tf.dispose([x, labels]);
    },
  );
});

const GOLDEN_CASE = sharedPath('golden/ctrgcn_light_paddle_epoch1_example');
const FIXTURE = sharedPath('fixtures/paddlevideo/ctrgcn_light_joint_epoch_00001.pdparams');

describe('CLI: logits', () => {
  it('writes raw logits of a preprocessed batch from .pdparams weights', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctrgcn-logits-'));
    try {
      const out = path.join(tmp, 'y.npy');
      const code = await main([
        'logits',
        '--model',
        'ctrgcn_light',
        '-w',
        FIXTURE,
        '--input',
        path.join(GOLDEN_CASE, 'input.npy'),
        '--out',
        out,
      ]);
      expect(code).toBe(0);
      const got = readNpyFloat32(out);
      const want = readNpyFloat32(path.join(GOLDEN_CASE, 'logits.npy'));
      expect(got.shape).toEqual([1, 60]);
      let d = 0;
      for (let i = 0; i < 60; i++) d = Math.max(d, Math.abs(got.data[i] - want.data[i]));
      expect(d).toBeLessThanOrEqual(1e-4);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
