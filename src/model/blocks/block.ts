// TCN_GCN_unit (gcn then multi-scale temporal) and TCN_unit (temporal only, light model):
// y = ReLU(tcn1(gcn1(x)) + residual(x)), spec model.md §3.
import * as tf from '@tensorflow/tfjs';
import type { BlockLayout } from '../layout.js';
import type { ForwardContext } from './context.js';
import { unitGcn } from './gcn.js';
import { addRelu } from './ops.js';
import { multiScaleTemporal, unitTcn1x1 } from './temporal.js';

export function block(ctx: ForwardContext, blk: BlockLayout, x: tf.Tensor4D): tf.Tensor4D {
  const p = `backbone.${blk.name}`;
  const g = blk.gcn ? unitGcn(ctx, `${p}.gcn1`, blk, x) : x;
  const main = multiScaleTemporal(ctx, `${p}.tcn1`, blk.outChannels, blk.stride, g);
  if (blk.residual === 'none') return addRelu(main);
  const res = blk.residual === 'identity' ? x : unitTcn1x1(ctx, `${p}.residual`, blk.stride, x);
  return addRelu(main, res);
}
