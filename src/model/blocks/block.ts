// TCN_GCN_unit (graph then multi-scale temporal) and TCN_unit (temporal only):
// y = ReLU(tcn1(gcn1(x)) + shortcut(x)), spec model.md §3, walking a BlockNode of the block tree.
import type * as tf from '@tensorflow/tfjs';
import type { BlockNode } from '../block-tree.js';
import type { ForwardContext } from './context.js';
import { unitGcn } from './gcn.js';
import { addRelu } from './ops.js';
import { multiScaleTemporal, shortcutConv } from './temporal.js';

export function block(ctx: ForwardContext, blk: BlockNode, x: tf.Tensor4D): tf.Tensor4D {
  return blockTail(ctx, blk, x, blk.gcn ? unitGcn(ctx, blk.gcn, x) : x);
}

/** ReLU(tcn1(g) + shortcut(x)): the block after its graph unit `g = gcn1(x)` (or `g = x`). */
export function blockTail(ctx: ForwardContext, blk: BlockNode, x: tf.Tensor4D, g: tf.Tensor4D): tf.Tensor4D {
  const main = multiScaleTemporal(ctx, blk.tcn, g);
  const s = blk.shortcut;
  if (s.kind === 'none') return addRelu(main);
  return addRelu(main, s.kind === 'identity' ? x : shortcutConv(ctx, s, x));
}
