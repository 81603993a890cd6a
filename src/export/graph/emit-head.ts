// What the fused and the plain inference graphs share: the graph's input/output names, the
// emitters' common state, and the CTRGCNHead (mean over T·V, mean over persons, fc), which has
// nothing to fuse.
import type { ModelTree } from '../../model/block-tree.js';
import type { CheckedTensors } from './checked-tensors.js';
import type { OnnxGraphBuilder } from './onnx-builder.js';
import type { WeightEmitter } from './weight-emitter.js';

export const INPUT_NAME = 'x';
export const OUTPUT_NAME = 'logits';

/** The graph, weight store, checked checkpoint and block tree both emitters walk. */
export abstract class BlockEmitter {
  constructor(
    readonly g: OnnxGraphBuilder,
    readonly w: WeightEmitter,
    readonly ck: CheckedTensors,
    readonly tree: ModelTree,
  ) {}

  /** An int64 shape constant. */
  protected shape(name: string, dims: number[]): string {
    return this.g.int64Const(name, dims);
  }
}

/** Head on the last block's `[N·M, F, T', V]` map → `logits` `[N, numClass]`. */
export function emitHead(g: OnnxGraphBuilder, w: WeightEmitter, ck: CheckedTensors, tree: ModelTree, x: string): void {
  const { head, numPerson, numClass } = tree;
  const F = head.in;
  const pooled = g.op('ReduceMean', [x], { axes: [2, 3], keepdims: 0 }, 'head');
  const perPerson = g.op('Reshape', [pooled, g.int64Const('head.persons', [-1, numPerson, F])], {}, 'head');
  const feat = g.op('ReduceMean', [perPerson], { axes: [1], keepdims: 0 }, 'head');
  const W = w.weight('head.fc.weight', [F, numClass], ck.get(head.weight, [F, numClass]), 1);
  const B = w.constant('head.fc.bias', [numClass], ck.get(head.bias, [numClass]));
  g.node('Gemm', [feat, W, B], {}, 1, 'head', [OUTPUT_NAME]);
}
