// The graph aggregation y[c,t,u] = Σ_s Σ_v x3[s,c,t,v]·Â[s,c,u,v] (c running over channel × sample) in
// four formulations, each timed with its gradients (value and d/dx3, d/dÂ through tf.grads, as a
// training step needs them) on the shapes the profiled step ran, beside the same-run matmul peak:
// - batchedMatMul: one 25×25 product per (subset, channel, sample), then a sum over subsets (the model's);
// - subsetsInContraction: the subsets folded into the contraction, `[C, T, S·V] × [C, S·V, U]`,
//   including the transposes that bring x3 and Â into that layout;
// - broadcastMulSum: x3 ⊙ Â broadcast to `[S·C, T, U, V]`, summed over v;
// - depthwiseConv: x3 as one image with S·C channels, Â as a `[1, V]` depthwise filter with U outputs per
//   channel (TF's DepthwiseConv2dNative), including its transposes.
// The last two hold S·C·T·U·V floats at once, so they run on a slice of the items and their time is
// scaled to all items (`timed_fraction` says which share ran). All four give the same y (checked).

/** Median wall time (ms) of `reps` runs of `f` after one warm-up; every tensor `f` returns is read and disposed. */
function medianMs(tf, f, reps) {
  const times = [];
  for (let r = 0; r <= reps; r++) {
    const t0 = performance.now();
    const out = f();
    for (const t of Array.isArray(out) ? out : [out]) {
      t.dataSync();
      t.dispose();
    }
    if (r > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

/** y `[C, T, U]` from x3 `[S, C, T, V]` and Â `[S, C, U, V]`, per formulation. */
const FORMULATIONS = {
  batchedMatMul: (tf, x3, adj) => {
    const [s, c, t, v] = x3.shape;
    const agg = tf.matMul(tf.reshape(x3, [s * c, t, v]), tf.reshape(adj, [s * c, v, v]), false, true);
    return tf.reshape(tf.sum(tf.reshape(agg, [s, c * t * v]), 0), [c, t, v]);
  },
  subsetsInContraction: (tf, x3, adj) => {
    const [s, c, t, v] = x3.shape;
    const xs = tf.reshape(tf.transpose(x3, [1, 2, 0, 3]), [c, t, s * v]);
    const as = tf.reshape(tf.transpose(adj, [1, 0, 3, 2]), [c, s * v, v]);
    return tf.matMul(xs, as);
  },
  broadcastMulSum: (tf, x3, adj) => {
    const [s, c, t, v] = x3.shape;
    const prod = tf.mul(tf.reshape(x3, [s, c, t, 1, v]), tf.reshape(adj, [s, c, 1, v, v]));
    return tf.sum(tf.sum(prod, 4), 0);
  },
  depthwiseConv: (tf, x3, adj) => {
    const [s, c, t, v] = x3.shape;
    const image = tf.reshape(tf.transpose(tf.reshape(x3, [s * c, t, v]), [1, 2, 0]), [1, t, v, s * c]);
    const filter = tf.reshape(tf.transpose(tf.reshape(adj, [s * c, v, v]), [2, 0, 1]), [1, v, s * c, v]);
    const y = tf.reshape(tf.depthwiseConv2d(image, filter, 1, 'valid'), [t, s, c, v]);
    return tf.transpose(tf.sum(y, 1), [1, 0, 2]);
  },
};

/** Share of the items each formulation runs on (the broadcast ones would hold ~1 GB at full size). */
const FRACTION = { batchedMatMul: 1, subsetsInContraction: 1, broadcastMulSum: 1 / 16, depthwiseConv: 1 / 16 };

/**
 * @param tf the active tfjs
 * @param shapes `{ items, frames }` per profiled aggregation (items = S·C·N', frames = T)
 * @param opts `{ subsets, joints, peakGflops, reps }`
 */
export function aggregationFormulations(tf, shapes, { subsets = 3, joints = 25, peakGflops, reps = 3 }) {
  return shapes.map(({ items, frames }) => {
    const c = items / subsets;
    const row = { items, frames, subsets, formulations: {} };
    // Forward and both gradient products: 3 × 2·items·T·V·U FLOPs.
    const gflop = (3 * 2 * items * frames * joints * joints) / 1e9;
    // Value check: every formulation on the same small input (two channels).
    const x3Check = tf.randomNormal([subsets, 2, frames, joints], 0, 1, 'float32', 5);
    const adjCheck = tf.randomNormal([subsets, 2, joints, joints], 0, 1, 'float32', 6);
    let reference;
    for (const [name, f] of Object.entries(FORMULATIONS)) {
      const cPart = Math.max(1, Math.round(c * FRACTION[name]));
      const x3 = tf.randomNormal([subsets, cPart, frames, joints], 0, 1, 'float32', 7);
      const adj = tf.randomNormal([subsets, cPart, joints, joints], 0, 1, 'float32', 11);
      const withGrads = tf.grads((a, b) => f(tf, a, b));
      // Every formulation returns y [C, T, U].
      const dy = tf.ones([cPart, frames, joints]);
      const ms = medianMs(tf, () => withGrads([x3, adj], dy), reps);
      tf.dispose([x3, adj, dy]);
      const y = tf.tidy(() => f(tf, x3Check, adjCheck));
      const yv = y.dataSync();
      y.dispose();
      reference ??= yv;
      const maxAbsDiff = yv.reduce((m, a, i) => Math.max(m, Math.abs(a - reference[i])), 0);
      const fraction = cPart / c;
      const fullMs = ms / fraction;
      row.formulations[name] = {
        ms_with_grads: +fullMs.toFixed(1),
        gflops: +((gflop / fullMs) * 1e3).toFixed(2),
        of_peak: +(((gflop / fullMs) * 1e3) / peakGflops).toFixed(3),
        ...(fraction < 1 ? { timed_fraction: +fraction.toFixed(4) } : {}),
        max_abs_diff_vs_first: +maxAbsDiff.toExponential(2),
      };
    }
    tf.dispose([x3Check, adjCheck]);
    return row;
  });
}
