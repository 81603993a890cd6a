// unit_gcn: three CTR-GCs (one per adjacency subset) summed, BN, plus `down`, then ReLU
// (spec model.md §3). The three subsets run fused:
// - conv1/conv2 of all subsets are one matMul on the time-mean of x (mean_T commutes with a
//   1×1 conv), conv3 of all subsets is one matMul, conv4 is one batched matMul over subsets;
// - the aggregation y[c,t,u] = Σ_v x3[c,t,v]·Â[c,u,v] is one batched matMul over
//   (subset, channel, sample), then a sum over subsets.
// These run on a channel-major `[C, N'·T·V]` view so every weight product is a plain 2-D matMul
// (tfjs's matMul gradient does not reduce broadcast batch dimensions).
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../batchnorm.js';
import { ctrgcRelChannels, type BlockLayout } from '../layout.js';
import type { ForwardContext } from './context.js';
import { addRelu, meanAxis1, pointwise, pointwiseWeight, sumLeading } from './ops.js';

const SUBSETS = 3;

function stackWeights(ctx: ForwardContext, names: string[]): { w: tf.Tensor2D; b: tf.Tensor1D } {
  const w = tf.concat(
    names.map((n) => pointwiseWeight(ctx.v(`${n}.weight`))),
    0,
  );
  const b = tf.concat(
    names.map((n) => ctx.v(`${n}.bias`) as tf.Tensor1D),
    0,
  );
  return { w, b };
}

/** unit_gcn at `prefix` (e.g. `backbone.l1.gcn1`) on channels-last x `[N', T, V, Cin]`. */
export function unitGcn(ctx: ForwardContext, prefix: string, blk: BlockLayout, x: tf.Tensor4D): tf.Tensor4D {
  const [n, t, v, cin] = x.shape;
  const cout = blk.outChannels;
  const rel = ctrgcRelChannels(cin);
  const conv = (s: number, k: number) => `${prefix}.convs.${s}.conv${k}`;
  const subsets = [0, 1, 2];

  // Channel-major input: [Cin, N'·T·V].
  const xc = tf.transpose(tf.reshape(x, [n * t * v, cin]));

  // q, k for all subsets: [2·3·rel, N'·V] from the time-mean of x.
  // (mean over T on the channels-last input: TF reduces a middle axis fastest with a long inner one)
  const xm = tf.transpose(tf.reshape(meanAxis1(tf.reshape(x, [n, t, v * cin])), [n * v, cin]));
  const qkW = stackWeights(ctx, [...subsets.map((s) => conv(s, 1)), ...subsets.map((s) => conv(s, 2))]);
  const qk = tf.reshape(tf.add(tf.matMul(qkW.w, xm), tf.reshape(qkW.b, [-1, 1])), [2, SUBSETS * rel, n, v]);
  const q = tf.reshape(tf.slice(qk, [0, 0, 0, 0], [1, SUBSETS * rel, n, v]), [SUBSETS * rel, n, v, 1]);
  const k = tf.reshape(tf.slice(qk, [1, 0, 0, 0], [1, SUBSETS * rel, n, v]), [SUBSETS * rel, n, 1, v]);
  const rmap = tf.reshape(tf.tanh(tf.sub(q, k)), [SUBSETS, rel, n * v * v]);

  // Â_s = conv4_s(R_s)·α + PA_s: [3, Cout, N', V, V].
  // α scales conv4's weight and bias (tiny tensors) rather than the [3, C, N', V, V] map: cheaper,
  // and α's gradient becomes a short reduction (a long float32 one loses ~1e-3 relative).
  const alpha = ctx.v(`${prefix}.alpha`);
  const w4 = tf.mul(tf.stack(subsets.map((s) => pointwiseWeight(ctx.v(`${conv(s, 4)}.weight`)))), alpha);
  // conv4's bias and PA are constant over samples: add them as one small [3, C, 1, V, V] term.
  const b4 = tf.mul(
    tf.reshape(tf.stack(subsets.map((s) => ctx.v(`${conv(s, 4)}.bias`))), [SUBSETS, cout, 1, 1, 1]),
    alpha,
  );
  const constant = tf.add(b4, tf.reshape(ctx.v(`${prefix}.PA`), [SUBSETS, 1, 1, v, v]));
  const adj = tf.add(tf.reshape(tf.matMul(w4, rmap), [SUBSETS, cout, n, v, v]), constant);

  // x3 for all subsets: [3·Cout, N'·T·V] → aggregation over v, summed over subsets.
  // conv3's bias b is constant over t and v, so its aggregate is b·Σ_v Â[u, v]: added after the
  // subset sum on a [C, N', 1, V] term instead of to the 3× larger x3.
  const w3 = stackWeights(
    ctx,
    subsets.map((s) => conv(s, 3)),
  );
  const x3 = tf.matMul(w3.w, xc);
  const agg = tf.matMul(
    tf.reshape(x3, [SUBSETS * cout * n, t, v]),
    tf.reshape(adj, [SUBSETS * cout * n, v, v]),
    false,
    true,
  );
  const biasAgg = tf.sum(tf.mul(tf.sum(adj, 4), tf.reshape(w3.b, [SUBSETS, cout, 1, 1])), 0); // [C, N', V]
  const ysum = tf.add(
    tf.reshape(sumLeading(tf.reshape(agg, [SUBSETS, cout * n * t * v])), [cout, n, t, v]),
    tf.reshape(biasAgg, [cout, n, 1, v]),
  );
  const y = tf.reshape(tf.transpose(tf.reshape(ysum, [cout, n * t * v])), [n, t, v, cout]);

  const main = batchNorm(y, [ctx.bn(`${prefix}.bn`)], ctx.recorder);
  let down: tf.Tensor = x;
  if (cin !== cout) {
    const d = pointwise(x, pointwiseWeight(ctx.v(`${prefix}.down.0.weight`)), ctx.maybe(`${prefix}.down.0.bias`));
    down = batchNorm(d, [ctx.bn(`${prefix}.down.1`)], ctx.recorder);
  }
  return addRelu(main, down) as tf.Tensor4D;
}
