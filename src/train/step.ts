// One optimiser step: train-mode forward(s), loss, backward, (accumulated) gradients, update, BN
// running-statistics commit. Everything created here is disposed before returning.
import * as tf from '@tensorflow/tfjs';
import type { CtrGcnModel } from '../model/ctrgcn.js';
import { NonFiniteError } from './checkpoint.js';
import { trainingLoss, type MixTargets } from './loss.js';
import type { MomentumSgd } from './optimizer.js';

export interface StepInput {
  /** [B, C, T, V, M] row-major. */
  data: Float32Array;
  shape: [number, number, number, number, number];
  targets: MixTargets;
}

export interface StepResult {
  loss: number;
  /** Logits of the whole batch [B, K], row-major. */
  logits: Float32Array;
  numClasses: number;
}

function sliceTargets(t: MixTargets, a: number, b: number): MixTargets {
  return { labels: t.labels.subarray(a, b), mixLabels: t.mixLabels?.subarray(a, b), lambda: t.lambda };
}

/**
 * `accumSteps` micro-batches (B must divide evenly) share one update with the mean gradient; each
 * micro-batch's BN statistics are committed as it completes (BN sees micro-batches, §14).
 * Throws NonFiniteError — before any update — when a loss is NaN/Inf.
 */
export function trainStep(
  model: CtrGcnModel,
  opt: MomentumSgd,
  input: StepInput,
  lsEps: number,
  lr: number,
  accumSteps = 1,
): StepResult {
  const [B, C, T, V, M] = input.shape;
  if (B % accumSteps !== 0) throw new Error(`batch size ${B} is not divisible by accum_steps ${accumSteps}`);
  const micro = B / accumSteps;
  const per = C * T * V * M;
  const names = [...model.params.keys()];
  const vars = names.map((n) => model.params.get(n)!);
  const acc = new Map<string, tf.Tensor>();
  const logitParts: Float32Array[] = [];
  let lossSum = 0;
  try {
    for (let s = 0; s < accumSteps; s++) {
      const x = tf.tensor(input.data.subarray(s * micro * per, (s + 1) * micro * per), [micro, C, T, V, M], 'float32');
      let logits: tf.Tensor2D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        logits = tf.keep(model.forward(x, { training: true }));
        return trainingLoss(logits, sliceTargets(input.targets, s * micro, (s + 1) * micro), lsEps);
      }, vars);
      x.dispose();
      const loss = value.dataSync()[0];
      value.dispose();
      logitParts.push(logits!.dataSync() as Float32Array);
      logits!.dispose();
      if (!Number.isFinite(loss)) {
        tf.dispose(Object.values(grads));
        model.discardBatchStats();
        throw new NonFiniteError(`training loss is ${loss}; stopping (the last good checkpoint is kept)`);
      }
      lossSum += loss;
      model.commitBatchStats();
      vars.forEach((v, i) => {
        const g = grads[v.name];
        if (!g) return;
        const prev = acc.get(names[i]);
        if (prev) {
          acc.set(names[i], tf.add(prev, g));
          tf.dispose([prev, g]);
        } else acc.set(names[i], g);
      });
    }
    if (accumSteps > 1) {
      for (const [k, g] of acc) {
        acc.set(k, tf.div(g, accumSteps));
        g.dispose();
      }
    }
    opt.step(model.params, acc, lr);
  } finally {
    tf.dispose([...acc.values()]);
  }
  const K = logitParts[0].length / micro;
  const logits = new Float32Array(B * K);
  logitParts.forEach((p, i) => logits.set(p, i * micro * K));
  return { loss: lossSum / accumSteps, logits, numClasses: K };
}
