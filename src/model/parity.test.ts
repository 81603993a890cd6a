// Numerical parity with every golden case in ../shared/golden (logits, top-1, activations, and
// for train-step cases the loss, gradients and updated BN running statistics). A case that names
// its product recipe (`product.recipe`) is built from that recipe: the recipe names the model.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { readNpy, readNpyFloat32 } from '../data/npy.js';
import { initBackend } from '../util/backend.js';
import { goldenCaseNames, goldenCaseTree, type GoldenCaseJson } from './golden-cases.test-util.js';
import { createModel, type CtrGcnModel } from './ctrgcn.js';
import { readSafetensors } from './safetensors.js';
import { loadStateDict, readWeightsFile } from './weights.js';

const GOLDEN = path.resolve(process.cwd(), '../shared/golden');
// Fails loudly (naming the folder) when ../shared/golden is missing.
const cases = goldenCaseNames();

interface CaseJson extends GoldenCaseJson {
  weights: { pdparams_fixture?: string };
  loss?: { value: number; atol: number };
  grads?: { file: string; tensors: Record<string, { atol: number }> };
  updated_weights?: { file: string; rtol_bn_stats: number };
  outputs: {
    activations: { tensors: Record<string, { atol: number; full_tensor: { shape: number[]; abs_sum: number } }> };
  };
}

let tf: typeof tfType;
beforeAll(async () => {
  tf = (await initBackend()).tf;
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/**
 * Activation keys name their slice of the NCHW map `[N·M, C, T, V]`: `l1_out[0]` (row 0) or
 * `l1_out[0,:,0:32]` (row 0, every channel, frames 0–31). Returns the act name and the slice.
 */
function sliceOf(key: string, act: tfType.Tensor): { name: string; data: Float32Array } {
  const m = /^(\w+)\[(.+)\]$/.exec(key);
  if (!m) return { name: key, data: act.dataSync() as Float32Array };
  const idx = m[2].split(',').map((p) => p.trim());
  const begin: number[] = [];
  const size: number[] = [];
  act.shape.forEach((d, i) => {
    const p = idx[i] ?? ':';
    if (p === ':') {
      begin.push(0);
      size.push(d);
    } else if (p.includes(':')) {
      const [a, b] = p.split(':').map(Number);
      begin.push(a);
      size.push(b - a);
    } else {
      begin.push(Number(p));
      size.push(1);
    }
  });
  const t = tf.slice(act, begin, size);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return { name: m[1], data };
}

function report(name: string, what: string, d: number, tol: number): void {
  process.stdout.write(`[parity] ${name} ${what}: max|Δ| = ${d.toExponential(2)} (tol ${tol.toExponential(1)})\n`);
}

describe('golden parity', () => {
  for (const name of cases) {
    describe(name, () => {
      const dir = path.join(GOLDEN, name);
      const cj = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8')) as CaseJson;
      const training = cj.mode.startsWith('train');
      const tree = goldenCaseTree(cj);
      let model: CtrGcnModel;
      let input: tfType.Tensor;

      beforeAll(() => {
        model = createModel(tree);
        loadStateDict(model, readSafetensors(path.join(dir, 'weights.safetensors')), { strict: true });
        const x = readNpyFloat32(path.join(dir, 'input.npy'));
        input = tf.tensor(x.data, x.shape, 'float32');
      });
      afterAll(() => {
        input?.dispose();
        model?.dispose();
      });

      if (cj.params)
        it('the tree has the exact parameter counts', () => {
          const size = (sh: number[]) => sh.reduce((a, b) => a * b, 1);
          const trainable = tree.tensors.filter((t) => t.trainable).reduce((a, t) => a + size(t.shape), 0);
          const all = tree.tensors.reduce((a, t) => a + size(t.shape), 0);
          expect([trainable, all, tree.tensors.length]).toEqual([
            cj.params!.trainable,
            cj.params!.persistable_total,
            cj.params!.tensors,
          ]);
        });

      it(`logits, top-1 and activations (${training ? 'train' : 'eval'} mode)`, () => {
        const { logits, acts } = model.forwardWithActivations(input, { training });
        model.discardBatchStats();
        try {
          const want = readNpyFloat32(path.join(dir, 'logits.npy'));
          expect(logits.shape).toEqual(want.shape);
          const got = logits.dataSync();
          const d = maxAbsDiff(got, want.data);
          report(name, 'logits', d, cj.tolerances.logits.atol);
          expect(d).toBeLessThanOrEqual(cj.tolerances.logits.atol);

          const top = JSON.parse(fs.readFileSync(path.join(dir, 'probs_top1.json'), 'utf8')) as Array<{
            class: number;
            score: number;
          }>;
          const probs = tf.tidy(() => tf.softmax(logits));
          const p = probs.arraySync();
          probs.dispose();
          let dScore = 0;
          top.forEach((t, i) => {
            const cls = p[i].indexOf(Math.max(...p[i]));
            expect(cls).toBe(t.class);
            dScore = Math.max(dScore, Math.abs(p[i][cls] - t.score));
          });
          report(name, 'top-1 score', dScore, cj.tolerances.probs_top1.score_atol);
          expect(dScore).toBeLessThanOrEqual(cj.tolerances.probs_top1.score_atol);

          const stored = readSafetensors(path.join(dir, 'activations.safetensors'));
          for (const [key, info] of Object.entries(cj.outputs.activations.tensors)) {
            const ref = stored.get(key);
            expect(ref, key).toBeDefined();
            const act = acts.get(key.replace(/\[.*$/, ''));
            expect(act, key).toBeDefined();
            expect(act!.shape).toEqual(info.full_tensor.shape);
            const mine = sliceOf(key, act!).data;
            const da = maxAbsDiff(mine, ref!.data);
            report(name, key, da, info.atol);
            expect(da, key).toBeLessThanOrEqual(info.atol);
            // The parts that are not stored: full-tensor abs-sum.
            const full = act!.dataSync();
            let abs = 0;
            for (let i = 0; i < full.length; i++) abs += Math.abs(full[i]);
            expect(Math.abs(abs - info.full_tensor.abs_sum) / info.full_tensor.abs_sum, `${key} abs_sum`).toBeLessThan(
              1e-4,
            );
          }
          if (cj.model.blocks) expect(tree.blocks.map((b) => b.name)).toEqual(cj.model.blocks);
        } finally {
          logits.dispose();
          for (const a of acts.values()) a.dispose();
        }
      });

      if (cj.weights.pdparams_fixture) {
        it('loads the same weights from the original .pdparams', () => {
          const fromPickle = readWeightsFile(path.resolve(dir, cj.weights.pdparams_fixture!));
          const fromSt = readSafetensors(path.join(dir, 'weights.safetensors'));
          expect([...fromPickle.keys()].sort()).toEqual([...fromSt.keys()].sort());
          for (const [k, t] of fromSt) {
            const u = fromPickle.get(k)!;
            expect(u.shape, k).toEqual(t.shape);
            expect(
              Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength).equals(
                Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
              ),
              k,
            ).toBe(true);
          }
          const m2 = createModel(tree);
          try {
            loadStateDict(m2, fromPickle, { strict: true });
            const a = model.forward(input, { training: false });
            const b = m2.forward(input, { training: false });
            expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
            tf.dispose([a, b]);
          } finally {
            m2.dispose();
          }
        });
      }

      if (cj.loss && cj.grads && cj.updated_weights) {
        it('train step: loss, gradients, BN running statistics', () => {
          const labels = Array.from(readNpy(path.join(dir, 'labels.npy')).data as BigInt64Array, Number);
          const params = [...model.params.values()];
          const nameOf = new Map([...model.params].map(([k, v]) => [v.name, k]));
          const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), cj.model.num_classes);
          const { value, grads } = tf.variableGrads(() => {
            const logits = model.forward(input, { training: true });
            return tf.losses.softmaxCrossEntropy<tfType.Tensor, tfType.Scalar>(
              onehot,
              logits,
              undefined,
              0,
              tf.Reduction.MEAN,
            );
          }, params);
          onehot.dispose();
          const loss = value.dataSync()[0];
          value.dispose();
          report(name, 'loss', Math.abs(loss - cj.loss!.value), cj.loss!.atol);
          expect(Math.abs(loss - cj.loss!.value)).toBeLessThanOrEqual(cj.loss!.atol);

          const refGrads = readSafetensors(path.join(dir, cj.grads!.file));
          const byName = new Map(Object.entries(grads).map(([vn, g]) => [nameOf.get(vn)!, g]));
          for (const [k, info] of Object.entries(cj.grads!.tensors)) {
            const g = byName.get(k);
            expect(g, k).toBeDefined();
            const ref = refGrads.get(k)!;
            const mine = g!.dataSync();
            const d = maxAbsDiff(mine, ref.data);
            let num = 0;
            let den = 0;
            for (let i = 0; i < mine.length; i++) {
              num += (mine[i] - ref.data[i]) ** 2;
              den += ref.data[i] ** 2;
            }
            const rel = Math.sqrt(num / den);
            report(name, `grad ${k}`, d, info.atol);
            // case.json: per-tensor atol, or rel-L2 ≤ 2e-2 for float32 implementations.
            expect(d <= info.atol || rel <= 2e-2, `${k}: max|Δ| ${d}, rel-L2 ${rel}`).toBe(true);
          }
          tf.dispose(Object.values(grads));

          model.commitBatchStats();
          const updated = readSafetensors(path.join(dir, cj.updated_weights!.file));
          const before = readSafetensors(path.join(dir, 'weights.safetensors'));
          // Relative to the size of the update's terms 0.9·old and 0.1·batch: where they cancel
          // (running mean ≈ 0) a plain relative error only measures that cancellation.
          let worst = 0;
          for (const [k, v] of model.buffers) {
            const ref = updated.get(k)!.data;
            const old = before.get(k)!.data;
            const mine = v.dataSync();
            for (let i = 0; i < mine.length; i++) {
              const scale = 0.9 * Math.abs(old[i]) + Math.abs(ref[i] - 0.9 * old[i]);
              worst = Math.max(worst, Math.abs(mine[i] - ref[i]) / scale);
            }
          }
          report(name, 'BN running stats (max rel)', worst, cj.updated_weights!.rtol_bn_stats);
          expect(worst).toBeLessThanOrEqual(cj.updated_weights!.rtol_bn_stats);
        });
      }
    });
  }
});
