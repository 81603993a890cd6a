// Gradient checkpointing per block. tfjs keeps every intermediate of the forward pass AND every
// intermediate gradient until a whole backward pass ends (≈ 8 GB for the light model at batch 16).
// A checkpointed block is one tape node that saves only its input; its gradient replays the block
// under a fresh tape (one extra forward, ~+30% compute), so at most one block's tape is alive.
// A block with a graph unit runs as two such nodes (the unit, then the temporal part with the
// shortcut), so that only one of the two tapes and its gradients is alive at a time.
import * as tf from '@tensorflow/tfjs';
import { DiscardingRecorder, type BnLayer } from '../batchnorm.js';
import type { ForwardContext } from './context.js';

/** A context whose tensors `names` are replaced by `tensors` (BN statistics are not re-recorded). */
function replayContext(ctx: ForwardContext, names: readonly string[], tensors: readonly tf.Tensor[]): ForwardContext {
  const over = new Map(names.map((n, i) => [n, tensors[i]]));
  const v = (name: string) => over.get(name) ?? ctx.v(name);
  return {
    recorder: new DiscardingRecorder(),
    v,
    maybe: (name) => (name === undefined ? undefined : (over.get(name) ?? ctx.maybe(name))),
    bn: (ref): BnLayer => ({ ...ctx.bn(ref), weight: v(ref.weight), bias: v(ref.bias) }),
  };
}

/**
 * Runs `run(ctx, xs)` as one checkpointed tape node differentiable w.r.t. the inputs `xs` and the
 * tensors `names`; it saves only `xs`.
 */
export function checkpointed(
  ctx: ForwardContext,
  names: readonly string[],
  run: (c: ForwardContext, xs: tf.Tensor4D[]) => tf.Tensor4D,
  xs: readonly tf.Tensor4D[],
): tf.Tensor4D {
  const params = names.map((n) => ctx.v(n));
  const k = xs.length;
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const ins = args.slice(0, k) as tf.Tensor4D[];
    save(ins);
    return {
      value: run(ctx, ins),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        // The replay's tf.grads runs while the outer backward pass is still walking its tape; tfjs
        // (gradient depth 0 again) would replace the outer tape with the replay's and then null it,
        // so the outer tape is put back afterwards (it frees its saved tensors at its own end).
        const state = (tf.engine() as unknown as { state: { activeTape: unknown } }).state;
        const outerTape = state.activeTape;
        try {
          return tf.grads((...ins: tf.Tensor[]) =>
            run(replayContext(ctx, names, ins.slice(k)), ins.slice(0, k) as tf.Tensor4D[]),
          )([...saved, ...params], dy);
        } finally {
          state.activeTape = outerTape;
        }
      },
    };
  });
  return f(...xs, ...params);
}
