// unit_gcn: CTR-GC over the adjacency subsets summed, BN, plus `down`, then ReLU (spec model.md §3),
// walking a GcnNode of the block tree. Whatever the stored form (per-subset convs, one fused conv1,
// a relation map shared by the subsets), the computation is the same fused one:
// - the q/k projections of every relation set are one matMul on the time-mean of x (mean_T commutes
//   with a 1×1 conv), the values of every subset one matMul, the lifts one (batched) matMul;
// - the aggregation y[c,t,u] = Σ_v x3[c,t,v]·Â[c,u,v] is one batched matMul over
//   (subset, channel, sample), then a sum over subsets.
// These run on a channel-major `[C, N'·T·V]` view so every weight product is a plain 2-D matMul
// (tfjs's matMul gradient does not reduce broadcast batch dimensions).
import * as tf from '@tensorflow/tfjs';
import { batchNorm } from '../batchnorm.js';
import type { ConvRows, GcnNode } from '../block-tree.js';
import type { ForwardContext } from './context.js';
import { addRelu, meanAxis1, pointwise, pointwiseWeight, sumLeading } from './ops.js';

/** Adjacent row ranges of the same conv merge into one slice (a fused conv1 → one slice per use). */
function segments(refs: readonly ConvRows[]): ConvRows[] {
  const out: ConvRows[] = [];
  for (const r of refs) {
    const prev = out[out.length - 1] as ConvRows | undefined;
    if (prev && prev.conv === r.conv && prev.start + prev.count === r.start)
      out[out.length - 1] = { ...prev, count: prev.count + r.count };
    else out.push({ ...r });
  }
  return out;
}

/** `[rows, in]` weight and `[rows]` bias of the concatenated row ranges `refs` (1×1 convs). */
export function stackRows(ctx: ForwardContext, refs: readonly ConvRows[]): { w: tf.Tensor2D; b?: tf.Tensor1D } {
  const parts = segments(refs).map(({ conv, start, count }): { w: tf.Tensor2D; b?: tf.Tensor1D } => {
    const full = count === conv.out;
    const w = pointwiseWeight(ctx.v(conv.weight));
    const b = ctx.maybe(conv.bias) as tf.Tensor1D | undefined;
    return {
      w: full ? w : tf.slice(w, [start, 0], [count, conv.in]),
      b: b && !full ? tf.slice(b, [start], [count]) : b,
    };
  });
  const w = parts.length === 1 ? parts[0].w : tf.concat(parts.map((p) => p.w));
  const biases = parts.map((p) => p.b);
  if (biases.some((b) => !b) && biases.some((b) => b))
    throw new Error(
      `CTR-GC projections mix convs with and without bias (${refs.map((r) => r.conv.weight).join(', ')})`,
    );
  const b = biases[0] ? (parts.length === 1 ? biases[0] : tf.concat(biases as tf.Tensor1D[])) : undefined;
  return { w, b };
}

/** unit_gcn of node `g` on channels-last x `[N', T, V, Cin]`. */
export function unitGcn(ctx: ForwardContext, g: GcnNode, x: tf.Tensor4D): tf.Tensor4D {
  const [n, t, v, cin] = x.shape;
  const { out: cout, rel, subsets: S, relationSets: SR } = g;

  // Channel-major input: [Cin, N'·T·V].
  const xc = tf.transpose(tf.reshape(x, [n * t * v, cin]));

  // q, k for every relation set: [2·SR·rel, N'·V] from the time-mean of x.
  // (mean over T on the channels-last input: TF reduces a middle axis fastest with a long inner one)
  const xm = tf.transpose(tf.reshape(meanAxis1(tf.reshape(x, [n, t, v * cin])), [n * v, cin]));
  const qkW = stackRows(ctx, [...g.query, ...g.key]);
  const qkLin = tf.matMul(qkW.w, xm);
  const qk = tf.reshape(qkW.b ? tf.add(qkLin, tf.reshape(qkW.b, [-1, 1])) : qkLin, [2, SR * rel, n, v]);
  const q = tf.reshape(tf.slice(qk, [0, 0, 0, 0], [1, SR * rel, n, v]), [SR * rel, n, v, 1]);
  const k = tf.reshape(tf.slice(qk, [1, 0, 0, 0], [1, SR * rel, n, v]), [SR * rel, n, 1, v]);
  const rmap = tf.reshape(tf.tanh(tf.sub(q, k)), [SR, rel, n * v * v]);

  // Â_s = lift_s(R_s)·α + PA_s: [S, Cout, N', V, V].
  // α scales the lift's weight and bias (tiny tensors) rather than the [S, C, N', V, V] map: cheaper,
  // and α's gradient becomes a short reduction (a long float32 one loses ~1e-3 relative).
  const alpha = ctx.v(g.alpha);
  const lifts = g.lift.map((r) => stackRows(ctx, [r]));
  const w4 = tf.mul(tf.stack(lifts.map((l) => l.w)), alpha); // [S, C, rel]
  const lifted =
    SR === S
      ? tf.matMul(w4, rmap) // one relation map per subset
      : tf.matMul(tf.reshape(w4, [S * cout, rel]), tf.reshape(rmap, [rel, n * v * v])); // one shared map
  // The lift's bias and PA are constant over samples: add them as one small [S, C, 1, V, V] term.
  const pa = tf.reshape(ctx.v(g.pa), [S, 1, 1, v, v]);
  const constant = lifts[0].b
    ? tf.add(tf.mul(tf.reshape(tf.stack(lifts.map((l) => l.b!)), [S, cout, 1, 1, 1]), alpha), pa)
    : pa;
  const adj = tf.add(tf.reshape(lifted, [S, cout, n, v, v]), constant);

  // x3 for every subset: [S·Cout, N'·T·V] → aggregation over v, summed over subsets.
  // The value bias b is constant over t and v, so its aggregate is b·Σ_v Â[u, v]: added after the
  // subset sum on a [C, N', 1, V] term instead of to the S× larger x3.
  const w3 = stackRows(ctx, g.value);
  const x3 = tf.matMul(w3.w, xc);
  const agg = tf.matMul(tf.reshape(x3, [S * cout * n, t, v]), tf.reshape(adj, [S * cout * n, v, v]), false, true);
  let ysum = tf.reshape(sumLeading(tf.reshape(agg, [S, cout * n * t * v])), [cout, n, t, v]);
  if (w3.b) {
    const biasAgg = tf.sum(tf.mul(tf.sum(adj, 4), tf.reshape(w3.b, [S, cout, 1, 1])), 0); // [C, N', V]
    ysum = tf.add(ysum, tf.reshape(biasAgg, [cout, n, 1, v]));
  }
  const y = tf.reshape(tf.transpose(tf.reshape(ysum, [cout, n * t * v])), [n, t, v, cout]);

  const main = batchNorm(y, [ctx.bn(g.bn)], ctx.recorder);
  let down: tf.Tensor = x;
  if (g.down) {
    const { conv, bn } = g.down;
    const d = pointwise(x, pointwiseWeight(ctx.v(conv.weight)), ctx.maybe(conv.bias));
    down = batchNorm(d, [ctx.bn(bn)], ctx.recorder);
  }
  return addRelu(main, down) as tf.Tensor4D;
}
