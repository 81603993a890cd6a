// Batch-level mixup (training.md §3): one λ ~ Beta(α, α) and one permutation π per batch,
// x̃_i = λ·x_i + (1−λ)·x_π(i). Done on the assembled Float32Array before it becomes a tensor.
import type { Rng } from './rng.js';

export interface MixupResult {
  data: Float32Array;
  lambda: number;
  perm: number[];
  mixLabels: Int32Array;
}

export function mixupBatch(data: Float32Array, labels: Int32Array, alpha: number, rng: Rng): MixupResult {
  const n = labels.length;
  if (n === 0 || data.length % n !== 0) throw new Error(`mixup: ${data.length} values do not split into ${n} samples`);
  const per = data.length / n;
  const lambda = rng.beta(alpha, alpha);
  const perm = rng.permutation(n);
  const out = new Float32Array(data.length);
  for (let i = 0; i < n; i++) {
    const a = i * per;
    const b = perm[i] * per;
    for (let j = 0; j < per; j++) out[a + j] = lambda * data[a + j] + (1 - lambda) * data[b + j];
  }
  return { data: out, lambda, perm, mixLabels: Int32Array.from(perm, (p) => labels[p]) };
}
