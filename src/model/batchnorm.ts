// Paddle BatchNorm on channels-last tensors, with several BN layers optionally fused into one
// normalisation over their concatenated channels (same result: BN is per channel).
//
// Training normalises with the batch mean and the biased batch variance and RECORDS them; the
// running statistics change only in `commit()` (running = 0.9·running + 0.1·batch, Paddle's CPU
// rule with the biased variance), so a gradient tape around the forward pass has no side effects.
import * as tf from '@tensorflow/tfjs';

export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.9;

/** The four tensors of one Paddle BatchNorm layer. */
export interface BnLayer {
  prefix: string;
  /** Plain tensors while a checkpointed block is replayed for its gradient. */
  weight: tf.Tensor;
  bias: tf.Tensor;
  mean: tf.Variable;
  variance: tf.Variable;
}

interface RecordedStats {
  layers: BnLayer[];
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Batch statistics recorded by training-mode forward passes, waiting for `commit()`. */
export class BatchStatsRecorder {
  private entries: RecordedStats[] = [];

  record(layers: BnLayer[], mean: tf.Tensor1D, variance: tf.Tensor1D): void {
    this.entries.push({ layers, mean: tf.keep(mean), variance: tf.keep(variance) });
  }

  get size(): number {
    return this.entries.length;
  }

  /** running ← momentum·running + (1 − momentum)·batch for every recorded layer; then clears. */
  commit(momentum = BN_MOMENTUM): void {
    for (const e of this.entries) {
      tf.tidy(() => {
        const sizes = e.layers.map((l) => l.mean.shape[0]);
        const means = e.layers.length === 1 ? [e.mean] : tf.split(e.mean, sizes);
        const vars = e.layers.length === 1 ? [e.variance] : tf.split(e.variance, sizes);
        e.layers.forEach((l, i) => {
          l.mean.assign(tf.add(tf.mul(l.mean, momentum), tf.mul(means[i], 1 - momentum)));
          l.variance.assign(tf.add(tf.mul(l.variance, momentum), tf.mul(vars[i], 1 - momentum)));
        });
      });
    }
    this.clear();
  }

  clear(): void {
    for (const e of this.entries) tf.dispose([e.mean, e.variance]);
    this.entries = [];
  }
}

/** Training mode that records nothing (replaying a block whose statistics are recorded already). */
export class DiscardingRecorder extends BatchStatsRecorder {
  override record(): void {}
}

/** A `[1, rows]` row of `value` (a matMul with it reduces over rows). */
function onesRow(rows: number, value: number): tf.Tensor2D {
  return tf.fill([1, rows], value);
}

/** The largest divisor of n not above its square root. */
function innerBlock(n: number): number {
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/**
 * `scale · Σ_rows x` of `x [rows, C]` as `[1, C]`, in two levels: sums of blocks of ≈√rows rows, then
 * the sum of those. A float32 sum's rounding error grows with the length of its sequential runs; some
 * CPU GEMM paths (Eigen's, without oneDNN) run a `[1, rows]` product as one sequential pass, and two
 * levels of √rows keep each run short whichever kernel runs it.
 */
function sumRows(x: tf.Tensor, scale: number): tf.Tensor2D {
  const [rows, c] = x.shape as [number, number];
  const inner = innerBlock(rows);
  if (inner < 8) return tf.matMul(onesRow(rows, scale), x);
  const partial = tf.sum<tf.Tensor2D>(tf.reshape(x, [rows / inner, inner, c]), 1);
  return tf.matMul(onesRow(rows / inner, scale), partial);
}

/**
 * Training-mode BN of `x2 [rows, C]` with an analytic backward pass. Reductions over rows run in
 * two levels (sumRows): tfjs-node's Sum/Mean over a leading axis accumulates sequentially in float32
 * (≈3e-6 relative over 10⁴ rows), and so does a `[1, rows]` matMul where the CPU runs it without
 * oneDNN (AMD EPYC: the training-step golden's max |Δparam| 3.7e-4 with one-level matMuls, 1.0e-4
 * with two levels, atol 2.9e-4). The hand-written gradient needs half the full-size ops of the
 * autodiff one.
 */
function trainBatchNorm(
  x2: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  refine: boolean,
  onStats: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor2D {
  const [rows, c] = x2.shape;
  // customGrad runs the forward inside a tidy and keeps only what `save` is given.
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    let mean = sumRows(x, 1 / rows);
    let xc = tf.sub(x, mean);
    if (refine) {
      // For far-from-zero inputs (raw coordinates) the float32 mean is off by up to an ulp, which
      // (x − μ)/σ magnifies; one correction step with the residual mean fixes it.
      const delta = sumRows(xc, 1 / rows);
      xc = tf.sub(xc, delta);
      mean = tf.add(mean, delta);
    }
    const variance = sumRows(tf.square(xc), 1 / rows);
    const rstd = tf.rsqrt(tf.add(variance, BN_EPSILON));
    const scale = tf.mul(rstd, g);
    onStats(tf.reshape(mean, [c]), tf.reshape(variance, [c]));
    // Save x (alive anyway as the previous op's output) rather than x − μ: one buffer less per BN.
    save([x, mean, rstd, scale]);
    return {
      value: tf.add(tf.mul(xc, scale), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, rs, sc] = saved;
        const xcs = tf.sub(xs, m);
        const dbeta = sumRows(dy, 1);
        const dyxc = sumRows(tf.mul<tf.Tensor2D>(dy, xcs), 1);
        // dx = γ·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)), x̂ = (x − μ)·rstd
        const k = tf.mul(tf.square(rs), tf.div(dyxc, rows));
        const dx = tf.mul(tf.sub(tf.sub(dy, tf.mul(xcs, k)), tf.div(dbeta, rows)), sc);
        return [dx, tf.reshape(tf.mul(dyxc, rs), [c]), tf.reshape(dbeta, [c])];
      },
    };
  });
  return f(x2, gamma, beta) as tf.Tensor2D;
}

const cat = (ts: tf.Tensor[]): tf.Tensor1D =>
  ts.length === 1 ? (ts[0] as tf.Tensor1D) : tf.concat(ts as tf.Tensor1D[]);

/**
 * BatchNorm over the last axis of `x` for the channel-concatenation of `layers`.
 * `recorder` given ⇒ training mode (batch statistics, recorded); absent ⇒ eval (running stats).
 * `refineMean`: one extra pass for inputs far from zero relative to their spread (data_bn).
 */
export function batchNorm(
  x: tf.Tensor,
  layers: BnLayer[],
  recorder?: BatchStatsRecorder,
  opts: { refineMean?: boolean } = {},
): tf.Tensor {
  const gamma = cat(layers.map((l) => l.weight));
  const beta = cat(layers.map((l) => l.bias));
  if (recorder) {
    const c = x.shape[x.shape.length - 1];
    const y = trainBatchNorm(tf.reshape(x, [-1, c]), gamma, beta, opts.refineMean ?? false, (m, v) =>
      recorder.record(layers, m, v),
    );
    return tf.reshape(y, x.shape);
  }
  const mean = cat(layers.map((l) => l.mean));
  const variance = cat(layers.map((l) => l.variance));
  // y = x·scale + shift: two full-size ops instead of four.
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  const shift = tf.sub(beta, tf.mul(mean, scale));
  return tf.add(tf.mul(x, scale), shift);
}
