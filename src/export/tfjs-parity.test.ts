// ONNX export vs the tfjs model (eval mode) on the same weights: the light seed-2 golden weights,
// and freshly initialised models of every shipped variant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as tfType from '@tensorflow/tfjs';
import { initBackend } from '../util/backend.js';
import type { ModelTree } from '../model/block-tree.js';
import { createModel } from '../model/ctrgcn.js';
import { shippedVariants, variantTree } from '../model/variants.js';
import { loadStateDict, stateDict } from '../model/weights.js';
import type { TensorMap } from '../model/safetensors.js';
import { runOnnxLogits } from '../infer/onnx-logits.js';
import { emitCtrgcnOnnx } from './graph/emit-ctrgcn.js';
import { encodeModel } from './graph/onnx-builder.js';
import { goldenCase, maxAbsDiff } from './golden.test-util.js';

let tf: typeof tfType;
beforeAll(async () => {
  tf = (await initBackend()).tf;
});
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-parity-'));

/** max |Δ logits| between tfjs and the exported graph, and the largest |logit|. */
async function compareTfjsOnnx(
  tree: ModelTree,
  weights: TensorMap | undefined,
  input: { data: Float32Array; shape: number[] },
  seed = 3,
) {
  const m = createModel(tree, { seed });
  try {
    if (weights) loadStateDict(m, weights, { strict: true });
    const sd = weights ?? stateDict(m);
    const x = tf.tensor(input.data, input.shape);
    const y = m.forward(x, { training: false });
    const ref = (await y.data()) as Float32Array;
    tf.dispose([x, y]);
    const file = path.join(tmp, `${tree.variant}-${seed}-${tree.baseChannel}.onnx`);
    fs.writeFileSync(file, encodeModel(emitCtrgcnOnnx(tree, sd, { window: input.shape[2], precision: 'fp32' }).model));
    const got = await runOnnxLogits(file, input.data, input.shape);
    return { d: maxAbsDiff(got, ref), scale: ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0) };
  } finally {
    m.dispose();
  }
}

describe('ONNX vs tfjs (eval mode)', () => {
  it('light, seed-2 golden weights, its 4-sample input', async () => {
    const c = goldenCase('ctrgcn_light_seed2_train_step');
    const { d } = await compareTfjsOnnx(variantTree('ctrgcn_light'), c.weights, c.input);
    console.log(`light seed2 eval: max |Δ logits| onnx vs tfjs = ${d.toExponential(3)}`);
    expect(d).toBeLessThanOrEqual(1e-4);
  });

  it.each(shippedVariants())('%s with freshly initialised weights', async (v) => {
    const c = goldenCase('ctrgcn_base64_seed1');
    // Default init (BN 1/0/0/1) lets activations grow through the residual stack: logits reach
    // the hundreds, so the float32 comparison is relative to their scale.
    const { d, scale } = await compareTfjsOnnx(variantTree(v), undefined, c.input, 11);
    console.log(
      `${v} init weights: max |Δ logits| onnx vs tfjs = ${d.toExponential(3)} (max |logit| ${scale.toFixed(1)})`,
    );
    expect(d).toBeLessThanOrEqual(1e-5 * Math.max(1, scale));
  });
});
