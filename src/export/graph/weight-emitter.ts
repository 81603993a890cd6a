// Stores folded weights in the graph at the export precision. Large weight tensors become
// fp32, fp16 (+ Cast) or per-channel int8 (+ DequantizeLinear) initializers; biases, BN shifts
// and adjacency matrices always stay fp32 (tiny, and quantising them costs accuracy for nothing).
import { DType, type OnnxGraphBuilder } from './onnx-builder.js';
import { quantizeInt8PerChannel, toHalf, type Precision } from '../quantize.js';

/** Weights with fewer elements than this stay fp32 at every precision. */
export const MIN_QUANTIZED_ELEMENTS = 256;

export class WeightEmitter {
  constructor(
    readonly g: OnnxGraphBuilder,
    readonly precision: Precision,
  ) {}

  /** A float32 constant (always fp32). */
  constant(name: string, dims: number[], data: ArrayLike<number>): string {
    return this.g.floatConst(name, dims, Float32Array.from(data));
  }

  /**
   * A weight tensor; `channelAxis` is the output-channel axis used for int8 per-channel scales.
   * Returns the name of a float32 value.
   */
  weight(name: string, dims: number[], data: ArrayLike<number>, channelAxis = 0): string {
    if (this.precision === 'fp32' || data.length < MIN_QUANTIZED_ELEMENTS) return this.constant(name, dims, data);
    if (this.precision === 'fp16') {
      const h = this.g.initializer(`${name}.fp16`, DType.FLOAT16, dims, toHalf(data));
      return this.g.node('Cast', [h], { to: DType.FLOAT }, 1, name, [name])[0];
    }
    const { q, scale, zeroPoint } = quantizeInt8PerChannel(data, dims, channelAxis);
    const qn = this.g.initializer(`${name}.int8`, DType.INT8, dims, q);
    const sn = this.g.floatConst(`${name}.scale`, [scale.length], scale);
    const zn = this.g.initializer(`${name}.zero_point`, DType.INT8, [zeroPoint.length], zeroPoint);
    return this.g.node('DequantizeLinear', [qn, sn, zn], { axis: channelAxis }, 1, name, [name])[0];
  }
}
