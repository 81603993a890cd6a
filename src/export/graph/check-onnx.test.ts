import { describe, expect, it } from 'vitest';
import { checkOnnxStructure } from './check-onnx.js';
import { DType, OnnxGraphBuilder, decodeModel, encodeModel } from './onnx-builder.js';
import onnxProto from 'onnx-proto';

function tiny() {
  const g = new OnnxGraphBuilder('t');
  g.addInput('x', DType.FLOAT, ['N', 4]);
  const w = g.floatConst('w', [4, 2], new Float32Array(8));
  g.node('MatMul', ['x', w], {}, 1, 'mm', ['logits']);
  g.addOutput('logits', DType.FLOAT, ['N', 2]);
  return encodeModel(g.build({ producer: 't' }));
}

describe('checkOnnxStructure', () => {
  it('accepts a well-formed graph with the expected shapes', () => {
    expect(checkOnnxStructure(tiny(), { inputShape: ['N', 4], outputShape: ['N', 2] })).toEqual([]);
  });
  it('reports undefined inputs, bad initializers, wrong shapes, garbage', () => {
    const m = decodeModel(tiny());
    m.graph!.node![0].input = ['x', 'nowhere'];
    m.graph!.initializer![0].rawData = new Uint8Array(3);
    const p = checkOnnxStructure(onnxProto.onnx.ModelProto.encode(m).finish(), {
      inputShape: ['N', 5],
      outputShape: ['N', 60],
    });
    expect(p.join('\n')).toMatch(/reads "nowhere"/);
    expect(p.join('\n')).toMatch(/3 bytes for dims \[4,2\]/);
    expect(p.join('\n')).toMatch(/input shape/);
    expect(p.join('\n')).toMatch(/output shape/);
    expect(checkOnnxStructure(new Uint8Array([1, 2, 3, 4, 5]))[0]).toMatch(/not an ONNX|opset|graph/);
  });
});
