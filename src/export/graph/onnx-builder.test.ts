import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { DType, OnnxGraphBuilder, decodeModel, encodeModel, OPSET } from './onnx-builder.js';

describe('OnnxGraphBuilder', () => {
  it('builds a model that onnxruntime runs, with a dynamic batch axis', async () => {
    const g = new OnnxGraphBuilder('t');
    g.addInput('x', DType.FLOAT, ['N', 2]);
    const w = g.floatConst('w', [2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    const y = g.op('MatMul', ['x', w]);
    const s = g.op('ReduceSum', [y, g.int64Const('ax', [1])], { keepdims: 0 });
    g.node('Identity', [s], {}, 1, 'out', ['out']);
    g.addOutput('out', DType.FLOAT, ['N']);
    const bytes = encodeModel(g.build({ producer: 'test' }));
    const model = decodeModel(bytes);
    expect(Number(model.opsetImport[0].version)).toBe(OPSET);
    const sess = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const r = await sess.run({ x: new ort.Tensor('float32', Float32Array.from([1, 1, 2, 0]), [2, 2]) });
    expect(Array.from(r.out.data as Float32Array)).toEqual([21, 12]);
  });

  it('refuses duplicate names and mismatched initializer sizes', () => {
    const g = new OnnxGraphBuilder('t');
    g.floatConst('a', [1], new Float32Array(1));
    expect(() => g.floatConst('a', [1], new Float32Array(1))).toThrow(/used twice/);
    expect(() => g.floatConst('b', [2], new Float32Array(1))).toThrow(/need 2 values/);
  });
});
