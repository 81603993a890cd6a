// `bench train --profile` compares the graph aggregation written four ways; the comparison is only
// worth reading if all four compute the same sum Σ_s Σ_v x3[s,c,t,v]·Â[s,c,u,v].
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/util/backend.js';
// @ts-expect-error plain .mjs script without type declarations
import { aggregationFormulations } from '../../scripts/aggregation-formulations.mjs';

type Row = { formulations: Record<string, { max_abs_diff_vs_first: number; ms_with_grads: number }> };

describe('aggregation formulations (bench)', () => {
  it('all four give the per-subset batched matMul value, and each is timed with its gradients', async () => {
    const { tf } = await initBackend();
    const before = tf.memory().numTensors;
    const rows = aggregationFormulations(tf, [{ items: 6, frames: 8 }], { peakGflops: 100, reps: 1 }) as Row[];
    const f = rows[0].formulations;
    expect(Object.keys(f)).toEqual(['batchedMatMul', 'subsetsInContraction', 'broadcastMulSum', 'depthwiseConv']);
    for (const [name, r] of Object.entries(f)) {
      expect(r.max_abs_diff_vs_first, name).toBeLessThan(1e-4);
      expect(r.ms_with_grads, name).toBeGreaterThan(0);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
