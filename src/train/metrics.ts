// Top-k accuracy and the evaluation accumulators (training.md §4, §10).
import { argmaxRows } from '../util/argmax.js';

/** Per-sample top-k hit (1/0) from row-major logits [N, K]. Ties rank by lower class index. */
export function topkHits(
  logits: Float32Array | number[],
  numClasses: number,
  labels: ArrayLike<number>,
  k: number,
): Uint8Array {
  const n = labels.length;
  const hits = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    const base = i * numClasses;
    const ly = logits[base + y];
    // y is in the top k iff fewer than k classes rank above it.
    let above = 0;
    for (let c = 0; c < numClasses; c++) {
      const v = logits[base + c];
      if (v > ly || (v === ly && c < y)) above++;
    }
    hits[i] = above < k ? 1 : 0;
  }
  return hits;
}

const mean = (h: Uint8Array) => (h.length ? h.reduce((a, b) => a + b, 0) / h.length : 0);

/** Batch accuracy; with mixup λ·acc(y) + (1−λ)·acc(y_π) (§4). */
export function batchAccuracy(
  logits: Float32Array,
  numClasses: number,
  labels: Int32Array,
  k: number,
  mix?: { mixLabels: Int32Array; lambda: number },
): number {
  const a = mean(topkHits(logits, numClasses, labels, k));
  if (!mix) return a;
  return mix.lambda * a + (1 - mix.lambda) * mean(topkHits(logits, numClasses, mix.mixLabels, k));
}

/** Accumulates evaluation results: sample-weighted and batch-mean accuracies, confusion matrix. */
export class EvalAccumulator {
  samples = 0;
  correct1 = 0;
  correct5 = 0;
  lossSum = 0;
  readonly batchTop1: number[] = [];
  readonly batchTop5: number[] = [];
  /** Predicted top-1 class of every sample added, in order. */
  readonly predictions: number[] = [];
  readonly confusion: Int32Array;

  constructor(readonly numClasses: number) {
    this.confusion = new Int32Array(numClasses * numClasses);
  }

  add(logits: Float32Array, labels: Int32Array, loss?: number): { top1: number; top5: number } {
    const K = this.numClasses;
    const h1 = topkHits(logits, K, labels, 1);
    const h5 = topkHits(logits, K, labels, Math.min(5, K));
    const pred = argmaxRows(logits, K);
    for (let i = 0; i < labels.length; i++) {
      this.confusion[labels[i] * K + pred[i]]++;
      this.predictions.push(pred[i]);
    }
    const c1 = h1.reduce((a, b) => a + b, 0);
    const c5 = h5.reduce((a, b) => a + b, 0);
    this.samples += labels.length;
    this.correct1 += c1;
    this.correct5 += c5;
    if (loss !== undefined) this.lossSum += loss * labels.length;
    const top1 = c1 / labels.length;
    const top5 = c5 / labels.length;
    this.batchTop1.push(top1);
    this.batchTop5.push(top5);
    return { top1, top5 };
  }

  summary(names?: readonly string[]) {
    const K = this.numClasses;
    const bm = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0);
    const perClass: Array<{ class: number; name?: string; samples: number; correct: number; accuracy: number | null }> =
      [];
    const pairs: Array<{ true: number; predicted: number; count: number }> = [];
    for (let y = 0; y < K; y++) {
      let total = 0;
      for (let p = 0; p < K; p++) {
        const c = this.confusion[y * K + p];
        total += c;
        if (p !== y && c > 0) pairs.push({ true: y, predicted: p, count: c });
      }
      if (total > 0) {
        const correct = this.confusion[y * K + y];
        perClass.push({
          class: y,
          ...(names?.[y] ? { name: names[y] } : {}),
          samples: total,
          correct,
          accuracy: correct / total,
        });
      }
    }
    pairs.sort((a, b) => b.count - a.count || a.true - b.true || a.predicted - b.predicted);
    return {
      samples: this.samples,
      batches: this.batchTop1.length,
      top1: this.samples ? this.correct1 / this.samples : 0,
      top5: this.samples ? this.correct5 / this.samples : 0,
      top1_batch_mean: bm(this.batchTop1),
      top5_batch_mean: bm(this.batchTop5),
      loss: this.samples ? this.lossSum / this.samples : undefined,
      per_class: perClass,
      most_confused: pairs.slice(0, 20),
    };
  }
}
