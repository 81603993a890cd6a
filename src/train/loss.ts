// Cross-entropy with label smoothing and mixup targets (training.md §4). Since the loss is linear
// in the target distribution, λ·L(z, y) + (1−λ)·L(z, y_π) = L(z, λ·q(y) + (1−λ)·q(y_π)): one
// soft-target matrix covers every case.
import * as tf from '@tensorflow/tfjs';

export interface MixTargets {
  /** True labels y_i. */
  labels: Int32Array;
  /** Mixup partner labels y_π(i) and weight λ (absent = no mixup). */
  mixLabels?: Int32Array;
  lambda?: number;
}

/** Soft targets [N, K]: q_k = (1−ε)·[k = y] + ε/K, mixed with weight λ when mixup is on. */
export function softTargets(t: MixTargets, numClasses: number, eps: number): Float32Array {
  const n = t.labels.length;
  const q = new Float32Array(n * numClasses).fill(eps / numClasses);
  const lam = t.mixLabels ? (t.lambda ?? 1) : 1;
  for (let i = 0; i < n; i++) {
    q[i * numClasses + checkLabel(t.labels[i], numClasses)] += (1 - eps) * lam;
    if (t.mixLabels) q[i * numClasses + checkLabel(t.mixLabels[i], numClasses)] += (1 - eps) * (1 - lam);
  }
  return q;
}

function checkLabel(y: number, k: number): number {
  if (!Number.isInteger(y) || y < 0 || y >= k) throw new RangeError(`label ${y} is outside [0, ${k})`);
  return y;
}

/** L = mean_batch(−Σ_k q_k·log softmax(z)_k) as a scalar tensor (differentiable in `logits`). */
export function softCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits, -1)), -1))) as tf.Scalar);
}

/** Training loss for a batch, ε = label smoothing. */
export function trainingLoss(logits: tf.Tensor2D, t: MixTargets, eps: number): tf.Scalar {
  const k = logits.shape[1];
  return tf.tidy(() => softCrossEntropy(logits, tf.tensor2d(softTargets(t, k, eps), [t.labels.length, k])));
}
