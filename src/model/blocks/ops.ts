// Small differentiable building blocks on channels-last `[N', T, V, C]` feature maps.
// tfjs has no gradient for stridedSlice or dilated conv2d, and tfjs-node rejects explicit conv
// padding, so stride and dilation are expressed with pad / reshape / slice (spec model.md §10–11).
import * as tf from '@tensorflow/tfjs';

/** Paddle 1×1 conv weight `[out, in, 1, 1]` → `[out, in]` (used as the transposed matMul operand). */
export function pointwiseWeight(w: tf.Tensor): tf.Tensor2D {
  return tf.reshape(w, [w.shape[0], w.shape[1] ?? 1]);
}

/** Paddle `(k,1)` conv weight `[out, in, k, 1]` → tfjs NHWC filter `[k, 1, in, out]`. */
export function temporalFilter(w: tf.Tensor): tf.Tensor4D {
  return tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D;
}

/** 1×1 conv on channels-last x: `[..., Cin]` × `[Cout, Cin]ᵀ` (+ bias) → `[..., Cout]`. */
export function pointwise(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor): tf.Tensor {
  const cin = x.shape[x.shape.length - 1];
  const y = tf.matMul(tf.reshape(x, [-1, cin]), w, false, true);
  const out = tf.reshape(y, [...x.shape.slice(0, -1), w.shape[0]]);
  return bias ? tf.add(out, bias) : out;
}

/** Frames 0, 2, 4, … of `[N', T, V, C]` (differentiable: pad to even, reshape, slice). */
export function evenFrames(x: tf.Tensor4D): tf.Tensor4D {
  const [n, t, v, c] = x.shape;
  const xe =
    t % 2
      ? tf.pad(x, [
          [0, 0],
          [0, 1],
          [0, 0],
          [0, 0],
        ])
      : x;
  const t2 = Math.ceil(t / 2);
  const pairs = tf.reshape(xe, [n, t2, 2, v * c]);
  return tf.reshape(tf.slice(pairs, [0, 0, 0, 0], [n, t2, 1, v * c]), [n, t2, v, c]);
}

/** Zero-pads the time axis of `[N', T, V, C]` symmetrically. */
export function padTime(x: tf.Tensor4D, p: number): tf.Tensor4D {
  return tf.pad(x, [
    [0, 0],
    [p, p],
    [0, 0],
    [0, 0],
  ]);
}

/**
 * Temporal conv `(k,1)`, symmetric padding, stride s, dilation 1 or 2 (Paddle alignment:
 * output frame t is centred on input frame s·t).
 * - d = 1, s = 1: conv2d 'same' (symmetric for odd k at stride 1).
 * - d = 1, s = 2: pad (k−1)/2 each side, conv2d 'valid' stride 2.
 * - d = 2, s = 2: only even input frames are touched ⇒ undilated conv on evenFrames(x).
 * - d = 2, s = 1: fold the two frame phases into the joint axis (`[N', T/2, 2V, C]`, a free
 *   reshape); an undilated conv on that view is the dilated conv on the original.
 */
export function temporalConv(x: tf.Tensor4D, filter: tf.Tensor4D, stride: number, dilation: number): tf.Tensor4D {
  const k = filter.shape[0];
  if (dilation === 1) {
    if (stride === 1) return tf.conv2d(x, filter, 1, 'same');
    return tf.conv2d(padTime(x, (k - 1) / 2), filter, [stride, 1], 'valid');
  }
  if (dilation !== 2) throw new Error(`temporal dilation ${dilation} is not supported (1 or 2)`);
  if (stride === 2) return tf.conv2d(evenFrames(x), filter, 1, 'same');
  if (stride !== 1) throw new Error(`temporal stride ${stride} is not supported (1 or 2)`);
  const [n, t, v, c] = x.shape;
  const t2 = Math.ceil(t / 2);
  const xe =
    t % 2
      ? tf.pad(x, [
          [0, 0],
          [0, 1],
          [0, 0],
          [0, 0],
        ])
      : x;
  const y = tf.conv2d(tf.reshape<tf.Rank.R4>(xe, [n, t2, 2 * v, c]), filter, 1, 'same');
  const cout = filter.shape[3];
  const yt = tf.reshape<tf.Rank.R4>(y, [n, 2 * t2, v, cout]);
  return t % 2 ? tf.slice(yt, [0, 0, 0, 0], [n, t, v, cout]) : yt;
}

/**
 * Max-pool (kernel,1) over time with the tree's padding and stride (inputs are ≥ 0, so zero padding is
 * exact; a stride-1 pool whose padding keeps the length runs as tfjs's 'same').
 */
export function temporalMaxPool(x: tf.Tensor4D, pool: { kernel: number; stride: number; pad: number }): tf.Tensor4D {
  const { kernel, stride, pad } = pool;
  if (stride === 1 && kernel === 2 * pad + 1) return tf.maxPool(x, [kernel, 1], 1, 'same');
  return tf.maxPool(padTime(x, pad), [kernel, 1], [stride, 1], 'valid');
}

/**
 * ReLU(a + b) with a one-op gradient. tfjs differentiates relu through `step`, which tfjs-node
 * runs as several kernels (IsNan, Greater, Select) per call; dy·sign(y) is the same mask (y ≥ 0).
 */
export function addRelu<T extends tf.Tensor>(a: T, b?: tf.Tensor): T {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const y = tf.relu(b ? tf.add(args[0] as tf.Tensor, args[1] as tf.Tensor) : (args[0] as tf.Tensor));
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = tf.mul(dy, tf.sign(saved[0]));
        return b ? [g, g] : [g];
      },
    };
  });
  return (b ? f(a, b) : f(a)) as T;
}

/**
 * Sum over the leading axis of `[k, n]`. tfjs differentiates tf.sum by materialising a ones tensor
 * of the input's shape and multiplying; broadcasting dy is one op.
 */
export function sumLeading(x: tf.Tensor2D): tf.Tensor1D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xin = args[0] as tf.Tensor2D;
    return {
      value: tf.sum(xin, 0),
      gradFunc: (dy: tf.Tensor) => tf.broadcastTo(tf.reshape(dy, [1, xin.shape[1]]), xin.shape),
    };
  });
  return f(x) as tf.Tensor1D;
}

/**
 * Mean over axis 1 of `[a, b, c]` with a one-op gradient (tfjs's mean gradient materialises a
 * ones tensor, multiplies and divides: three full-size passes).
 */
export function meanAxis1(x: tf.Tensor3D): tf.Tensor2D {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const xin = args[0] as tf.Tensor3D;
    const [a, b, c] = xin.shape;
    return {
      value: tf.mean(xin, 1),
      gradFunc: (dy: tf.Tensor) => tf.broadcastTo(tf.reshape(tf.div(dy, b), [a, 1, c]), [a, b, c]),
    };
  });
  return f(x) as tf.Tensor2D;
}
