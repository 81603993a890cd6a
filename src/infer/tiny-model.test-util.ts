// A tiny ONNX model with predict's input/output contract (tests only): x [N, 3, 64, 25, 2] → mean
// over (T, V, M) → [N, 3] · W[3, 60] → logits [N, 60]. `inputRank5 = false` declares x as [N, 3].
import { DType, OnnxGraphBuilder, encodeModel } from '../export/graph/onnx-builder.js';

export function tinyModel(inputRank5 = true): Uint8Array {
  const g = new OnnxGraphBuilder('tiny');
  const x = g.addInput('x', DType.FLOAT, inputRank5 ? ['N', 3, 64, 25, 2] : ['N', 3]);
  const w = g.floatConst(
    'w',
    [3, 60],
    Float32Array.from({ length: 180 }, (_, i) => Math.sin(i)),
  );
  const m = inputRank5 ? g.op('ReduceMean', [x], { axes: [2, 3, 4], keepdims: 0 }) : x;
  const y = g.op('MatMul', [m, w]);
  g.node('Identity', [y], {}, 1, 'out', ['logits']);
  g.addOutput('logits', DType.FLOAT, ['N', 60]);
  return encodeModel(g.build({ producer: 'ctrgcn-tipc tests' }));
}
