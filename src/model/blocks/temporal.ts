// MultiScale_TemporalConv (dilated temporal conv branches, max-pool, strided 1×1) and the strided
// 1×1 shortcut, spec model.md §3, on channels-last maps, walking a TemporalNode of the block tree.
// The entry 1×1 convs (per branch, or one fused conv_pw) and the strided branch run as one matMul;
// BNs over the same frames run fused.
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../batchnorm.js';
import type { ConvRef, Shortcut, TemporalNode } from '../block-tree.js';
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

/** Concatenated biases of `convs`: all present, or none (a mix never occurs in one unit). */
function concatBiases(ctx: ForwardContext, convs: readonly ConvRef[]): tf.Tensor1D | undefined {
  const biases = convs.map((c) => ctx.maybe(c.bias));
  if (biases.every((b) => b))
    return biases.length === 1 ? (biases[0] as tf.Tensor1D) : tf.concat(biases as tf.Tensor1D[]);
  if (biases.some((b) => b)) throw new Error(`temporal unit mixes convs with and without bias (${convs[0].weight})`);
  return undefined;
}

/** MultiScale_TemporalConv of node `tn` on x `[N', T, V, Cin]`. */
export function multiScaleTemporal(ctx: ForwardContext, tn: TemporalNode, x: tf.Tensor4D): tf.Tensor4D {
  const { widths, stride, headWidth: headW } = tn;
  const nb = widths.length;
  const pool = tn.temporal.length;
  const lastW = widths[nb - 1];

  // Entry 1×1 convs of the conv and pool branches and the strided 1×1 branch in one matMul.
  const convs = [...tn.entry.map((e) => e.conv), tn.last.conv];
  const w = tf.concat(
    convs.map((c) => pointwiseWeight(ctx.v(c.weight))),
    0,
  );
  const h = pointwise(x, w, concatBiases(ctx, convs)) as tf.Tensor4D;
  const entryBn = tn.entry.map((e) => ctx.bn(e.bn));
  const lastBn = ctx.bn(tn.last.bn);

  let act: tf.Tensor4D;
  let last: tf.Tensor4D;
  if (stride === 1) {
    const [a, r] = tf.split<tf.Tensor4D>(batchNorm(h, [...entryBn, lastBn], ctx.recorder), [headW, lastW], -1);
    act = addRelu(a);
    last = r;
  } else {
    // The strided 1×1 branch sees only frames 0, 2, …: its BN statistics are over those.
    const [a, r] = tf.split<tf.Tensor4D>(h, [headW, lastW], -1);
    act = addRelu(batchNorm(a, entryBn, ctx.recorder)) as tf.Tensor4D;
    last = batchNorm(evenFrames(r), [lastBn], ctx.recorder) as tf.Tensor4D;
  }
  const parts = tf.split<tf.Tensor4D>(act, widths.slice(0, nb - 1), -1);
  const outs: tf.Tensor4D[] = tn.temporal.map(({ conv }, i) =>
    maybeBias(temporalConv(parts[i], temporalFilter(ctx.v(conv.weight)), stride, conv.dilation), ctx.maybe(conv.bias)),
  );
  outs.push(temporalMaxPool(parts[pool], tn.pool));
  const exitBn = [...tn.temporal.map((t) => ctx.bn(t.bn)), ctx.bn(tn.pool.bn)];
  const mixed = batchNorm(tf.concat(outs, -1), exitBn, ctx.recorder);
  return tf.concat([mixed, last], -1) as tf.Tensor4D;
}

/** The strided 1×1 conv + BN shortcut (unit_tcn / TemporalConv with kernel 1). */
export function shortcutConv(ctx: ForwardContext, s: Extract<Shortcut, { kind: 'conv' }>, x: tf.Tensor4D): tf.Tensor4D {
  const xs = s.conv.stride === 2 ? evenFrames(x) : x;
  if (s.conv.stride > 2) throw new Error(`${s.prefix}: shortcut stride ${s.conv.stride} is not supported (1 or 2)`);
  const y = pointwise(xs, pointwiseWeight(ctx.v(s.conv.weight)), ctx.maybe(s.conv.bias));
  return batchNorm(y, [ctx.bn(s.bn)], ctx.recorder) as tf.Tensor4D;
}
