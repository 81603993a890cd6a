// One eval-mode pass over a split (validation during training, `--test` after it): forward in chunks,
// loss and accuracy accumulated sample-weighted (training.md §10).
import * as tf from '@tensorflow/tfjs';
import type { CtrGcnModel } from '../model/ctrgcn.js';
import { batchIndices, prefetchBatches, type SkeletonDataset } from '../data/skeleton-dataset.js';
import { softCrossEntropy } from './loss.js';
import { EvalAccumulator } from './metrics.js';

/**
 * Samples per eval-mode forward pass: a tidy forward keeps every activation alive until it returns
 * (no checkpointing in eval), ≈ 0.2 GB per sample for the light model, so passes stay ≤ 8 samples.
 */
export function evalChunk(microBatch: number): number {
  return Math.max(1, Math.min(microBatch, 8));
}

/** Validation / test pass in eval mode; `maxBatches` caps it (in-training validation under --max_iters). */
export async function evaluateSplit(
  model: CtrGcnModel,
  ds: SkeletonDataset,
  batchSize: number,
  numClasses: number,
  onBatch?: (
    i: number,
    total: number,
    r: { loss: number; top1: number; top5: number; batchCost: number; readerCost: number; size: number },
  ) => void,
  maxBatches?: number,
  chunk?: number,
): Promise<EvalAccumulator> {
  const order = Array.from({ length: ds.count }, (_, i) => i);
  let batches = batchIndices(order, batchSize, false);
  if (maxBatches !== undefined) batches = batches.slice(0, maxBatches);
  const acc = new EvalAccumulator(numClasses);
  const { C, V, M } = { C: 3, V: 25, M: 2 };
  const W = ds.opts.pipeline.window;
  let tic = performance.now();
  for await (const b of prefetchBatches(ds, batches)) {
    const n = b.labels.length;
    // Forward in chunks: a tidy forward holds every activation until it returns, so memory
    // grows with the chunk, not with the logged batch.
    const per = C * W * V * M;
    const step = Math.max(1, Math.min(chunk ?? n, n));
    const logits = new Float32Array(n * numClasses);
    for (let a = 0; a < n; a += step) {
      const m = Math.min(step, n - a);
      const z = tf.tidy(() =>
        model.forward(tf.tensor(b.data.subarray(a * per, (a + m) * per), [m, C, W, V, M], 'float32'), {
          training: false,
        }),
      );
      logits.set(z.dataSync(), a * numClasses);
      z.dispose();
    }
    const loss = tf.tidy(() => {
      const z = tf.tensor2d(logits, [n, numClasses]);
      const oneHot = tf.oneHot(tf.tensor1d(b.labels, 'int32'), numClasses).toFloat() as tf.Tensor2D;
      return softCrossEntropy(z, oneHot).dataSync()[0];
    });
    const r = acc.add(logits, b.labels, loss);
    const now = performance.now();
    onBatch?.(b.batchIndex, batches.length, {
      loss,
      ...r,
      batchCost: (now - tic) / 1000,
      readerCost: b.readerCost,
      size: n,
    });
    tic = now;
  }
  return acc;
}
