// MultiScale_TemporalConv (4 branches: dilation 1 and 2 temporal convs, max-pool, strided 1×1)
// and unit_tcn (the strided 1×1 block residual), spec model.md §3, on channels-last maps.
// The four branch-entry 1×1 convs run as one matMul; BNs over the same frames run fused.
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../batchnorm.js';
import type { ForwardContext } from './context.js';
import {
  addRelu,
  evenFrames,
  pointwise,
  pointwiseWeight,
  temporalConv,
  temporalFilter,
  temporalMaxPool,
} from './ops.js';

function maybeBias(x: tf.Tensor4D, bias: tf.Tensor | undefined): tf.Tensor4D {
  return bias ? tf.add(x, bias) : x;
}

/** MultiScale_TemporalConv at `prefix` (e.g. `backbone.l1.tcn1`) on x `[N', T, V, Cin]`. */
export function multiScaleTemporal(
  ctx: ForwardContext,
  prefix: string,
  cout: number,
  stride: number,
  x: tf.Tensor4D,
): tf.Tensor4D {
  const { dilations } = ctx.layout;
  const bc = cout / 4;
  const br = (i: number) => `${prefix}.branches.${i}`;
  const nb = dilations.length + 2;
  const pool = dilations.length;
  const idx = Array.from({ length: nb }, (_, i) => i);

  // Entry 1×1 convs of all branches in one matMul; branch `pool + 1` is the strided 1×1 branch.
  const w = tf.concat(
    idx.map((i) => pointwiseWeight(ctx.v(`${br(i)}.0.weight`))),
    0,
  );
  const biases = idx.map((i) => ctx.maybe(`${br(i)}.0.bias`));
  const b = biases.every((t) => t) ? tf.concat(biases as tf.Tensor1D[]) : undefined;
  const h = pointwise(x, w, b) as tf.Tensor4D;
  const entryBn = idx.map((i) => ctx.bn(`${br(i)}.1`));

  let act: tf.Tensor4D;
  let last: tf.Tensor4D;
  if (stride === 1) {
    const [a, r] = tf.split<tf.Tensor4D>(batchNorm(h, entryBn, ctx.recorder), [(nb - 1) * bc, bc], -1);
    act = addRelu(a);
    last = r;
  } else {
    // The strided 1×1 branch sees only frames 0, 2, …: its BN statistics are over those.
    const [a, r] = tf.split<tf.Tensor4D>(h, [(nb - 1) * bc, bc], -1);
    act = addRelu(batchNorm(a, entryBn.slice(0, nb - 1), ctx.recorder)) as tf.Tensor4D;
    last = batchNorm(evenFrames(r), entryBn.slice(nb - 1), ctx.recorder) as tf.Tensor4D;
  }
  const parts = tf.split<tf.Tensor4D>(act, nb - 1, -1);
  const outs: tf.Tensor4D[] = dilations.map((d, i) =>
    maybeBias(
      temporalConv(parts[i], temporalFilter(ctx.v(`${br(i)}.3.conv.weight`)), stride, d),
      ctx.maybe(`${br(i)}.3.conv.bias`),
    ),
  );
  outs.push(temporalMaxPool(parts[pool], stride));
  const exitBn = [...dilations.map((_, i) => ctx.bn(`${br(i)}.3.bn`)), ctx.bn(`${br(pool)}.4`)];
  const mixed = batchNorm(tf.concat(outs, -1), exitBn, ctx.recorder);
  return tf.concat([mixed, last], -1) as tf.Tensor4D;
}

/** unit_tcn with kernel 1 (the block residual at `prefix`, e.g. `backbone.l5.residual`). */
export function unitTcn1x1(ctx: ForwardContext, prefix: string, stride: number, x: tf.Tensor4D): tf.Tensor4D {
  const xs = stride === 2 ? evenFrames(x) : x;
  const y = pointwise(xs, pointwiseWeight(ctx.v(`${prefix}.conv.weight`)), ctx.maybe(`${prefix}.conv.bias`));
  return batchNorm(y, [ctx.bn(`${prefix}.bn`)], ctx.recorder) as tf.Tensor4D;
}
