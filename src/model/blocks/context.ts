// What a block needs while it runs: its tensors by PaddleVideo name, and the training switch.
import type * as tf from '@tensorflow/tfjs';
import type { BatchStatsRecorder, BnLayer } from '../batchnorm.js';
import type { ModelLayout } from '../layout.js';

export interface ForwardContext {
  layout: ModelLayout;
  /** Set in training mode: BN uses and records batch statistics. */
  recorder?: BatchStatsRecorder;
  /** A parameter or buffer by structured name (throws if absent). */
  v(name: string): tf.Tensor;
  /** `v(name)` or undefined (optional conv biases). */
  maybe(name: string): tf.Tensor | undefined;
  /** The four tensors of the BatchNorm at `prefix`. */
  bn(prefix: string): BnLayer;
}
